// The dashboard's cost view: AI spend of a period by tool, by model and by team, reported by the
// provider vs computed from the price table, and the waste behind flags about cost.
//
//   GET /api/v1/costs?from=&to=&as_of=      admin, analyst (a member sees their own cost in the
//                                          report's person row)
//
//   {"period", "as_of", "total": {...}, "by_tool": [{"tool", ...}], "by_model": [{"provider",
//    "model", ...}], "by_team": [{"team", "name", ...}], "waste": {"cost_usd", "flags",
//    "by_detector": [{"detector", "flags", "cost_usd", "flag_ids"}]}, "notes": [...]}
//
// Tools and models come most expensive first, teams by id. Every row carries "cost_usd"
// (provider-reported cost where present, else computed: the report's cost), its "reported_cost_usd"
// and "computed_cost_usd" parts, "price_table_cost_usd" (the price table's cost of every row, to
// check the provider's bills against), "tokens" and "people" (distinct actors). Waste is the cost
// materiality (detect/flag.h) of the flags the caller may see whose period overlaps the period and
// that a reviewer has not judged benign.
//
// For the analyst the report's k-anonymity holds: teams the report suppresses are folded into one
// "(suppressed teams)" row, tool and model rows used by fewer than k people into "(other)", and
// when the organisation is suppressed so is everything.
#pragma once

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store`, `flags`, `access` and `cache` must outlive the server; answers come from `cache` when
// set (api/read_cache.h).
void AddCostRoutes(HttpServer& server, const store::Store& store,
                   const analytics::nd::NdParams& params, const AccessContext& access,
                   const review::FlagStore& flags, ReadCache* cache = nullptr);

}  // namespace goodhart::api
