// GET /api/v1/report?from=&to=&team=&people=&person=&as_of=&baseline_from=&baseline_to=&dora_mode=
// The same JSON document as `goodhart report --format json` (analytics/report/report.h), shaped
// for the caller (api/access_guard.h, access/report_privacy.h): an admin gets person rows with
// `people=true` (`person=` keeps one of them), an analyst gets team aggregates only where k people
// contributed (`people=true` is 403), a member gets their own person row only. Every response with
// person rows is audited first. Bad parameters are 400 naming the parameter; a missing or wrong
// key is 401. With a ReadCache, answers come from it (api/read_cache.h: `Age`, `Cache-Control:
// no-cache`).
#pragma once

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store`, `access`, `flags` and `cache` must outlive the server. With `flags`, person rows list
// the person's flags and ND* removes what reviewers confirmed as gaming.
void AddReportRoutes(HttpServer& server, const store::Store& store,
                     const analytics::nd::NdParams& params, const AccessContext& access,
                     const review::FlagStore* flags = nullptr, ReadCache* cache = nullptr);

}  // namespace goodhart::api
