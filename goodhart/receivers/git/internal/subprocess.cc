#include "goodhart/receivers/git/internal/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace goodhart::receivers::git::internal {
namespace {

constexpr size_t kStderrTail = 4096;
constexpr size_t kReadChunk = 1 << 16;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& o) noexcept {
    Close();
    fd_ = o.fd_;
    o.fd_ = -1;
    return *this;
  }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Status Errno(std::string_view what) {
  return Status::Internal(fmt::format("subprocess: {}: {}", what, std::strerror(errno)));
}

Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Errno("pipe2");
  *read_end = Fd(fds[0]);
  *write_end = Fd(fds[1]);
  return Status::Ok();
}

// The child's environment: ours, with `overrides` replacing variables of the same name ("NAME"
// without '=' removes NAME).
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view var(*e);
    std::string_view name = var.substr(0, var.find('='));
    bool replaced = false;
    for (const std::string& o : overrides)
      replaced = replaced || std::string_view(o).substr(0, o.find('=')) == name;
    if (!replaced)
      env.emplace_back(var);
  }
  for (const std::string& o : overrides) {
    if (o.find('=') != std::string::npos)
      env.push_back(o);
  }
  return env;
}

void AppendTail(std::string* tail, std::string_view data) {
  tail->append(data);
  if (tail->size() > 2 * kStderrTail)
    tail->erase(0, tail->size() - kStderrTail);
}

// A started child: its pid and our ends of its standard streams.
struct Child {
  pid_t pid = -1;
  Fd in, out, err;  // err stays closed when the child's stderr goes to /dev/null
};

Result<Child> Spawn(const ProcessOptions& options, bool discard_stderr) {
  if (options.argv.empty())
    return Status::InvalidArgument("subprocess: empty argv");
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv;
  for (const std::string& a : options.argv)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  if (!options.env.empty()) {
    env_storage = ChildEnvironment(options.env);
    for (std::string& e : env_storage)
      envp.push_back(e.data());
    envp.push_back(nullptr);
  }

  // stdin is a socket so that writing to a child that exited gives EPIPE (MSG_NOSIGNAL) instead
  // of a process-wide SIGPIPE.
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return Errno("socketpair");
  Child child;
  child.in = Fd(sv[0]);
  Fd in_child(sv[1]);
  Fd out_write, err_write, exec_read, exec_write;
  GOODHART_RETURN_IF_ERROR(MakePipe(&child.out, &out_write));
  if (!discard_stderr)
    GOODHART_RETURN_IF_ERROR(MakePipe(&child.err, &err_write));
  GOODHART_RETURN_IF_ERROR(MakePipe(&exec_read, &exec_write));

  pid_t pid = ::fork();
  if (pid < 0)
    return Errno("fork");
  if (pid == 0) {
    ::dup2(in_child.get(), 0);
    ::dup2(out_write.get(), 1);
    if (discard_stderr) {
      int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0)
        ::dup2(null, 2);
    } else {
      ::dup2(err_write.get(), 2);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    if (envp.empty())
      ::execvp(argv[0], argv.data());
    else
      ::execvpe(argv[0], argv.data(), envp.data());
    int err = errno;
    ssize_t ignored = ::write(exec_write.get(), &err, sizeof(err));
    (void)ignored;
    ::_exit(127);
  }
  child.pid = pid;
  in_child.Close();
  out_write.Close();
  err_write.Close();
  exec_write.Close();

  int exec_errno = 0;
  ssize_t n = 0;
  do {
    n = ::read(exec_read.get(), &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof(exec_errno))) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return Status::Unavailable(
        fmt::format("subprocess: cannot run {}: {}", options.argv[0], std::strerror(exec_errno)));
  }
  return child;
}

int Wait(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

Result<ProcessResult> RunProcess(const ProcessOptions& options,
                                 const std::function<Status(std::string_view)>& on_stdout) {
  GOODHART_ASSIGN_OR_RETURN(Child child, Spawn(options, false));
  pid_t pid = child.pid;
  Fd& in_parent = child.in;
  Fd& out_read = child.out;
  Fd& err_read = child.err;
  ::fcntl(in_parent.get(), F_SETFL, ::fcntl(in_parent.get(), F_GETFL) | O_NONBLOCK);
  size_t written = 0;
  if (options.stdin_data.empty())
    in_parent.Close();

  ProcessResult result;
  Status callback_status;
  std::string buffer(kReadChunk, '\0');
  while (out_read.get() >= 0 || err_read.get() >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    int out_slot = -1, err_slot = -1, in_slot = -1;
    if (out_read.get() >= 0) {
      out_slot = static_cast<int>(count);
      fds[count++] = {out_read.get(), POLLIN, 0};
    }
    if (err_read.get() >= 0) {
      err_slot = static_cast<int>(count);
      fds[count++] = {err_read.get(), POLLIN, 0};
    }
    if (in_parent.get() >= 0) {
      in_slot = static_cast<int>(count);
      fds[count++] = {in_parent.get(), POLLOUT, 0};
    }
    if (::poll(fds.data(), count, -1) < 0) {
      if (errno == EINTR)
        continue;
      callback_status = Errno("poll");
      break;
    }
    if (in_slot >= 0 && fds[static_cast<size_t>(in_slot)].revents != 0) {
      ssize_t w = ::send(in_parent.get(), options.stdin_data.data() + written,
                         options.stdin_data.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0)
        written += static_cast<size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == options.stdin_data.size())
        in_parent.Close();  // done, or the child stopped reading
    }
    for (auto [slot, fd] : {std::pair{out_slot, &out_read}, std::pair{err_slot, &err_read}}) {
      if (slot < 0 || fds[static_cast<size_t>(slot)].revents == 0)
        continue;
      ssize_t r = ::read(fd->get(), buffer.data(), buffer.size());
      if (r < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (r <= 0) {
        fd->Close();
        continue;
      }
      std::string_view chunk(buffer.data(), static_cast<size_t>(r));
      if (fd == &err_read) {
        AppendTail(&result.stderr_tail, chunk);
      } else {
        callback_status = on_stdout(chunk);
      }
    }
    if (!callback_status.ok())
      break;
  }
  if (!callback_status.ok())
    ::kill(pid, SIGKILL);  // the child we started, and only it
  in_parent.Close();
  out_read.Close();
  err_read.Close();
  int exit_code = Wait(pid);
  if (!callback_status.ok())
    return callback_status;
  if (result.stderr_tail.size() > kStderrTail)
    result.stderr_tail.erase(0, result.stderr_tail.size() - kStderrTail);
  result.exit_code = exit_code;
  return result;
}

Result<CapturedOutput> RunAndCapture(const ProcessOptions& options) {
  CapturedOutput out;
  GOODHART_ASSIGN_OR_RETURN(ProcessResult r, RunProcess(options, [&](std::string_view chunk) {
                              out.out.append(chunk);
                              return Status::Ok();
                            }));
  out.exit_code = r.exit_code;
  out.stderr_tail = std::move(r.stderr_tail);
  return out;
}

}  // namespace goodhart::receivers::git::internal

namespace goodhart::receivers::git::internal {

struct Coprocess::Impl {
  Child child;
  std::string buf;  // read but not yet consumed
  size_t pos = 0;

  Status Fill() {
    if (pos > 0 && pos == buf.size()) {
      buf.clear();
      pos = 0;
    }
    char chunk[kReadChunk];
    ssize_t r;
    do {
      r = ::read(child.out.get(), chunk, sizeof(chunk));
    } while (r < 0 && errno == EINTR);
    if (r < 0)
      return Errno("read");
    if (r == 0)
      return Status::Unavailable("subprocess: the coprocess closed its output");
    buf.append(chunk, static_cast<size_t>(r));
    return Status::Ok();
  }
};

Coprocess::Coprocess() = default;
Coprocess::~Coprocess() {
  if (impl_ == nullptr)
    return;
  impl_->child.in.Close();  // EOF on stdin ends git cat-file --batch
  impl_->child.out.Close();
  Wait(impl_->child.pid);
}

Result<std::unique_ptr<Coprocess>> Coprocess::Start(const ProcessOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(Child child, Spawn(options, true));
  std::unique_ptr<Coprocess> c(new Coprocess());
  c->impl_ = std::make_unique<Impl>();
  c->impl_->child = std::move(child);
  return c;
}

Status Coprocess::Write(std::string_view data) {
  while (!data.empty()) {
    ssize_t w = ::send(impl_->child.in.get(), data.data(), data.size(), MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return Errno("write to coprocess");
    data.remove_prefix(static_cast<size_t>(w));
  }
  return Status::Ok();
}

Result<std::string> Coprocess::ReadLine() {
  Impl& i = *impl_;
  for (;;) {
    size_t nl = i.buf.find('\n', i.pos);
    if (nl != std::string::npos) {
      std::string line = i.buf.substr(i.pos, nl - i.pos);
      i.pos = nl + 1;
      return line;
    }
    if (i.pos > 0) {
      i.buf.erase(0, i.pos);
      i.pos = 0;
    }
    GOODHART_RETURN_IF_ERROR(i.Fill());
  }
}

Status Coprocess::Read(size_t n, std::string* keep, size_t keep_max) {
  Impl& i = *impl_;
  while (n > 0) {
    if (i.pos == i.buf.size())
      GOODHART_RETURN_IF_ERROR(i.Fill());
    size_t take = std::min(n, i.buf.size() - i.pos);
    if (keep != nullptr && keep->size() < keep_max)
      keep->append(i.buf, i.pos, std::min(take, keep_max - keep->size()));
    i.pos += take;
    n -= take;
  }
  return Status::Ok();
}

}  // namespace goodhart::receivers::git::internal
