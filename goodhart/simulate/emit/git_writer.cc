#include "goodhart/simulate/emit/git_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "goodhart/simulate/emit/internal/run_process.h"
#include "goodhart/simulate/emit/wire_ids.h"

namespace goodhart::simulate::emit {
namespace {

namespace fs = std::filesystem;

constexpr char kClaudeCodeFooter[] =
    "\U0001F916 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
    "Co-Authored-By: Claude <noreply@anthropic.com>\n";

struct Line {
  std::string origin;  // the simulator's id of the commit that added it
  uint64_t fingerprint = 0;
  bool meaningful = false;
};

using Tree = std::map<std::string, std::vector<Line>>;  // path -> lines

int64_t Seconds(int64_t ms) { return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000); }

std::string Person(const std::string& name, const std::string& email, int64_t ms) {
  return fmt::format("{} <{}> {} +0000", name.empty() ? email : name, email, Seconds(ms));
}

void AppendData(const std::string& bytes, std::string* out) {
  *out += fmt::format("data {}\n", bytes.size());
  *out += bytes;
  *out += '\n';
}

std::string Content(const std::vector<Line>& lines) {
  std::string text;
  for (const Line& l : lines) {
    if (l.meaningful)
      text += CodeLine(l.fingerprint);
    text += '\n';
  }
  return text;
}

// Applies one commit's diffs to the tree; returns the paths it touched, in order.
std::vector<std::string> Apply(const model::Commit& c, Tree* tree) {
  std::vector<std::string> touched;
  auto touch = [&](const std::string& path) {
    if (std::find(touched.begin(), touched.end(), path) == touched.end())
      touched.push_back(path);
  };
  for (const model::FileDiff& f : c.files) {
    auto it = tree->find(f.path);
    if (!c.reverts_sha.empty()) {
      // A revert removes exactly what the reverted commit added to the file.
      if (it != tree->end()) {
        std::erase_if(it->second, [&](const Line& l) { return l.origin == c.reverts_sha; });
        touch(f.path);
      }
      continue;
    }
    if (!f.removed_line_hashes.empty() && it != tree->end()) {
      std::unordered_set<uint64_t> gone(f.removed_line_hashes.begin(), f.removed_line_hashes.end());
      std::erase_if(it->second,
                    [&](const Line& l) { return l.meaningful && gone.count(l.fingerprint); });
      touch(f.path);
    }
    const auto meaningful = static_cast<int64_t>(f.added_line_hashes.size());
    if (f.added > 0 || meaningful > 0) {
      std::vector<Line>& lines = (*tree)[f.path];
      for (uint64_t h : f.added_line_hashes)
        lines.push_back({.origin = c.sha, .fingerprint = h, .meaningful = true});
      for (int64_t k = meaningful; k < f.added; ++k)
        lines.push_back({.origin = c.sha});
      touch(f.path);
    }
  }
  return touched;
}

struct RepoCommits {
  std::string service, name;
  std::vector<const model::Commit*> commits;  // mainline order
};

std::string Message(const model::Commit& c,
                    const std::map<std::string, const model::Change*>& change_of_head,
                    const std::map<std::string, std::string>& subjects) {
  std::string subject = c.subject;
  if (c.parents.empty()) {
    subject = "Initial commit";
  } else if (!c.reverts_sha.empty()) {
    auto it = subjects.find(c.reverts_sha);
    subject = fmt::format("Revert \"{}\"", it != subjects.end() ? it->second : c.reverts_sha);
  } else if (auto it = change_of_head.find(c.sha); it != change_of_head.end()) {
    subject = fmt::format("{} (#{})", it->second->title, PullRequestNumber(it->second->number));
  }
  std::string message = subject + "\n";
  if (!c.ai_markers.empty())
    message += std::string("\n") + kClaudeCodeFooter;
  return message;
}

Status WriteRepository(const RepoCommits& repo, const std::string& dir,
                       const std::map<std::string, const model::Change*>& change_of_head,
                       GitWriteResult* result) {
  // Absolute: git runs with -C <path>, which would move a relative marks file.
  const std::string path = fs::absolute(fs::path(dir) / (repo.service + ".git")).string();
  std::error_code ec;
  fs::remove_all(path, ec);
  GOODHART_RETURN_IF_ERROR(
      internal::RunProcess({"git", "init", "--bare", "-q", "-b", "main", path}));
  GOODHART_RETURN_IF_ERROR(
      internal::RunProcess({"git", "-C", path, "config", "remote.origin.url",
                            fmt::format("https://github.com/{}.git", repo.name)}));

  Tree tree;
  std::map<std::string, std::string> subjects;  // simulator id -> subject
  std::string stream;
  int mark = 0;
  for (const model::Commit* c : repo.commits) {
    ++mark;
    std::string message = Message(*c, change_of_head, subjects);
    subjects[c->sha] = message.substr(0, message.find('\n'));
    std::vector<std::string> touched = Apply(*c, &tree);
    stream += "commit refs/heads/main\n";
    stream += fmt::format("mark :{}\n", mark);
    stream += "author " + Person(c->author_name, c->author_email, c->authored_unix_ms) + "\n";
    stream += "committer " +
              Person(c->committer_name.empty() ? c->author_name : c->committer_name,
                     c->committer_email.empty() ? c->author_email : c->committer_email,
                     c->committed_unix_ms) +
              "\n";
    AppendData(message, &stream);
    if (mark > 1)
      stream += fmt::format("from :{}\n", mark - 1);
    for (const std::string& p : touched) {
      auto it = tree.find(p);
      if (it->second.empty()) {
        stream += "D " + p + "\n";
        tree.erase(it);
      } else {
        stream += "M 100644 inline " + p + "\n";
        AppendData(Content(it->second), &stream);
      }
    }
  }
  const std::string stream_path = path + ".fast-import";
  const std::string marks_path = path + ".marks";
  {
    std::ofstream out(stream_path, std::ios::binary | std::ios::trunc);
    out << stream;
    if (!out.flush())
      return Status::Unavailable(fmt::format("simulate: emit: {}: cannot write", stream_path));
  }
  Status imported = internal::RunProcess(
      {"git", "-C", path, "fast-import", "--quiet", "--export-marks=" + marks_path}, stream_path);
  fs::remove(stream_path, ec);
  GOODHART_RETURN_IF_ERROR(imported);
  std::ifstream marks(marks_path);
  std::string line;
  while (std::getline(marks, line)) {
    // ":<mark> <sha>"
    size_t space = line.find(' ');
    if (line.size() < 2 || line[0] != ':' || space == std::string::npos)
      continue;
    int m = std::stoi(line.substr(1, space - 1));
    if (m >= 1 && m <= static_cast<int>(repo.commits.size()))
      result->shas[repo.commits[static_cast<size_t>(m - 1)]->sha] = line.substr(space + 1);
  }
  fs::remove(marks_path, ec);
  if (result->shas.size() < repo.commits.size()) {
    // Every commit of every repository so far has a sha, or the import went wrong.
    for (const model::Commit* c : repo.commits) {
      if (!result->shas.count(c->sha)) {
        return Status::Internal(
            fmt::format("simulate: emit: {}: fast-import gave no sha for a commit", repo.name));
      }
    }
  }
  result->repositories.push_back({.service = repo.service,
                                  .name = repo.name,
                                  .path = path,
                                  .commits = static_cast<int>(repo.commits.size())});
  return Status::Ok();
}

}  // namespace

std::string CodeLine(uint64_t fingerprint) {
  return fmt::format("\tv{:016x} := step(0x{:08x}, {})", fingerprint,
                     static_cast<uint32_t>(fingerprint >> 32), fingerprint % 9973);
}

Result<GitWriteResult> WriteGitRepositories(const World& world, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Status::Unavailable(fmt::format("simulate: emit: {}: {}", dir, ec.message()));
  GitWriteResult result;
  for (const store::DeliveryRecords& team : world.teams) {
    std::map<std::string, const model::Change*> change_of_head;
    for (const model::Change& ch : team.changes)
      change_of_head[ch.head_sha] = &ch;
    std::map<std::string, RepoCommits> repos;
    for (const model::Commit& c : team.commits)
      repos[c.repo].commits.push_back(&c);
    for (auto& [name, repo] : repos) {
      repo.name = name;
      repo.service = name.substr(name.find('/') + 1);
      GOODHART_RETURN_IF_ERROR(WriteRepository(repo, dir, change_of_head, &result));
    }
  }
  return result;
}

}  // namespace goodhart::simulate::emit
