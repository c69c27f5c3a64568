// One engineer's simulated work over the baseline and test periods (metrics.md §6.2-§6.3), as
// goodhart's canonical records: commits (file diffs with meaningful lines and line
// fingerprints), pull requests, approvals, deployments they trigger, and their AI usage (daily
// rollups, per-session usage, AI links, prompt sketches and prompt cadence), with the hidden true
// value of each change. Every honest draw comes from a stream of (seed, run, engineer, day) or
// (..., change), so the honest part of an engineer's work is identical under every strategy
// (common random numbers); a strategy's additions draw from their own streams.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/analytics/companion/token_metrics.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/model/delivery.h"
#include "goodhart/simulate/org.h"
#include "goodhart/simulate/strategy.h"
#include "goodhart/store/store.h"

namespace goodhart::simulate {

// A deployment an engineer triggers; which commit it ships is resolved against the service's
// mainline when the organisation's records are assembled (assemble.h).
struct DeployIntent {
  enum class Kind {
    kHead,     // whatever is on main at that time (continuous deployment)
    kRunning,  // the digest already running: a redeploy (S3)
    kCommit,   // a given commit (S2 deploys the commits of one pull request one by one)
  };
  std::string id;
  int service = 0;
  int64_t at_unix_ms = 0;  // finished
  Kind kind = Kind::kHead;
  std::string sha;  // kCommit only
};

// The hidden true value of one pull request (0 for defective or gaming work), under the two value
// models: v1 = S^0.6 x noise (metrics.md §6.2) and v2 = ln(1 + S) x noise, S the pure substance.
struct ChangeTruth {
  std::string change_id;
  int64_t merged_unix_ms = 0;
  double v1 = 0, v2 = 0;
};

struct Activity {
  std::vector<model::Commit> commits;  // parents are set at assembly (the mainline order)
  std::vector<model::Change> changes;
  std::vector<model::Review> reviews;
  std::vector<DeployIntent> deploys;
  std::vector<store::UsageRollupRow> rollups;
  std::vector<store::PromptSketchRow> sketches;
  std::vector<store::PromptCadenceRow> cadence;
  std::vector<analytics::companion::SessionUsage> sessions;
  std::vector<analytics::AiLink> links;
  std::vector<ChangeTruth> truth;
};

struct ActivityOptions {
  uint64_t seed = 0;
  int run = 0;
  Strategy strategy = Strategy::kHonest;
  // Leave out the strategy's gaming additions but keep its diverted time: the "genuine" work ND*
  // is recomputed on when the gamer is flagged (§6.4 item 5).
  bool strip_gaming = false;
};

// The engineer's activity over every day of the calendar (org.h).
Activity GenerateActivity(const Org& org, const Engineer& engineer, const ActivityOptions& options);

}  // namespace goodhart::simulate
