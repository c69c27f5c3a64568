// Logical changes (metrics.md §3.3): merged changes of one service grouped so that splitting a
// pull request earns nothing, and content de-duplication so that the same diff is credited once.
//
// Grouping. Two changes delivered to the same service join one logical change L when they have
// the same primary author (the human who owns each change, attribution.h), were merged within
// group_window_working_days of each other, and at least one of:
//   - the Jaccard index of their file sets (paths inside the service) is >= group_file_jaccard;
//   - they name the same work item (a Jira-style key such as PAY-142 in the title or branch);
//   - they are stacked: one's base branch is the other's head branch (same repository).
// Groups are the connected components of that relation, built greedily in merge order, with two
// exceptions that keep revert-and-reapply visible as separate changes: a change made only of
// reverts is never grouped, and two changes sharing a commit patch-id never end up in one group.
// Changes without a human owner are never grouped.
//
// Content de-duplication. Within a service, a commit whose patch-id was already credited is a
// duplicate: it weighs nothing. Content is credited by the first logical change, in delivery order,
// that delivers it without failing (F = 1): a reverted or rolled-back delivery does not use up the
// content's credit, so revert-and-reapply nets one credit and a cherry-pick or backport none.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

// One delivered change of a service, as the grouping sees it.
struct GroupingCandidate {
  std::string change_id;
  std::string repo;
  std::string owner;  // Actor::id of the human who owns it; "" never groups
  int64_t merged_unix_ms = 0;
  std::set<std::string> files;          // paths inside the service
  std::vector<std::string> work_items;  // WorkItemsOf()
  std::string base_ref, head_ref;
  std::set<std::string> patch_ids;  // of its commits ("" left out)
  bool revert_only = false;         // every commit with substance is a revert
};

struct LogicalChangeGroup {
  std::vector<size_t> members;       // indices into the candidates, by merge time
  std::vector<std::string> reasons;  // one per joined pair: "#12 + #13: file Jaccard 0.50"
  bool operator==(const LogicalChangeGroup&) const = default;
};

// |a ∩ b| / |a ∪ b|; 0 when both are empty.
double FileJaccard(const std::set<std::string>& a, const std::set<std::string>& b);

// Jira-style keys ([A-Z][A-Z0-9]+-[0-9]+) in the change's title, head branch and labels, in order,
// without repeats: "PAY-142: retries" on branch "feature/PAY-142-retry" gives {"PAY-142"}.
std::vector<std::string> WorkItemsOf(const model::Change& change);

// Groups the candidates of ONE service, per the rules above. Every candidate is in exactly one
// group; groups come by their first member's merge time.
std::vector<LogicalChangeGroup> GroupLogicalChanges(
    const std::vector<GroupingCandidate>& candidates, const NdParams& params);

// The patch-ids credited so far in each service. Not thread-safe.
class ContentLedger {
 public:
  // The logical change that was credited with `patch_id` in `service`, or "" when none was.
  std::string CreditedTo(std::string_view service, std::string_view patch_id) const;
  // Records that `logical_change_id` was credited with `patch_id` (first one wins).
  void Credit(std::string_view service, std::string_view patch_id,
              std::string_view logical_change_id);

 private:
  std::unordered_map<std::string, std::string> credited_;  // service + '\n' + patch id -> L id
};

}  // namespace goodhart::analytics::nd
