// A subcommand of the `goodhart` binary: how it registers its flags and how it runs. One file per
// command (serve_command.cc, ingest_command.cc, ...); app/main.cc lists them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "goodhart/cli/runtime.h"

namespace goodhart::cli {

// Exit codes: 0 success, 1 failure, 2 usage or config error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Adds --data and --config to `command`, bound to `options`.
void AddCommonOptions(CLI::App& command, CommonOptions& options);

// Prints "goodhart: <message>" on stderr and returns the exit code for `status`.
int ReportError(const Status& status);

// Each Add*Command registers a subcommand on `app`; the returned function runs it once parsed.
using CommandRunner = std::function<int()>;
CommandRunner AddServeCommand(CLI::App& app);
CommandRunner AddIngestCommand(CLI::App& app);
CommandRunner AddStoreCommand(CLI::App& app);
CommandRunner AddImportGitCommand(CLI::App& app);
CommandRunner AddDirectoryCommand(CLI::App& app);
CommandRunner AddReportCommand(CLI::App& app);
CommandRunner AddKeysCommand(CLI::App& app);
CommandRunner AddAuditCommand(CLI::App& app);
CommandRunner AddDetectCommand(CLI::App& app);
CommandRunner AddFlagsCommand(CLI::App& app);
CommandRunner AddSimulateCommand(CLI::App& app);
CommandRunner AddReplayCommand(CLI::App& app);

}  // namespace goodhart::cli
