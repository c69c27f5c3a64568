// The ND engine (metrics.md §3.9): from in-memory delivery entities to ND per logical change,
// person and team, with the evidence behind every number.
//
//   ND(L)            = R(L) * F(L) * D(L) * g(S(L))                        in [0, 1]
//   ND_person(p, T)  = sum over L delivered in T of share_p(L) * ND(L)
//   ND_team(team, T) = sum over p in team of ND_person(p, T)
//   ND_rate(team, T) = ND_team / sum over p in team of FTE_p * available_weeks_p(T)
//
// Steps, each in its own file: qualifying deployments (qualifying_deployments.h), commits to
// changes and changes to deliveries (change_delivery.h), grouping into logical changes and content
// de-duplication (logical_changes.h), S_ref (substance_ref.h), g (credit.h), R, F, D
// (quality_gates.h), shares (attribution.h).
//
// Time. Everything is evaluated as of `as_of_unix_ms`: records dated later are ignored, so a
// replay of the past gives the numbers published then. An L delivered less than T_prov (21 d)
// ago is pending and in no sum; from T_prov it is provisional (D at T_prov); from T_final (90 d)
// final (D at T_final). Decisions use final ND.
//
// Substance. S(L) is the sum over L's commits of their meaningful lines inside the service
// (FileDiff::meaningful, from the substance classifier), without reverts (a revert is not new
// substance: reverting earns nothing, so revert-and-reapply cannot earn twice) and without
// duplicate content (logical_changes.h). The spec measures S on L's net diff; goodhart has per-
// commit diffs only, so a line rewritten inside L counts in each commit that touches it.
//
// Mainline. Only commits on the mainline can revert a change (F) or remove its lines (D): the
// commits some landed deployment ran, and the commits of merged changes. A commit on an abandoned
// branch, or a direct push no deployment has shipped yet, does not count.
//
// Inputs the model does not carry yet: incident remediation links (`remediations`) and frozen
// S_ref values (`s_ref_overrides`, which the store keeps once a quarter's value is published).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/base/status.h"
#include "goodhart/directory/directory.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

// A change recorded as the remediation of an incident: the Sev1-3 floor of §3.7 and the hotfix
// signal of §3.8 F(d).
struct IncidentRemediation {
  std::string incident_id, change_id;
  bool operator==(const IncidentRemediation&) const = default;
};

// A pinned S_ref for one service and quarter (a published, frozen value).
struct SRefOverride {
  std::string service;
  int64_t quarter_start_unix_ms = 0;  // midnight UTC of the quarter's first day
  double s_ref = 0;
  bool operator==(const SRefOverride&) const = default;
};

struct NdInput {
  // Everything the linkers need, including the history S_ref reads: at least from
  // quarter start - s_ref_lag - s_ref_window (210 days before the quarter) to as_of. Not owned
  // (the records are large, and one report computes ND for several periods over the same
  // history): the vectors they view must outlive the call.
  std::span<const model::Deployment> deployments;
  std::span<const model::Commit> commits;
  std::span<const model::Change> changes;
  std::span<const model::Review> reviews;
  std::span<const model::Incident> incidents;
  std::vector<IncidentRemediation> remediations;
  // People, teams, services (path globs, production environments, family). nullptr: every
  // service is a whole repository with `production`/`prod` environments, nobody is resolved, and
  // ND_team is empty. Not owned; must outlive the call.
  const directory::Directory* directory = nullptr;
  int64_t as_of_unix_ms = 0;
  // T for ND_person, ND_team and ND_rate: logical changes delivered in [from, to).
  int64_t period_from_unix_ms = 0, period_to_unix_ms = 0;
  // Logical changes delivered before this are built, gated for failure and de-duplicated (their
  // substance is S_ref's sample, their patch-ids the content ledger's), but not credited and not
  // in NdResult::changes: a report over the last months of a long history credits only what it
  // sums. No L delivered on or after it changes. Default: every L is credited.
  int64_t credit_from_unix_ms = std::numeric_limits<int64_t>::min();
  // available_weeks_p(T) by person id; a person not listed gets T's length in weeks.
  std::map<std::string, double> available_weeks;
  std::vector<SRefOverride> s_ref_overrides;
  NdParams params;
};

// InvalidArgument for invalid params or an empty period (to <= from). A period may run past
// as_of (the current quarter): its undelivered part simply holds nothing yet. Every other data
// problem is survived and reported in NdResult::warnings or the notes of a logical change.
Result<NdResult> ComputeNd(const NdInput& input);

// ComputeNd under each of `variants`, which may differ from input.params only in how logical
// changes are formed and credited (group_logical_changes, concave_credit) and in the definition
// version. Qualifying deployments, change membership, deliveries and the mainline depend on
// none of these and are computed once. Equal to ComputeNd with each variant's params;
// InvalidArgument as ComputeNd, or when a variant differs in anything else.
Result<std::vector<NdResult>> ComputeNdVariants(const NdInput& input,
                                                std::span<const NdParams> variants);

// Moves the logical changes delivered in [from, to) out of `result` into a result of their own,
// summed over that period (people, teams, unattributed ND); those that are also in `result`'s own
// period are copied instead, so `result`'s sums stay true. One engine run credits a report's
// period and its baseline, and each reads its own changes. The split result has no deployments,
// S_refs, warnings or undelivered changes: those belong to the run and stay in `result`.
// `directory` and `available_weeks` as in NdInput.
NdResult SplitPeriod(NdResult& result, int64_t from_unix_ms, int64_t to_unix_ms,
                     const directory::Directory* directory,
                     const std::map<std::string, double>& available_weeks = {});

// `result` summed over another period [from, to): the definition version, as-of, period, people,
// teams and unattributed ND, with no logical changes, deployments, S_refs or warnings. For a caller
// that reads one engine run as several periods and keeps its records in `result` (a detection
// run: the current period and those before it share one history).
NdResult SumPeriodTotals(const NdResult& result, int64_t from_unix_ms, int64_t to_unix_ms,
                         const directory::Directory* directory,
                         const std::map<std::string, double>& available_weeks = {});

// `result`, computed with `run_params`, with every credited L's g recomputed under `params` and so
// its ND, provisional and final ND; people and teams summed again, and the definition version
// `params`'. The credit function is the last step of the engine and reads nothing the gates
// read, so this equals a run with `params`: a caller comparing credit functions (the simulator's
// §6.4 ablation) runs the engine once. InvalidArgument when the two differ in anything but the
// credit function (concave_credit) and the definition version, or `params` is invalid.
Result<NdResult> Recredit(NdResult result, const NdParams& run_params, const NdParams& params,
                          const directory::Directory* directory,
                          const std::map<std::string, double>& available_weeks = {});

}  // namespace goodhart::analytics::nd
