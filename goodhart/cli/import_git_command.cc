// goodhart import-git --repo PATH [--name owner/name]: reads a local clone's history into the
// store, incrementally. The heads seen are stored with the data, so re-running imports only
// commits and tags that are new since the last run; commits already stored (from an earlier
// import or a push webhook) are merged, never duplicated.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"
#include "goodhart/cli/command.h"
#include "goodhart/cli/progress.h"
#include "goodhart/receivers/git/git_importer.h"

namespace goodhart::cli {
namespace {

// Commits per store transaction: bounded transactions, and progress while storing.
constexpr size_t kCommitsPerBatch = 2000;

struct ImportGitOptions {
  CommonOptions common;
  std::string repo_path, repo_name, format = "table";
};

int RunImportGit(const ImportGitOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  store::Store& store = (*opened)->store();

  receivers::git::GitImportOptions import;
  import.repo_path = options.repo_path;
  import.repo_name = options.repo_name;
  import.repo_name = receivers::git::ResolveRepoName(import);
  auto known = store.GetGitHeads(import.repo_name);
  if (!known.ok())
    return ReportError(known.status());
  import.known_heads = std::move(*known);

  Progress progress("import-git " + import.repo_name, 0);
  auto imported =
      receivers::git::ImportGit(import, [&](int64_t commits) { progress.Add(commits); });
  progress.Finish();
  if (!imported.ok())
    return ReportError(imported.status());

  model::AppendStats stats;
  Progress storing("storing " + import.repo_name, 0);
  for (size_t i = 0; i < imported->commits.size(); i += kCommitsPerBatch) {
    model::EventBatch batch;
    size_t end = std::min(imported->commits.size(), i + kCommitsPerBatch);
    batch.commits.assign(std::make_move_iterator(imported->commits.begin() + i),
                         std::make_move_iterator(imported->commits.begin() + end));
    auto appended = store.Append(batch);
    if (!appended.ok())
      return ReportError(appended.status().WithPrefix("import_git: store"));
    stats += *appended;
    storing.Add(static_cast<int64_t>(end - i));
  }
  if (!imported->releases.empty()) {
    model::EventBatch batch;
    batch.releases = imported->releases;
    auto appended = store.Append(batch);
    if (!appended.ok())
      return ReportError(appended.status().WithPrefix("import_git: store"));
    stats += *appended;
  }
  storing.Finish();
  // Heads last: a crash before this line re-imports the same commits next time, which merges.
  if (Status s = store.PutGitHeads(imported->repo_name, imported->heads); !s.ok())
    return ReportError(s);

  size_t commits = imported->commits.size();
  if (options.format == "json") {
    nlohmann::json j = {{"repo", imported->repo_name},
                        {"path", options.repo_path},
                        {"commits", commits},
                        {"releases", imported->releases.size()},
                        {"stored", stats.inserted},
                        {"unchanged", stats.duplicates},
                        {"heads", imported->heads.size()}};
    fmt::print("{}\n", JsonText(j, 2));
  } else {
    fmt::print("{}: {} new commits, {} new or moved tags ({} records stored, {} unchanged)\n",
               imported->repo_name, commits, imported->releases.size(), stats.inserted,
               stats.duplicates);
  }
  return kExitOk;
}

}  // namespace

CommandRunner AddImportGitCommand(CLI::App& app) {
  auto options = std::make_shared<ImportGitOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import-git",
      "Import a local git clone's commits and tags (incremental: re-runs read only "
      "what is new)");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("--repo", options->repo_path, "Path of the local clone (bare or not)")
      ->required();
  cmd->add_option("--name", options->repo_name,
                  "owner/name as the git host names it (default: from the origin url, else the "
                  "folder name)");
  cmd->add_option("--format", options->format, "Output: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  return [options, cmd]() -> int { return cmd->parsed() ? RunImportGit(*options) : -1; };
}

}  // namespace goodhart::cli
