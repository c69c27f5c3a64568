// DetectContext: one period's inputs, resolved to people and summarised once, for the detectors
// (detectors.h) to read. People resolves identities and knows each person's team, role family and
// service family (the peer group key). A DetectorRun is what one detector returns before the
// framework (gating.h) applies the tier rules, persistence and materiality.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "goodhart/detect/detect_input.h"
#include "goodhart/detect/detect_params.h"
#include "goodhart/detect/flag.h"
#include "goodhart/detect/tool_loops.h"

namespace goodhart::detect {

struct PersonInfo {
  std::string id, team, role_family, service_family;
  bool resolved = false;  // a person of the directory
  // "role_family/service_family" ("product/go-api"; "product/-" without a service family).
  std::string PeerGroup() const;
};

// Identity resolution with a cache. Not thread-safe (the cache); one per DetectAll call.
class People {
 public:
  People(const directory::Directory* directory, analytics::IdentityResolver resolve);
  // Person id of a raw identity; "" for bots, agents and empty identities.
  const std::string& Resolve(std::string_view identity) const;
  // The person's info; an unresolved id gets role family "unknown" and no team.
  const PersonInfo& Info(const std::string& person_id) const;
  const directory::Directory* directory() const { return directory_; }
  // The team that owns a service ("" when unknown) and the service's family.
  std::string ServiceTeam(std::string_view service) const;
  std::string ServiceFamily(std::string_view service) const;
  int64_t TeamSize(std::string_view team) const;

 private:
  const directory::Directory* directory_;
  analytics::IdentityResolver resolve_;
  mutable std::unordered_map<std::string, std::string> cache_;
  mutable std::unordered_map<std::string, PersonInfo> info_;
  std::map<std::string, std::string> team_family_;
  std::map<std::string, int64_t> team_size_;
};

struct DayUsage {
  int64_t tokens = 0, spend_micros = 0, prompts = 0;
};

struct PersonUsage {
  int64_t tokens = 0, spend_micros = 0, sessions = 0, prompts = 0;
  int64_t orphan_tokens = 0;
  int64_t session_tokens = 0;        // tokens of the person's sessions (per-session input only)
  std::map<int64_t, DayUsage> days;  // by day (days since the epoch)
  // Cost of one token for this person in the period (spend / tokens), for session costs.
  double MicrosPerToken() const;
};

struct SessionInfo {
  std::string id, person;
  int64_t start_unix_ms = 0, end_unix_ms = 0;
  int64_t tokens = 0;  // 0 when unknown (sessions derived from prompt sketches)
  int64_t prompts = 0;
  bool orphan = false;     // no commit or pull request linked within orphan_window_days
  int64_t tool_steps = 0;  // fingerprinted tool steps in the period
};

// A detector's finding before the framework's tier rules.
struct Candidate {
  Flag flag;
  bool statistical = false;  // has a p-value that enters Benjamini-Hochberg
};

struct DetectorRun {
  std::vector<Candidate> candidates;  // crossed the detector's own threshold
  std::vector<double> p_values;       // one per Tier-B test performed (every subject tested)
  std::vector<Flag> dropped;          // crossed, but dropped (suppressed_reason set)
};

// Immutable after construction; detectors only read it.
class DetectContext {
 public:
  // `history`: the periods before this one, most recent first (own baselines of D10-D12).
  // `own_baseline`: D10's frozen own baseline (DetectInput::own_baseline) restricted to periods
  // ending by this period's start; empty: `history` serves. All references must outlive the
  // context.
  DetectContext(const PeriodInput& input, std::vector<const PeriodInput*> history,
                const People& people, const DetectParams& params,
                std::vector<const PeriodInput*> own_baseline = {});
  DetectContext(const DetectContext&) = delete;  // it points into its own maps
  DetectContext& operator=(const DetectContext&) = delete;

  const PeriodInput& input() const { return input_; }
  const std::vector<const PeriodInput*>& history() const { return history_; }
  // The own-history baseline of D10 and D12: own_baseline when the caller gave one, else
  // history().
  const std::vector<const PeriodInput*>& own_baseline() const {
    return own_baseline_.empty() ? history_ : own_baseline_;
  }
  // True when own_baseline() is the caller's frozen baseline, not the history.
  bool has_frozen_baseline() const { return !own_baseline_.empty(); }
  const People& people() const { return people_; }
  const DetectParams& params() const { return params_; }
  const Period& period() const { return input_.period; }
  bool InPeriod(int64_t unix_ms) const {
    return unix_ms >= period().from_unix_ms && unix_ms < period().to_unix_ms;
  }

  const std::map<std::string, PersonUsage>& usage() const { return usage_; }
  const std::map<std::string, SessionInfo>& sessions() const { return sessions_; }
  bool sessions_exact() const { return sessions_exact_; }
  // Sessions whose tool steps loop (d5_loop_min_repeats), by session id.
  const std::map<std::string, ToolLoop>& tool_loops() const { return tool_loops_; }
  // The session's tokens; for a session without token counts (taken from prompts and tool
  // steps), its share of its person's tokens on each day it was active, by its share of that
  // person-day's prompts and tool steps. An estimate for pricing, never a metric.
  double SessionTokensOrEstimate(const SessionInfo& s) const;
  // ND of the person in the period: provisional and final L plus pending L at their current
  // value (a period that just ended has mostly pending L; §3.9 timing).
  double PersonNd(const std::string& person) const;
  // Logical changes delivered in the period.
  const std::vector<const analytics::nd::LogicalChangeCredit*>& changes() const { return changes_; }
  const model::Commit* FindCommit(std::string_view sha) const;
  // True when the person has a research/spike-labelled change merged in the period.
  bool HasResearchWork(const std::string& person) const;
  // True when the person has a linked artifact (commit or pull request; an AI-linked commit when
  // the input has AI links) at a time in [from, to).
  bool HasArtifact(const std::string& person, int64_t from_unix_ms, int64_t to_unix_ms) const;

  // A new flag with the framework fields every detector sets the same way.
  Flag NewFlag(std::string detector_id, std::string version, Tier tier, Subject subject) const;
  // "2026-05-04 to 2026-05-31".
  std::string PeriodLabel() const;

 private:
  void BuildUsage();
  void BuildArtifacts();
  void BuildSessions();
  void CountActivity() const;

  const PeriodInput& input_;
  std::vector<const PeriodInput*> history_;
  std::vector<const PeriodInput*> own_baseline_;
  const People& people_;
  const DetectParams& params_;
  std::map<std::string, PersonUsage> usage_;
  std::map<std::string, SessionInfo> sessions_;
  bool sessions_exact_ = false;
  std::map<std::string, ToolLoop> tool_loops_;
  // Each prompt and tool step of the period's sessions: (session, time).
  std::vector<std::pair<const SessionInfo*, int64_t>> activity_;
  // activity_ counted by (person, day) and by (session, day), for session token estimates. Built
  // on first use: most sessions carry their tokens and need no estimate. Not thread-safe, as
  // detectors run one after another over a context.
  mutable bool activity_counted_ = false;
  mutable std::map<std::pair<std::string, int64_t>, int64_t> person_day_activity_;
  mutable std::map<std::pair<std::string, int64_t>, int64_t> session_day_activity_;
  std::map<std::string, std::vector<int64_t>> artifact_times_;  // by person, sorted
  std::set<std::string> research_people_;
  std::map<std::string, double> nd_;
  std::vector<const analytics::nd::LogicalChangeCredit*> changes_;
  std::unordered_map<std::string, const model::Commit*> commit_by_sha_;
  std::vector<const model::Commit*> commits_by_sha_;  // sorted by sha: abbreviated lookups
};

}  // namespace goodhart::detect
