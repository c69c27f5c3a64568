// Runs a program (git) as a child process with fork/execvp and pipes, never through a shell, and
// streams its standard output to a callback as it arrives, so large outputs are never buffered.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::receivers::git::internal {

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  std::vector<std::string> env;   // "NAME=value" set, "NAME" removed, in the child's environment
  std::string stdin_data;         // written to the child's standard input, which is then closed
};

struct ProcessResult {
  int exit_code = 0;        // 128 + signal number when the child was killed by a signal
  std::string stderr_tail;  // the last 4 KiB of standard error
};

// Calls `on_stdout` with each chunk of standard output until EOF, then waits for the child.
// A non-OK status from `on_stdout` stops reading, kills the child and is returned. Fails with
// kUnavailable when the program cannot be started. Thread-safe; blocks the calling thread.
Result<ProcessResult> RunProcess(const ProcessOptions& options,
                                 const std::function<Status(std::string_view)>& on_stdout);

// Runs and collects standard output (for small outputs).
struct CapturedOutput {
  int exit_code = 0;
  std::string out;
  std::string stderr_tail;
};
Result<CapturedOutput> RunAndCapture(const ProcessOptions& options);

// A long-running child spoken to in turns (git cat-file --batch): write a request, read the
// reply. Its standard error goes to /dev/null. Not thread-safe. The destructor closes its input
// and waits for it.
class Coprocess {
 public:
  static Result<std::unique_ptr<Coprocess>> Start(const ProcessOptions& options);
  ~Coprocess();
  Coprocess(const Coprocess&) = delete;
  Coprocess& operator=(const Coprocess&) = delete;

  Status Write(std::string_view data);
  // The next line of output, without its newline.
  Result<std::string> ReadLine();
  // Reads exactly `n` bytes, appending the first up to `keep_max` of them to `keep` (may be null).
  Status Read(size_t n, std::string* keep, size_t keep_max);

 private:
  Coprocess();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goodhart::receivers::git::internal
