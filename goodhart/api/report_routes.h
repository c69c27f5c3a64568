// GET /api/v1/report?from=&to=&team=&as_of=&baseline_from=&baseline_to=&dora_mode=goodhart|devlake
// The same JSON document as `goodhart report --format json` (analytics/report/report.h), without
// per-person rows: who may see individuals is decided by the access rules of issue #5. Bad
// parameters are 400 naming the parameter.
#pragma once

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/api/http_server.h"
#include "goodhart/base/clock.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store` must outlive the server; `clock` nullptr: the system clock.
void AddReportRoutes(HttpServer& server, const store::Store& store,
                     const analytics::nd::NdParams& params, const Clock* clock = nullptr);

}  // namespace goodhart::api
