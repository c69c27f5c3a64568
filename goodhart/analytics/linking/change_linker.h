// Change linking: a change (merged PR or direct push) to its reviews, and a deployment's commits to
// the changes they deliver. Reviews feed the quality gate R(L) and review metrics (metrics.md §3.8,
// §4); shipped changes feed lead time.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

struct ChangeReviews {
  std::string change_id;
  std::vector<model::Review> reviews;  // by submitted time, ties in input order
  bool operator==(const ChangeReviews&) const = default;
};

// One entry per change, in `changes` order, holding the reviews whose change_id equals its id (an
// empty list when it has none). Reviews of changes not given are dropped; a change id given twice
// gets its reviews once, at its first position.
std::vector<ChangeReviews> LinkReviews(const std::vector<model::Change>& changes,
                                       std::span<const model::Review> reviews);

// The ids of the changes a set of commits delivers, in `changes` order: those whose merge_sha is
// among `commit_shas`, or, for a change without a merge_sha (a direct push), whose head_sha is.
// Shas compare case-insensitively. Typically `commit_shas` is a DeploymentLink's change set.
std::vector<std::string> ChangesShippedBy(const std::vector<model::Change>& changes,
                                          std::span<const std::string> commit_shas);

}  // namespace goodhart::analytics
