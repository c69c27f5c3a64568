// git_import_bench: times ImportGit on a repository twice, a full import and then an incremental
// one with the first run's heads (which should find nothing). Driven by import_bench.sh.
//   git_import_bench <repo_path> [--dump]   (--dump: one line per imported commit)
#include <chrono>
#include <cstdio>
#include <string>

#include "goodhart/receivers/git/git_importer.h"

namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  bool dump = argc == 3 && std::string(argv[2]) == "--dump";
  if (argc != 2 && !dump) {
    std::fprintf(stderr, "usage: git_import_bench <repo_path> [--dump]\n");
    return 2;
  }
  using goodhart::receivers::git::GitImportOptions;
  using goodhart::receivers::git::ImportGit;
  GitImportOptions options{.repo_path = argv[1], .repo_name = "bench/synthetic"};

  auto t0 = std::chrono::steady_clock::now();
  auto full = ImportGit(options);
  auto t1 = std::chrono::steady_clock::now();
  if (!full.ok()) {
    std::fprintf(stderr, "full import failed: %s\n", full.status().ToString().c_str());
    return 1;
  }
  int64_t files = 0;
  double meaningful = 0;
  for (const auto& c : full->commits) {
    files += static_cast<int64_t>(c.files.size());
    meaningful += c.meaningful_lines;
    if (!dump)
      continue;
    int64_t added = 0, deleted = 0;
    for (const auto& f : c.files) {
      added += f.added;
      deleted += f.deleted;
    }
    std::string markers;
    for (const auto& m : c.ai_markers)
      markers += " " + m.tool + "/" + m.kind;
    std::printf("%.10s S=%7.2f +%lld -%lld files=%zu%s%s %s\n", c.sha.c_str(), c.meaningful_lines,
                static_cast<long long>(added), static_cast<long long>(deleted), c.files.size(),
                c.reverts_sha.empty() ? "" : (" reverts=" + c.reverts_sha.substr(0, 10)).c_str(),
                markers.c_str(), c.subject.c_str());
  }
  std::printf(
      "full import:        %zu commits, %lld files, %zu releases, S = %.1f, %.2f s "
      "(%.0f commits/s)\n",
      full->commits.size(), static_cast<long long>(files), full->releases.size(), meaningful,
      Seconds(t1 - t0), static_cast<double>(full->commits.size()) / Seconds(t1 - t0));

  options.known_heads = full->heads;
  auto t2 = std::chrono::steady_clock::now();
  auto again = ImportGit(options);
  auto t3 = std::chrono::steady_clock::now();
  if (!again.ok()) {
    std::fprintf(stderr, "incremental import failed: %s\n", again.status().ToString().c_str());
    return 1;
  }
  std::printf("incremental import: %zu commits, %zu releases, %.3f s\n", again->commits.size(),
              again->releases.size(), Seconds(t3 - t2));
  return again->commits.empty() && again->releases.empty() ? 0 : 1;
}
