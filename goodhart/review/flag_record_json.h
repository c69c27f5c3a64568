// The JSON of a flag with its review state, as `goodhart flags` and GET /api/v1/flags return it:
// the flag (detect/flag_json.h) plus "status" (awaiting_subject | open | resolved), "created",
// "review_opens", "disposition" (the latest, or null) and "notes" (annotations and dispositions).
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/review/flag_store.h"

namespace goodhart::review {

nlohmann::json FlagRecordJson(const FlagRecord& record, int64_t now_unix_ms);

}  // namespace goodhart::review
