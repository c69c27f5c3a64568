#include "goodhart/cli/command.h"

#include <fmt/format.h>

namespace goodhart::cli {

void AddCommonOptions(CLI::App& command, CommonOptions& options) {
  command.add_option("--data", options.data_dir,
                     "Data directory of the embedded store (default ./goodhart-data)");
  command.add_option("--config", options.config_file, "YAML config file (see docs/config.md)");
}

int ReportError(const Status& status) {
  fmt::print(stderr, "goodhart: {}\n", status.message());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace goodhart::cli
