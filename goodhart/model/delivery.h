// The delivery entities of metrics.md §3.1: what shipped (changes, reviews, deployments,
// incidents) and the directory it is attributed through (people, teams, services). Plain values,
// filled by the webhook, CDEvents and git receivers (issue #3). Every record keeps its source and
// the source's own id.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace goodhart::model {

struct SourceRef {
  std::string source;  // "github", "gitlab", "cdevents", "git", "api"
  std::string raw_id;  // delivery id, event id, commit sha, ...
  bool operator==(const SourceRef&) const = default;
};

// A merged pull/merge request or a direct push range.
struct Change {
  SourceRef ref;
  std::string id;      // "github:owner/repo#123" or "git:owner/repo@<sha>"
  std::string repo;    // owner/name
  std::string author;  // raw identity (login or email)
  std::vector<std::string> co_authors;
  std::string title;
  std::string base_ref, head_ref, head_sha, merge_sha;
  int64_t created_unix_ms = 0, first_commit_unix_ms = 0, merged_unix_ms = 0;
  bool merged = false;
  std::string merged_by;
  std::vector<std::string> files;
  int64_t additions = 0, deletions = 0;
  bool operator==(const Change&) const = default;
};

struct Review {
  SourceRef ref;
  std::string change_id;
  std::string reviewer;
  std::string state;  // approved | changes_requested | commented | dismissed
  std::string commit_sha;
  int64_t submitted_unix_ms = 0;
  bool operator==(const Review&) const = default;
};

struct Deployment {
  SourceRef ref;
  std::string id;
  std::string service, environment, artifact_digest, commit_sha, pipeline_id;
  std::string status;  // success | failure | error | in_progress | ...
  double rollout_fraction = 1.0;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;
  std::string triggered_by;
  bool operator==(const Deployment&) const = default;
};

struct Incident {
  SourceRef ref;
  std::string id, service, severity, caused_by_deployment, title;
  int64_t started_unix_ms = 0, detected_unix_ms = 0, resolved_unix_ms = 0;
  bool operator==(const Incident&) const = default;
};

struct Person {
  std::string id, team, role;
  std::vector<std::string> emails, ai_accounts;
  std::string github;
  double fte = 1.0;
  bool operator==(const Person&) const = default;
};

struct Team {
  std::string id, name;
  bool operator==(const Team&) const = default;
};

struct Service {
  std::string id, team, repo, family;
  std::vector<std::string> paths, production_environments;
  bool operator==(const Service&) const = default;
};

}  // namespace goodhart::model
