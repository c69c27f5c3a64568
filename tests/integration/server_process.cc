#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <thread>

namespace goodhart::testing {
namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  static std::string binary = GOODHART_BINARY;
  argv.push_back(binary.data());
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

CommandResult RunGoodhart(const std::vector<std::string>& args) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    auto argv = Argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult r;
  std::thread err_reader([&] { r.err = ReadAll(err_pipe[0]); });
  r.out = ReadAll(out_pipe[0]);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

ServerProcess::ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  int out_pipe[2];
  if (pipe(out_pipe) != 0)
    std::abort();
  pid_ = fork();
  if (pid_ == 0) {
    // A test that aborts must not leave its server running (holding the test's output pipe).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    auto argv = Argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  // Read the "listening on http[s]://127.0.0.1:PORT" line (and the OTLP/gRPC one before it).
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  char c;
  while (std::chrono::steady_clock::now() < deadline && read(out_pipe[0], &c, 1) == 1) {
    if (c == '\n') {
      constexpr std::string_view kGrpc = "OTLP/gRPC listening on 127.0.0.1:";
      if (auto grpc = line.find(kGrpc); grpc != std::string::npos)
        grpc_port_ = std::atoi(line.c_str() + grpc + kGrpc.size());
      auto at = line.find("://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = std::atoi(line.c_str() + at + std::strlen("://127.0.0.1:"));
        break;
      }
      line.clear();
    } else {
      line += c;
    }
  }
  // Keep draining stdout in the background so the child never blocks on a full pipe.
  int fd = out_pipe[0];
  std::thread([fd] {
    char buf[512];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
  }).detach();
  if (port_ == 0) {
    std::fprintf(stderr, "integration: goodhart serve did not start\n");
    std::abort();
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0)
    Terminate();
}

std::unique_ptr<httplib::Client> ServerProcess::Client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_read_timeout(30, 0);
  return client;
}

void ServerProcess::Kill() {
  if (pid_ <= 0)
    return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ServerProcess::Terminate() {
  if (pid_ <= 0)
    return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Sha256Hex(const std::string& text) {
  std::string cmd = "printf '%s' '" + text + "' | sha256sum";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[65] = {};
  size_t n = p != nullptr ? fread(buf, 1, 64, p) : 0;
  if (p != nullptr)
    pclose(p);
  return std::string(buf, n);
}

bool MakeSelfSignedCertificate(const std::string& dir, CertificateFiles* files) {
  files->cert = dir + "/cert.pem";
  files->key = dir + "/key.pem";
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + files->key + " -out " +
                    files->cert +
                    " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace goodhart::testing
