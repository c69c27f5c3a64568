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

// An AI marker found on a commit or pull request (formats.md §9): which tool, which model if
// said, and the raw text it came from. Evidence level E1 (declared) in metrics.md §3.4.
struct AiMarker {
  std::string tool;   // "claude-code", "copilot", "codex", "cursor", "aider", "amp", ...
  std::string model;  // "Claude Opus 4.6" when the marker names one
  std::string kind;   // "trailer", "author", "body", "branch", "pr_author"
  std::string raw;    // the trailer line or text matched
  bool operator==(const AiMarker&) const = default;
};

struct Trailer {
  std::string key, value;
  bool operator==(const Trailer&) const = default;
};

// One file of a commit's diff, with its substance (metrics.md §3.5) once classified.
struct FileDiff {
  std::string path;
  std::string old_path;  // set for renames and copies
  int64_t added = 0, deleted = 0;
  bool binary = false;
  std::string exclusion;  // why the file weighs 0: "generated", "vendored", "lockfile", "minified",
                          // "binary", ""
  double meaningful = 0;  // weighted meaningful lines of this file
  // Added lines in copied blocks (>= 5 consecutive lines repeating existing code or an earlier
  // added window; the substance classifier's "copied" class, weight 0): D10's duplicate-block
  // share (metrics.md §5.2).
  int64_t copied = 0;
  // Fingerprints (xxh3-64 of the whitespace-normalised text) of the meaningful lines this diff
  // added and removed, for durability (metrics.md §3.8 D): a line survives until a later diff by
  // the same authors removes its fingerprint from the same path.
  std::vector<uint64_t> added_line_hashes, removed_line_hashes;
  bool operator==(const FileDiff&) const = default;
};

// A commit as imported from git history or a push webhook.
struct Commit {
  SourceRef ref;
  std::string repo;  // owner/name
  std::string sha;
  std::vector<std::string> parents;
  std::string author_name, author_email, committer_name, committer_email;
  int64_t authored_unix_ms = 0, committed_unix_ms = 0;
  std::string subject;
  std::vector<Trailer> trailers;        // raw, in order
  std::vector<std::string> co_authors;  // "Name <email>" from Co-authored-by trailers
  std::vector<FileDiff> files;
  std::string patch_id;         // stable patch id of the whole diff ("" for merges)
  double meaningful_lines = 0;  // S of this commit: sum of files' meaningful
  std::string reverts_sha;      // the commit this one reverts, when recognised
  std::vector<AiMarker> ai_markers;
  bool operator==(const Commit&) const = default;
};

// A release tag or published release.
struct Release {
  SourceRef ref;
  std::string repo, tag, sha;
  int64_t created_unix_ms = 0;
  bool prerelease = false;
  bool operator==(const Release&) const = default;
};

// A CI pipeline run (GitHub workflow_run, GitLab pipeline, CDEvents pipelinerun.finished).
struct PipelineRun {
  SourceRef ref;
  std::string id;  // stable across re-runs; `attempt` tells them apart
  int64_t attempt = 1;
  std::string repo, name, head_sha, head_branch, status, conclusion;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;
  bool operator==(const PipelineRun&) const = default;
};

// A merged pull/merge request or a direct push range.
struct Change {
  SourceRef ref;
  std::string id;    // "github:owner/repo#123", "gitlab:group/proj!7", "cdevents:<subject id>"
  std::string repo;  // owner/name
  int64_t number = 0;
  std::string author;       // raw identity (login or email)
  std::string author_type;  // "User", "Bot"
  std::vector<std::string> co_authors;
  std::string title;
  std::string state;  // open | closed | merged
  std::string base_ref, head_ref, head_sha, merge_sha;
  int64_t created_unix_ms = 0, first_commit_unix_ms = 0, merged_unix_ms = 0, closed_unix_ms = 0;
  bool merged = false;
  std::string merged_by;
  std::vector<std::string> files;
  std::vector<std::string> labels;
  int64_t additions = 0, deletions = 0, commit_count = 0;
  std::vector<AiMarker> ai_markers;
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

// A deployment of one commit of one repository (a multi-repo deployment is several records sharing
// `id`, as DevLake's cicd_deployment_commits). `status` is the latest known state.
struct Deployment {
  SourceRef ref;
  std::string id;
  std::string service, environment, artifact_digest, commit_sha;
  // pipeline_id: the one run that deployed (a GitHub Actions workflow run); pipeline: the
  // definition whose runs deploy (the workflow), the unit D6 judges. Either may be empty.
  std::string pipeline_id, pipeline;
  std::string repo, ref_name;
  std::string environment_tier;  // "production" when the source marks it so, else "" or its tier
  std::string status;  // success | failure | error | in_progress | queued | inactive | cancelled
  double rollout_fraction = 1.0;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;
  std::string triggered_by;
  bool operator==(const Deployment&) const = default;
};

struct Incident {
  SourceRef ref;
  std::string id, service, environment, severity, caused_by_deployment, title, status;
  int64_t started_unix_ms = 0, detected_unix_ms = 0, resolved_unix_ms = 0;
  // The severity first known for the incident, kept by the store when a later state changes
  // `severity` (delivery_merge.h), so a downgrade after creation is visible (detector D11).
  std::string initial_severity;
  bool operator==(const Incident&) const = default;
};

// A webhook delivery exactly as received, kept for replay. Its dedupe_key makes a redelivery a
// no-op: a batch carrying a delivery the store already has is skipped whole.
struct RawDelivery {
  std::string dedupe_key;  // "github:<X-GitHub-Delivery>", "cdevents:<source>|<id>|<type>", ...
  std::string source;      // "github", "gitlab", "cdevents", "api"
  std::string event;       // X-GitHub-Event, X-Gitlab-Event, CloudEvents type, ...
  int64_t received_unix_ms = 0;
  std::string body;
  bool operator==(const RawDelivery&) const = default;
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
