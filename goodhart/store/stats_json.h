// StoreStats as JSON: what `goodhart store stats` prints and `GET /api/v1/status` returns under
// "store", with one field per count under its StoreStats name; and the record counts alone, by
// kind, which `/metrics` exposes as goodhart_store_records.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "goodhart/store/store.h"

namespace goodhart::store {

// Every record count (usage events, rollup rows, ..., directory versions) under its field name:
// everything in StoreStats but the size on disk and the schema version.
std::vector<std::pair<std::string_view, int64_t>> StoreCounts(const StoreStats& stats);

// StoreCounts plus bytes_on_disk and schema_version, as one JSON object.
nlohmann::json StatsJson(const StoreStats& stats);

}  // namespace goodhart::store
