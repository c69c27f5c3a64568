// goodhart directory import FILE | show | versions: the directory of people, teams, services and
// bots. Each import that changes the text becomes a new version in the store, so reports of a past
// period use the directory of that time.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goodhart/base/clock.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"
#include "goodhart/directory/directory_versions.h"

namespace goodhart::cli {
namespace {

struct DirectoryOptions {
  CommonOptions common;
  std::string file;
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::NotFound(fmt::format("directory: {}: cannot open", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int RunImport(const DirectoryOptions& options) {
  auto yaml = ReadWholeFile(options.file);
  if (!yaml.ok())
    return ReportError(yaml.status());
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto imported =
      directory::ImportDirectory((*opened)->store(), *yaml, SystemClock::Get().NowMillis());
  if (!imported.ok())
    return ReportError(imported.status().WithPrefix(options.file));
  fmt::print("directory version {}{}: {} people, {} teams, {} services, {} bots\n",
             imported->version.version, imported->changed ? "" : " (unchanged)", imported->people,
             imported->teams, imported->services, imported->bots);
  return kExitOk;
}

int RunShow(const DirectoryOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto version = (*opened)->store().QueryDirectory(std::nullopt);
  if (!version.ok())
    return ReportError(version.status());
  if (!version->has_value()) {
    return ReportError(
        Status::NotFound("directory: none imported yet (goodhart directory import FILE)"));
  }
  fmt::print("{}", (*version)->yaml);
  return kExitOk;
}

int RunVersions(const DirectoryOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto history = (*opened)->store().DirectoryHistory();
  if (!history.ok())
    return ReportError(history.status());
  for (const store::DirectoryVersion& v : *history)
    fmt::print("{}\t{}\t{}\n", v.version, FormatMillis(v.imported_unix_ms), v.content_hash);
  return kExitOk;
}

}  // namespace

CommandRunner AddDirectoryCommand(CLI::App& app) {
  auto options = std::make_shared<DirectoryOptions>();
  CLI::App* cmd = app.add_subcommand("directory", "People, teams, services and bots");
  cmd->require_subcommand(1);
  CLI::App* import = cmd->add_subcommand("import",
                                         "Validate a directory YAML file and store it "
                                         "as the next version");
  AddCommonOptions(*import, options->common);
  import->add_option("FILE", options->file, "The directory YAML")->required();
  CLI::App* show = cmd->add_subcommand("show", "Print the current directory YAML");
  AddCommonOptions(*show, options->common);
  CLI::App* versions = cmd->add_subcommand("versions", "List every imported version");
  AddCommonOptions(*versions, options->common);
  return [options, import, show, versions]() -> int {
    if (import->parsed())
      return RunImport(*options);
    if (show->parsed())
      return RunShow(*options);
    if (versions->parsed())
      return RunVersions(*options);
    return -1;
  };
}

}  // namespace goodhart::cli
