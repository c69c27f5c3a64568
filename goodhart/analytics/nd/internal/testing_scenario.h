// Scenario: a readable builder of ND inputs for this module's tests. It keeps one main branch of
// the monorepo `acme/mono` and appends to it what a test says happened:
//
//   Scenario s;                                   // directory: testdata/directory.yaml
//   auto l1 = s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
//   s.Approve(1, "carol", Day(0) - kHour);
//   s.Deploy("d1", "payments-api", Day(0) + kHour);
//   NdResult r = s.Run(Day(120));
//
// Days count from Monday 2026-01-05 10:00 UTC (inside 2026-Q1). Every file gets distinct line
// fingerprints, one per meaningful line, so durability is measurable; commits get distinct
// patch-ids unless a test gives one.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd::testing {

inline constexpr int64_t kMinute = 60'000;
inline constexpr int64_t kHour = 60 * kMinute;
inline const int64_t kDay0 = CivilToMillis(2026, 1, 5, 10);  // a Monday
inline const int64_t kQ1 = CivilToMillis(2026, 1, 1);

inline int64_t Day(double days) {
  return kDay0 + static_cast<int64_t>(days * static_cast<double>(kMillisPerDay));
}

inline std::string Email(const std::string& login) {
  return login.find('@') != std::string::npos || login.find('[') != std::string::npos
             ? login
             : login + "@example.com";
}

// A file diff with `lines` meaningful lines, each with its own fingerprint.
inline model::FileDiff File(std::string path, int lines) {
  static uint64_t next_hash = 1;
  model::FileDiff f;
  f.path = std::move(path);
  f.added = lines;
  f.meaningful = lines;
  for (int i = 0; i < lines; ++i)
    f.added_line_hashes.push_back(next_hash++);
  return f;
}

// A file diff that weighs nothing (generated code).
inline model::FileDiff GeneratedFile(std::string path, int lines) {
  model::FileDiff f;
  f.path = std::move(path);
  f.added = lines;
  f.exclusion = "generated";
  return f;
}

struct CommitSpec {
  std::string author;  // login (alice) or full email
  int64_t at = 0;
  std::vector<model::FileDiff> files;
  std::vector<std::string> co_authors;
  std::string patch_id;  // "" = a fresh one
};

class Scenario {
 public:
  Scenario() {
    auto dir = directory::Directory::Parse(goodhart::testing::ReadTestdata("directory.yaml"));
    if (!dir.ok()) {
      std::fprintf(stderr, "%s\n", dir.status().ToString().c_str());
      std::abort();
    }
    directory_ = std::move(dir).value();
    Add({.author = "alice", .at = Day(-400), .files = {}}, {});  // the root commit
    input_.s_ref_overrides = {
        {.service = "payments-api", .quarter_start_unix_ms = kQ1, .s_ref = 120},
        {.service = "search-api", .quarter_start_unix_ms = kQ1, .s_ref = 120}};
    input_.period_from_unix_ms = kQ1;
    input_.period_to_unix_ms = CivilToMillis(2026, 4, 1);
  }

  NdInput& input() { return input_; }  // its records are set by Run
  const std::vector<model::Deployment>& deployments() const { return all_deployments_; }
  const std::vector<model::Commit>& commits() const { return all_commits_; }
  const std::vector<model::Change>& changes() const { return all_changes_; }
  const std::vector<model::Review>& reviews() const { return all_reviews_; }
  const std::vector<model::Incident>& incidents() const { return all_incidents_; }
  const std::string& head() const { return head_; }
  model::Commit& commit(const std::string& sha) {
    for (auto& c : all_commits_) {
      if (c.sha == sha)
        return c;
    }
    std::abort();
  }
  model::Change& change(int number) {
    for (auto& c : all_changes_) {
      if (c.number == number)
        return c;
    }
    std::abort();
  }

  // A commit straight on main (a direct push, unless a change claims it). Returns its sha.
  std::string Push(const CommitSpec& spec) { return Add(spec, {head_}); }

  // A pull request squash-merged as one commit at `merged`; its branch head is not imported.
  std::string SquashPr(int number, const std::string& author, int64_t merged,
                       std::vector<model::FileDiff> files, std::string patch_id = "") {
    std::string sha = Add({.author = author,
                           .at = merged,
                           .files = std::move(files),
                           .patch_id = std::move(patch_id)},
                          {head_});
    AddChange(number, author, merged, sha, "head-" + std::to_string(number), 1);
    return sha;
  }

  // A pull request whose commits are rebased onto main at `merged`, one after the other.
  std::vector<std::string> RebasePr(int number, const std::string& author, int64_t merged,
                                    std::vector<std::vector<model::FileDiff>> commits) {
    std::vector<std::string> shas;
    for (auto& files : commits)
      shas.push_back(Add({.author = author, .at = merged, .files = std::move(files)}, {head_}));
    AddChange(number, author, merged, shas.back(), "head-" + std::to_string(number),
              static_cast<int64_t>(shas.size()));
    return shas;
  }

  // A pull request whose branch commits are merged with a merge commit at `merged`. Returns the
  // merge commit's sha; the branch head is the last of `commits`.
  std::string MergePr(int number, const std::string& author, int64_t merged,
                      std::vector<CommitSpec> commits) {
    std::string base = head_;
    std::string tip = base;
    for (auto& spec : commits)
      tip = Add(spec, {tip}, /*move_head=*/false);
    std::string merge = Add({.author = author, .at = merged, .files = {}}, {base, tip});
    commit(merge).patch_id.clear();
    AddChange(number, author, merged, merge, tip, static_cast<int64_t>(commits.size()));
    return merge;
  }

  // A revert of `target` pushed by `author` at `at` (a commit undoing every line it added).
  std::string Revert(const std::string& author, int64_t at, const std::string& target) {
    model::Commit undo = commit(target);
    CommitSpec spec{.author = author, .at = at};
    for (auto& f : undo.files) {
      model::FileDiff r;
      r.path = f.path;
      r.deleted = f.added;
      r.meaningful = f.meaningful;
      r.removed_line_hashes = f.added_line_hashes;
      spec.files.push_back(std::move(r));
    }
    std::string sha = Add(spec, {head_});
    commit(sha).reverts_sha = target.substr(0, 10);
    commit(sha).subject = "Revert \"" + undo.subject + "\"";
    return sha;
  }

  // A commit by `author` at `at` rewriting `lines` lines `target` added to `path`.
  std::string Rewrite(int number, const std::string& author, int64_t at, const std::string& target,
                      const std::string& path, int lines) {
    model::FileDiff f = File(path, lines);
    for (const auto& old : commit(target).files) {
      if (old.path == path)
        f.removed_line_hashes.assign(old.added_line_hashes.begin(),
                                     old.added_line_hashes.begin() + lines);
    }
    f.deleted = lines;
    return SquashPr(number, author, at, {f});
  }

  void Approve(int number, const std::string& reviewer, int64_t at,
               std::string state = "approved") {
    model::Change& c = change(number);
    model::Review r;
    r.ref = {.source = "github", .raw_id = "review-" + std::to_string(++reviews_)};
    r.change_id = c.id;
    r.reviewer = reviewer;
    r.state = std::move(state);
    r.commit_sha = c.head_sha;
    r.submitted_unix_ms = at;
    all_reviews_.push_back(std::move(r));
  }

  model::Deployment& Deploy(const std::string& id, const std::string& service, int64_t finished,
                            std::string sha = "", std::string environment = "production") {
    model::Deployment d;
    d.id = id;
    d.service = service;
    d.environment = std::move(environment);
    d.repo = "acme/mono";
    d.commit_sha = sha.empty() ? head_ : std::move(sha);
    d.artifact_digest = "sha256:" + d.commit_sha;
    d.pipeline_id = "pipeline-" + id;
    d.status = "success";
    d.started_unix_ms = finished - 10 * kMinute;
    d.finished_unix_ms = finished;
    all_deployments_.push_back(std::move(d));
    return all_deployments_.back();
  }

  model::Incident& Incident(const std::string& id, const std::string& severity, int64_t began,
                            const std::string& caused_by) {
    model::Incident i;
    i.id = id;
    i.service = "payments-api";
    i.severity = severity;
    i.started_unix_ms = began;
    i.caused_by_deployment = caused_by;
    all_incidents_.push_back(std::move(i));
    return all_incidents_.back();
  }

  // A commit on a side branch off main that is never merged.
  std::string Unmerged(const CommitSpec& spec) { return Add(spec, {head_}, /*move_head=*/false); }

  // Runs the engine as of `as_of`. Aborts on an error: scenario inputs are always valid.
  NdResult Run(int64_t as_of, bool with_directory = true) {
    input_.directory = with_directory ? &directory_ : nullptr;
    input_.as_of_unix_ms = as_of;
    input_.deployments = all_deployments_;
    input_.commits = all_commits_;
    input_.changes = all_changes_;
    input_.reviews = all_reviews_;
    input_.incidents = all_incidents_;
    auto r = ComputeNd(input_);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      std::abort();
    }
    return std::move(r).value();
  }

 private:
  std::string Add(const CommitSpec& spec, std::vector<std::string> parents, bool move_head = true) {
    model::Commit c;
    c.repo = "acme/mono";
    ++commits_;
    c.sha = fmt::format("{:016x}{:016x}{:08x}", Mix(commits_), Mix(commits_ + 1000), commits_);
    c.parents = std::move(parents);
    c.author_name = spec.author;
    c.author_email = Email(spec.author);
    c.committer_email = c.author_email;
    c.authored_unix_ms = spec.at;
    c.committed_unix_ms = spec.at;
    c.subject = "commit " + std::to_string(commits_);
    c.co_authors = spec.co_authors;
    c.files = spec.files;
    for (const auto& f : c.files)
      c.meaningful_lines += f.meaningful;
    c.patch_id = spec.patch_id.empty() ? fmt::format("pid-{}", commits_) : spec.patch_id;
    all_commits_.push_back(c);
    if (move_head)
      head_ = c.sha;
    return c.sha;
  }

  void AddChange(int number, const std::string& author, int64_t merged,
                 const std::string& merge_sha, const std::string& head_sha, int64_t commit_count) {
    model::Change c;
    c.ref = {.source = "github", .raw_id = std::to_string(number)};
    c.id = "github:acme/mono#" + std::to_string(number);
    c.repo = "acme/mono";
    c.number = number;
    c.author = author;
    c.author_type = "User";
    c.title = "change " + std::to_string(number);
    c.state = "merged";
    c.base_ref = "main";
    c.head_ref = "branch-" + std::to_string(number);
    c.head_sha = head_sha;
    c.merge_sha = merge_sha;
    c.merged = true;
    c.merged_by = author;
    c.created_unix_ms = merged - kMillisPerDay;
    c.merged_unix_ms = merged;
    c.commit_count = commit_count;
    all_changes_.push_back(std::move(c));
  }

  static uint64_t Mix(uint64_t x) {  // splitmix64: shas that differ from their first digit
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }

  directory::Directory directory_;
  NdInput input_;  // views the records below
  std::vector<model::Deployment> all_deployments_;
  std::vector<model::Commit> all_commits_;
  std::vector<model::Change> all_changes_;
  std::vector<model::Review> all_reviews_;
  std::vector<model::Incident> all_incidents_;
  std::string head_;
  uint64_t commits_ = 0;
  int reviews_ = 0;
};

// The logical change holding `change_number`, or nullptr.
inline const LogicalChangeCredit* FindL(const NdResult& r, int change_number,
                                        const std::string& service = "payments-api") {
  std::string id = "github:acme/mono#" + std::to_string(change_number);
  for (const auto& l : r.changes) {
    if (l.service != service)
      continue;
    for (const auto& p : l.parts) {
      if (p.change_id == id)
        return &l;
    }
  }
  return nullptr;
}

inline const PersonNd* FindPerson(const NdResult& r, const std::string& id) {
  for (const auto& p : r.people) {
    if (p.person_id == id)
      return &p;
  }
  return nullptr;
}

inline const DeploymentVerdict* FindDeployment(const NdResult& r, const std::string& id) {
  for (const auto& d : r.deployments) {
    if (d.deployment_id == id)
      return &d;
  }
  return nullptr;
}

}  // namespace goodhart::analytics::nd::testing
