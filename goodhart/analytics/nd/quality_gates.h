// The quality gate Q(L) = R(L) * F(L) * D(L) of metrics.md §3.8, as pure functions over what the
// engine gathers for one logical change L. Each gate returns its value with the evidence behind it.
//
// R, review (0 or 1). 1 when every change of L has an approval ("approved", any case) that is
//   - by an eligible reviewer: a human (a person of the directory when there is one; without a
//     directory anyone who is not an agent or bot), and not an author or co-author of L;
//   - after the last push: the review's commit_sha is the change's head_sha when both are known,
//     else it was submitted at or after the head commit's commit time, else (nothing known) it
//     counts; require_last_push_approval = false skips this;
//   - before the merge, or after it within break_glass_working_days (break-glass).
//   A direct push (no pull request) has nothing to approve: R = 0.
// F, failure (0 or 1). 0 when, within w_fail_days of the change's delivery, for any change of L:
//   revert    a commit says it reverts one of the change's commits (reverts_sha; an abbreviated
//             sha matches); reverts inside L itself do not count;
//   rollback  its delivering deployment was rolled back and it was not re-delivered in time;
//   incident  a Sev1..failure_max_severity incident names the change in caused_by, or names its
//             deployment when L is the only logical change that deployment delivered (otherwise
//             the incident is noted, not charged);
//   hotfix    a change linked to an incident as its remediation, touching one of L's files, was
//             delivered within hotfix_window_hours after L.
// D, durability (in [0, 1]). The fraction of L's net added meaningful lines (line fingerprints:
//   added by L's commits and not removed again inside L) still present at T_prov (21 d) and T_final
//   (90 d) after delivery. A later commit removing a fingerprint from the same path (or the path it
//   was renamed from) loses the line when the caller classes it as by L's authors or a revert;
//   removals by other people count as surviving (the line leaves tracking, so it is never lost
//   later). L without fingerprints is not measurable: D = 1, `measured` = false.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/actors.h"
#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

// ---- R ----

struct ReviewedChange {
  std::string change_id;
  bool direct_push = false;
  std::string head_sha;
  int64_t last_push_unix_ms = 0;  // commit time of the head commit; 0 when unknown
  int64_t merged_unix_ms = 0;     // 0: unknown, every approval counts as before the merge
  std::vector<model::Review> reviews;
};

struct Approval {
  std::string change_id;
  std::string review_id;  // the review's source id, or "<reviewer>@<time>" when it has none
  std::string reviewer;   // Actor::id
  int64_t submitted_unix_ms = 0;
  bool break_glass = false;  // given after the merge
  bool operator==(const Approval&) const = default;
};

struct ReviewGate {
  int value = 0;
  std::vector<Approval> approvals;  // the approval that counted, per change (all of them if R=1)
  std::string reason;               // R = 0: the first change that failed and why
  bool operator==(const ReviewGate&) const = default;
};

// `authors`: Actor ids of everyone who authored or co-authored L (attribution.h).
ReviewGate EvaluateReviewGate(const std::vector<ReviewedChange>& changes,
                              const std::set<std::string>& authors, const ActorResolver& actors,
                              const NdParams& params);

// ---- F ----

inline constexpr char kFailRevert[] = "revert";
inline constexpr char kFailRollback[] = "rollback";
inline constexpr char kFailIncident[] = "incident";
inline constexpr char kFailHotfix[] = "hotfix";

// One change of L as delivered to the service.
struct DeliveredChange {
  std::string change_id;
  std::vector<std::string> commit_shas;  // every commit of the change, its tip included
  std::vector<std::string> files;        // paths inside the service
  std::string deployment_id;
  int64_t delivered_unix_ms = 0;
  std::string rolled_back_deployment_id, rolled_back_by;  // change_delivery.h Delivery
  int64_t rolled_back_unix_ms = 0;
  bool rollback_failure = false;
  std::string redelivered_by;
};

struct RevertCommit {
  std::string sha, reverted_sha;
  int64_t committed_unix_ms = 0;
};

struct IncidentCause {
  std::string incident_id;
  int severity = 0;       // internal::SeverityLevel; 0 unknown
  std::string caused_by;  // a deployment id or a change id
  int64_t began_unix_ms = 0;
};

struct Hotfix {
  std::string change_id, incident_id;
  std::vector<std::string> files;  // paths inside the service
  int64_t delivered_unix_ms = 0;
};

struct FailureContext {
  std::vector<RevertCommit> reverts;
  std::vector<IncidentCause> incidents;  // incidents with a caused_by
  std::vector<Hotfix> hotfixes;          // remediation changes delivered to the service
  // How many logical changes each deployment delivered to the service.
  std::map<std::string, int64_t> logical_changes_by_deployment;
};

struct FailureEvent {
  std::string kind;       // kFailRevert, kFailRollback, kFailIncident, kFailHotfix
  std::string change_id;  // the change of L it hit
  std::string event_id;   // the revert commit, the rollback deployment, the incident, the hotfix
  int64_t at_unix_ms = 0;
  std::string detail;  // one plain sentence
  bool operator==(const FailureEvent&) const = default;
};

struct FailureGate {
  int value = 1;
  std::vector<FailureEvent> events;  // every failing event, earliest first; F = 0 iff any
  std::vector<std::string> notes;    // signals that were seen but not charged
  bool operator==(const FailureGate&) const = default;
};

FailureGate EvaluateFailureGate(const std::vector<DeliveredChange>& changes,
                                const FailureContext& context, const NdParams& params);

// ---- D ----

inline constexpr char kLossByAuthor[] = "author";
inline constexpr char kLossByRevert[] = "revert";

struct LineLoss {
  std::string commit_sha;
  std::string path;
  int64_t lines = 0;
  int64_t at_unix_ms = 0;
  std::string by;  // kLossByAuthor or kLossByRevert
  bool operator==(const LineLoss&) const = default;
};

struct Durability {
  bool measured = false;  // L added fingerprinted lines
  int64_t lines = 0;      // L's net added fingerprinted lines
  int64_t lost_prov = 0, lost_final = 0;
  double prov = 1, final = 1;    // D at T_prov and T_final (so far, before those times)
  int64_t survived_edits = 0;    // lines later changed by other people (counted as surviving)
  std::vector<LineLoss> losses;  // by time
  bool operator==(const Durability&) const = default;
};

// `l_commits`: L's commits, parents first; `in_scope` keeps the files of the service.
// `later_commits`: commits that may remove L's lines (any order); those committed after
// `merged_unix_ms` and at or before min(as_of, delivered + T_final) are read.
// `loss_kind(commit)`: kLossByAuthor, kLossByRevert, or "" for other people.
Durability EvaluateDurability(
    const std::vector<const model::Commit*>& l_commits,
    const std::function<bool(const model::Commit&, const model::FileDiff&)>& in_scope,
    const std::vector<const model::Commit*>& later_commits,
    const std::function<std::string(const model::Commit&)>& loss_kind, int64_t merged_unix_ms,
    int64_t delivered_unix_ms, int64_t as_of_unix_ms, const NdParams& params);

}  // namespace goodhart::analytics::nd
