// AI session → commit links, with the evidence level of metrics.md §3.4. They feed the companion
// metrics only (AI-assisted share, tokens per shipped line, orphan tokens), never ND's weights.
//
//   E2, rule "git_commit_id":   telemetry says the session made the commit (Claude Code's
//                               tool_result for a successful `git commit` carries git_commit_id).
//   E2, rule "session_overlap": a session of the commit's author was active within 30 minutes of
//                               the commit's authored time (same repo when both name one).
//   E1, rule "marker":          the commit declares AI help (trailer, bot author; formats.md §9),
//                               and names the session when it has a session trailer.
// E3 (line fingerprints) is computed elsewhere; MergeAiLinks ranks it above the others.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/model/delivery.h"
#include "goodhart/model/usage_event.h"

namespace goodhart::analytics {

inline constexpr char kEvidenceE1[] = "E1";
inline constexpr char kEvidenceE2[] = "E2";
inline constexpr char kEvidenceE3[] = "E3";

inline constexpr char kRuleGitCommitId[] = "git_commit_id";
inline constexpr char kRuleSessionOverlap[] = "session_overlap";
inline constexpr char kRuleMarker[] = "marker";

// How far outside a session's active window a commit may be authored and still overlap it.
inline constexpr int64_t kSessionOverlapSlackMs = int64_t{30} * 60 * 1000;

struct AiLink {
  std::string session_id;  // "" for a marker that names no session
  std::string commit_sha;
  std::string evidence;  // kEvidenceE1 / E2 / E3
  std::string rule;      // kRuleGitCommitId / kRuleSessionOverlap / kRuleMarker / the E3 rule
  bool operator==(const AiLink&) const = default;
};

// One AI session's owner and active window.
struct AiSession {
  std::string session_id;
  std::string actor;  // identity as the source reported it (email, account id, login)
  std::string repo;   // owner/name when known, else ""
  int64_t start_unix_ms = 0, end_unix_ms = 0;
  bool operator==(const AiSession&) const = default;
};

// Maps an identity (commit author email, session actor) to a person id; "" when unknown. Plug in
// the directory's resolver; without one, identities compare as lowercased strings.
using IdentityResolver = std::function<std::string(std::string_view identity)>;

// Collapses usage events into sessions, sorted by session id. A session's window runs from its
// earliest event time to its latest end (end_unix_ms, else time + duration_ms, else time); its
// actor is the first non-empty actor. Events without a session id are skipped; repo is left ""
// because usage telemetry does not carry one.
std::vector<AiSession> SessionsFromUsage(const std::vector<model::UsageEvent>& events);

// E2 links from telemetry: one per distinct (session_id, git_commit_id) pair, in first-seen order.
// An abbreviated id is expanded when `graph` knows exactly one commit starting with it; ids the
// graph does not know are kept, lowercased.
std::vector<AiLink> LinkAiByCommitId(const std::vector<model::UsageEvent>& events,
                                     const CommitGraph& graph);

// E1 links: one per commit carrying an AI marker or a session trailer (Claude-Session,
// Amp-Thread-ID, Kiro-Session-Id; keys case-insensitive), in input order; the session id is that
// trailer's value, or "".
std::vector<AiLink> LinkAiByMarkers(const std::vector<model::Commit>& commits);

// E2 links by overlap: a session links to a commit when the session's actor and the commit's
// author email resolve to the same non-empty person, the repos agree (either may be ""), and
// authored_unix_ms lies in [start - slack_ms, end + slack_ms]. In commit order, then session start.
std::vector<AiLink> LinkAiBySessionOverlap(const std::vector<AiSession>& sessions,
                                           const std::vector<model::Commit>& commits,
                                           const IdentityResolver& resolve = {},
                                           int64_t slack_ms = kSessionOverlapSlackMs);

// Keeps one link per (session_id, commit_sha): the strongest evidence (E3 > E2 > E1; among equals,
// the first given), at the position of the first link for that pair.
std::vector<AiLink> MergeAiLinks(const std::vector<AiLink>& links);

}  // namespace goodhart::analytics
