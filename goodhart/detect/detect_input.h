// What the detectors read (metrics.md §5), as in-memory values: the store's usage rollups, prompt
// sketches and prompt cadence, delivery records, the ND engine's result, AI links and per-session
// usage when the caller has them, and the directory. Nothing here touches the store: the caller
// (the flags command, the API) loads a PeriodInput per four-week period and calls DetectAll.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "goodhart/analytics/companion/token_metrics.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/detect/flag.h"
#include "goodhart/directory/directory.h"
#include "goodhart/store/store.h"

namespace goodhart::detect {

inline constexpr int64_t kPeriodDays = 28;  // §5.1: four-week periods

// One four-week period's data. Records outside [period.from, period.to) are ignored, except
// delivery records, which the detectors read with their own look-backs (a revert's reverted
// commit, a reapply 14 days later): load delivery from 30 days before the period to its end.
struct PeriodInput {
  Period period;
  std::vector<store::UsageRollupRow> rollups;
  std::vector<store::PromptSketchRow> prompt_sketches;  // 30-day retention: current period only
  std::vector<store::PromptCadenceRow> prompt_cadence;
  // Agent tool steps with fingerprints (30-day retention: current period only), ordered by
  // session then time (Store::QueryToolSteps): D5's loop signal.
  std::vector<store::ToolStepRow> tool_steps;
  store::DeliveryRecords delivery;
  // ComputeNd over this period (NdResult::period = `period`), evaluated at the period's end or
  // later. Not owned; must outlive DetectAll. nullptr: the delivery detectors see no changes.
  const analytics::nd::NdResult* nd = nullptr;
  // Optional. AI session -> commit links (analytics/linking): when present, a session or a day is
  // linked only through them; when absent, through any commit or pull request of the person.
  std::vector<analytics::AiLink> ai_links;
  // Optional. Per-session usage summed from usage events (companion::SessionUsage): exact
  // orphan sessions and session sizes. When absent, sessions come from the prompt sketches
  // (first to last prompt, no tokens) and orphan tokens are counted per person-day.
  std::vector<analytics::companion::SessionUsage> sessions;
  // Optional: one history shared by several periods (review/detection_windows.h), read instead of
  // `delivery` and of `nd`'s logical changes and deployments, so that a run over four periods
  // holds its delivery records and credited changes once. With `shared_nd`, `nd` need hold only
  // the period's sums (people, teams: nd::SumPeriodTotals).
  std::shared_ptr<const store::DeliveryRecords> shared_delivery;
  std::shared_ptr<const analytics::nd::NdResult> shared_nd;

  // What the detectors read: the shared records when set, else this period's own.
  const store::DeliveryRecords& Delivery() const {
    return shared_delivery ? *shared_delivery : delivery;
  }
  // `nd`'s logical changes and deployment verdicts (or shared_nd's); empty when there is no ND.
  const std::vector<analytics::nd::LogicalChangeCredit>& NdChanges() const;
  const std::vector<analytics::nd::DeploymentVerdict>& NdDeployments() const;
};

struct DetectInput {
  PeriodInput current;
  // The previous four-week periods, most recent first. Up to persistence_window - 1 (2) are
  // evaluated for persistence; all of them serve as the own-history baseline of D10-D12.
  std::vector<PeriodInput> previous;
  // Optional: D10's own baseline, "own previous quarter" (§5.2 D10): the periods of the quarter
  // before the one being measured, frozen for that quarter as S_ref is (§3.6). Every period D10
  // evaluates (the current one and those persistence looks at) is compared with the periods here
  // that end by its start. Empty: with the periods before it in `previous`, which for behaviour
  // sustained over several periods include its own earlier periods (the baseline absorbs it).
  std::vector<PeriodInput> own_baseline;
  // Flags from earlier runs (any list, any status): one whose tier_passed is true counts towards
  // persistence for its detector, subject and period. Lets persistence survive sketch retention.
  std::vector<Flag> prior_flags;
  // People, teams (roles, FTE), services (team, family). Not owned; may be nullptr: everyone is
  // then an unresolved identity in one org-wide peer group.
  const directory::Directory* directory = nullptr;
  // Optional: maps a raw identity to a person id ("" for bots, agents, service identities).
  // Default: the directory's person, "" for its bots and known agents, else the lowercased
  // identity ("Name <email>" gives the email), as companion::ResolvePerson does.
  analytics::IdentityResolver resolve;
};

struct DetectOutput {
  std::string params_version;
  Period period;
  // Flags that met their tier rule and persistence: shown (material) or logged silently
  // (shown = false). Sorted by detector, then subject.
  std::vector<Flag> flags;
  // Signals that crossed a detector's threshold but were not raised, with suppressed_reason:
  // not significant after Benjamini-Hochberg, no corroboration, not persistent, or a role-typical
  // signal without a role peer group. Kept for calibration (§5.1); never shown to anyone.
  std::vector<Flag> suppressed;
  std::vector<std::string> warnings;  // inputs that were missing and what was approximated
  int64_t tier_b_tests = 0;           // the m of Benjamini-Hochberg in the current period
};

}  // namespace goodhart::detect
