// ServerProcess: the real goodhart binary started as a child process on 127.0.0.1 with a port
// picked by the kernel, for integration tests that talk to it over HTTP like any sender would.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "goodhart/base/testing/temp_dir.h"  // TempDir

namespace goodhart::testing {

// Runs `goodhart <args>` and returns its exit code, stdout and stderr.
struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
CommandResult RunGoodhart(const std::vector<std::string>& args);

class ServerProcess {
 public:
  // Starts `goodhart serve --data <data_dir> --listen 127.0.0.1:0 <extra>` and waits until it
  // prints its listening line. Aborts the test binary if it does not come up within 20 s.
  ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGTERM, then waits

  int port() const { return port_; }
  int grpc_port() const { return grpc_port_; }  // with --grpc-listen 127.0.0.1:PORT; else 0
  pid_t pid() const { return pid_; }
  std::unique_ptr<httplib::Client> Client() const;
  void Kill();      // SIGKILL, no chance to clean up
  int Terminate();  // SIGTERM; returns the exit status

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int grpc_port_ = 0;
};

// Lowercase hex SHA-256 of `text`, computed by coreutils' sha256sum so tests do not depend on
// goodhart's own hashing (API keys are configured by their hash).
std::string Sha256Hex(const std::string& text);

// A self-signed certificate for CN and IP 127.0.0.1 made by the openssl command, written as
// `<dir>/cert.pem` and `<dir>/key.pem`. Returns false when openssl failed.
struct CertificateFiles {
  std::string cert, key;
};
bool MakeSelfSignedCertificate(const std::string& dir, CertificateFiles* files);

}  // namespace goodhart::testing
