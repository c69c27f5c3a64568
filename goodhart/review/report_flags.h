// The flag store's person flags as the report needs them (analytics/report/report.h PersonFlag):
// shown flags about people, with their status and latest disposition. Only micro-change flooding
// (D7) and diff padding (D10) carry an ND effect into ND*: they are the gamed behaviours ND
// credits; every other detector confirms something ND's gates already excluded, or cost.
#pragma once

#include <vector>

#include "goodhart/analytics/report/report.h"
#include "goodhart/review/flag_store.h"

namespace goodhart::review {

std::vector<analytics::report::PersonFlag> PersonFlags(const std::vector<FlagRecord>& records,
                                                       int64_t now_unix_ms);

// Loads the shown person flags overlapping [from, to) from `store`.
Result<std::vector<analytics::report::PersonFlag>> LoadPersonFlags(const FlagStore& store,
                                                                   int64_t from_unix_ms,
                                                                   int64_t to_unix_ms,
                                                                   int64_t now_unix_ms);

}  // namespace goodhart::review
