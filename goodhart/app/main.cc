// The goodhart binary: one executable, one subcommand per job (serve, ingest, and what later
// issues add). Every command takes --data and --config, and --help.
#include <CLI/CLI.hpp>

#include "goodhart/cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"goodhart: measure AI-assisted software work by what ships, not by tokens burned"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "goodhart 0.1.0");
  std::vector<goodhart::cli::CommandRunner> commands = {
      goodhart::cli::AddServeCommand(app),     goodhart::cli::AddIngestCommand(app),
      goodhart::cli::AddStoreCommand(app),     goodhart::cli::AddImportGitCommand(app),
      goodhart::cli::AddDirectoryCommand(app), goodhart::cli::AddReportCommand(app),
      goodhart::cli::AddKeysCommand(app),      goodhart::cli::AddAuditCommand(app),
      goodhart::cli::AddDetectCommand(app),    goodhart::cli::AddFlagsCommand(app),
      goodhart::cli::AddSimulateCommand(app),  goodhart::cli::AddReplayCommand(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : goodhart::cli::kExitUsage;
  }
  for (auto& run : commands) {
    int code = run();
    if (code >= 0)
      return code;
  }
  return goodhart::cli::kExitUsage;
}
