// Assembles a team's delivery records from its engineers' activities (activity.h): each service's
// mainline (commits in commit-time order, each the parent of the next), the deployments the
// engineers triggered resolved against it, and the daily release train of each service (run by
// its release engineer, or the deploy bot) that ships whatever is on main and not yet running.
// Then the ND engine (the production code, analytics::nd::ComputeNd) runs over the result.
#pragma once

#include <vector>

#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/directory/directory.h"
#include "goodhart/simulate/activity.h"
#include "goodhart/simulate/org.h"
#include "goodhart/store/store.h"

namespace goodhart::simulate {

// `members[i]` is the activity of the team's i-th engineer (org order).
store::DeliveryRecords AssembleTeam(const Org& org, int team,
                                    const std::vector<const Activity*>& members);

// The ND variants the Goodhart test compares (metrics.md §6.4).
enum class NdVariant { kNd, kNdPr, kNdSqrt };
analytics::nd::NdParams ParamsOf(NdVariant variant);

// ComputeNd over one team's records, evaluated when every test-period change is final, with S_ref
// pinned to `s_refs` (frozen from the baseline). Aborts on an engine error: simulated inputs are
// valid by construction.
analytics::nd::NdResult ComputeTeamNd(const store::DeliveryRecords& records,
                                      const directory::Directory& directory,
                                      const std::vector<analytics::nd::SRefOverride>& s_refs,
                                      NdVariant variant);

// S_ref per service from the baseline period: the substance-weighted median of the pure sizes of
// the changes merged there (floor 20 lines), pinned for every quarter the calendar touches.
std::vector<analytics::nd::SRefOverride> BaselineSRefs(const Org& org,
                                                       const std::vector<Activity>& activities);

}  // namespace goodhart::simulate
