// Runs a program (no shell) and waits for it: the emitter's git commands. stdin comes from a file
// or /dev/null, stdout goes to /dev/null and stderr is inherited, so git's own message reaches the
// user when it fails.
#pragma once

#include <string>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::simulate::emit::internal {

// kUnavailable when the program cannot be started, kInternal when it exits non-zero.
Status RunProcess(const std::vector<std::string>& argv, const std::string& stdin_path = "");

}  // namespace goodhart::simulate::emit::internal
