// ND_person, ND_team and ND_rate (metrics.md §3.9) from the credited logical changes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/directory/directory.h"

namespace goodhart::analytics::nd::internal {

struct PeopleTotals {
  std::vector<PersonNd> people;
  std::vector<TeamNd> teams;
  double unattributed_nd = 0;
};

// Sums share x ND over the logical changes delivered in [from, to): provisional and final ones into
// `nd`, final ones into `nd_final`, pending ones into `nd_pending` only. People: the directory's
// (in its order, zeros included), then unresolved contributors by id. `directory` may be nullptr.
PeopleTotals AggregatePeople(const std::vector<LogicalChangeCredit>& changes,
                             const directory::Directory* directory, int64_t from_unix_ms,
                             int64_t to_unix_ms,
                             const std::map<std::string, double>& available_weeks);

}  // namespace goodhart::analytics::nd::internal
