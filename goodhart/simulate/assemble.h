// Assembles a team's delivery records from its engineers' activities (activity.h): each service's
// mainline (commits in commit-time order, each the parent of the next), the deployments the
// engineers triggered resolved against it, and the daily release train of each service (run by
// its release engineer, or the deploy bot) that ships whatever is on main and not yet running.
// Then the ND engine (the production code, analytics::nd::ComputeNd) runs over the result.
#pragma once

#include <span>
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

// ComputeNd over one team's records under each variant (one engine run's delivery stages shared,
// nd::ComputeNdVariants), evaluated when every test-period change is final, with S_ref pinned to
// `s_refs` (frozen from the baseline). Aborts on an engine error: simulated inputs are valid by
// construction.
std::vector<analytics::nd::NdResult> ComputeTeamNd(
    const store::DeliveryRecords& records, const directory::Directory& directory,
    const std::vector<analytics::nd::SRefOverride>& s_refs, std::span<const NdVariant> variants);

// S_ref per service as §3.6 freezes it before the test periods: the substance-weighted median
// (floor 20 lines) of the pure sizes of the changes of its 180-day window, pinned for every quarter
// the calendar touches. The window is the baseline period's changes plus the 152 days before it
// (kSRefHistoryWorkingDays), which the calendar does not simulate: their sizes are drawn from the
// same engineers' change rates and size distributions, on streams of their own (seed, run).
// Without that history S_ref would rest on ~50 changes a service and its noise (63-201 lines for
// services of one distribution) would rescale whole teams' ND.
inline constexpr int kSRefHistoryWorkingDays = 108;  // 152 calendar days
std::vector<analytics::nd::SRefOverride> BaselineSRefs(const Org& org,
                                                       const std::vector<Activity>& activities,
                                                       uint64_t seed, int run);

}  // namespace goodhart::simulate
