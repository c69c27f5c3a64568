// StoreStats as JSON: what `goodhart store stats` prints and `GET /api/v1/status` returns under
// "store", with one field per count under its StoreStats name.
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/store/store.h"

namespace goodhart::store {

nlohmann::json StatsJson(const StoreStats& stats);

}  // namespace goodhart::store
