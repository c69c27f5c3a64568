// What the ND engine returns: every number with the evidence behind it, so that the report, the
// detectors and the dashboard can explain each one (metrics.md §3.9, §7 item 6 "every ND component
// can be traced to evidence ids"). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/nd/attribution.h"
#include "goodhart/analytics/nd/credit.h"
#include "goodhart/analytics/nd/qualifying_deployments.h"
#include "goodhart/analytics/nd/quality_gates.h"
#include "goodhart/analytics/nd/substance_ref.h"

namespace goodhart::analytics::nd {

// Where a logical change stands at the evaluation time (§3.9 timing).
enum class NdStage {
  kPending,      // delivered less than T_prov ago: not published, not in any sum
  kProvisional,  // T_prov <= age < T_final: ND uses D at T_prov
  kFinal,        // age >= T_final: ND uses D at T_final; use this for decisions
};
// "pending", "provisional", "final".
std::string_view NdStageName(NdStage stage);

// One change (pull request or direct push) of a logical change, as delivered to its service.
struct ChangePart {
  std::string change_id;
  std::string repo;
  int64_t number = 0;
  std::string title;
  bool direct_push = false;  // a synthetic "push:" change: commits no pull request owns
  std::string author;        // the raw identity that opened it
  std::string owner;         // Actor::id of its human owner ("" none)
  int64_t merged_unix_ms = 0;
  std::vector<std::string> commit_shas;  // its commits touching the service, parents first
  // Commits that weigh nothing, and why.
  std::vector<std::string> duplicate_commit_shas;  // patch-id already credited in the service
  std::vector<std::string> revert_commit_shas;     // reverts, and commits reverted inside L
  double substance = 0;  // meaningful lines inside the service, without the above
  // Delivery (change_delivery.h).
  std::string deployment_id;
  int64_t delivered_unix_ms = 0;
  std::string rolled_back_deployment_id;  // set when its first deployment was rolled back
  bool operator==(const ChangePart&) const = default;
};

// One logical change L of one service and its ND.
struct LogicalChangeCredit {
  std::string id;  // "<service>/<first change id>"
  std::string service;
  std::string owner;              // the primary author (Actor::id) the changes were grouped under
  std::vector<ChangePart> parts;  // by merge time
  std::vector<std::string> grouping;  // why the parts form one L (logical_changes.h reasons)
  int64_t first_merged_unix_ms = 0, last_merged_unix_ms = 0;
  int64_t delivered_unix_ms = 0;  // when its last part was delivered
  std::string delivered_by;       // that part's deployment

  NdStage stage = NdStage::kPending;
  double s = 0;              // S(L): sum of the parts' substance
  std::string duplicate_of;  // every commit repeats content credited to this L
  SRef s_ref;
  Credit credit;  // g, with S, S_ref, S_max
  ReviewGate review;
  FailureGate failure;
  Durability durability;
  double d = 1;   // D used at this stage: durability.prov (pending, provisional) or .final
  double nd = 0;  // R * F * D * g at this stage
  std::optional<double> nd_provisional;  // set from the provisional stage on
  std::optional<double> nd_final;        // set at the final stage
  std::vector<Share> shares;
  std::vector<std::string> notes;  // anything a reader should know: S > S_max, incomplete history
  bool operator==(const LogicalChangeCredit&) const = default;
};

struct PersonContribution {
  std::string logical_change_id;
  double share = 0;
  double nd = 0;  // share x ND(L)
  NdStage stage = NdStage::kPending;
  bool operator==(const PersonContribution&) const = default;
};

// ND_person(p, T) = sum over L delivered in T of share_p(L) x ND(L). Private to p (§7).
struct PersonNd {
  std::string person_id;  // Actor::id
  bool resolved = false;  // in the directory
  std::string team;
  double fte = 0;                 // the directory's; 1 for an unresolved contributor
  double available_weeks = 0;     // NdInput::available_weeks, else the period's length in weeks
  double nd = 0;                  // provisional and final L, each at its current stage
  double nd_final = 0;            // final L only
  double nd_pending = 0;          // not yet published; in no sum
  std::optional<double> nd_rate;  // nd / (fte x available_weeks), when that is positive
  std::vector<PersonContribution> contributions;  // by delivery time
  bool operator==(const PersonNd&) const = default;
};

// ND_team = sum of its people's ND; ND_rate = ND_team / sum of FTE_p x available_weeks_p(T).
struct TeamNd {
  std::string team_id, name;
  std::vector<std::string> members;  // person ids, as the directory lists them
  int64_t contributors = 0;          // members with an L delivered in T (any stage, any ND)
  double nd = 0, nd_final = 0;
  double engineer_weeks = 0;
  std::optional<double> nd_rate, nd_rate_final;
  bool operator==(const TeamNd&) const = default;
};

struct NdResult {
  std::string definition_version;  // NdParams::definition_version: stamp it on every report
  int64_t as_of_unix_ms = 0;
  int64_t period_from_unix_ms = 0, period_to_unix_ms = 0;
  std::vector<DeploymentVerdict> deployments;  // every record up to as_of, in input order
  std::vector<LogicalChangeCredit> changes;    // every delivered L, by service then delivery
  std::vector<PersonNd> people;  // the directory's people, then unresolved contributors
  std::vector<TeamNd> teams;     // the directory's teams
  std::vector<SRef> s_refs;      // every (service, quarter) S_ref used
  double unattributed_nd = 0;    // shares with no human owner (bots' changes), in T
  std::vector<std::string> undelivered_change_ids;  // merged by as_of, not delivered anywhere
  std::vector<std::string> warnings;                // data problems worth fixing upstream
  bool operator==(const NdResult&) const = default;
};

}  // namespace goodhart::analytics::nd
