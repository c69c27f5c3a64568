// Operational routes: GET /healthz (the process answers), GET /readyz (the store answers), and
// GET /api/v1/ingest/status (receiver counters and store size).
#pragma once

#include "goodhart/api/http_server.h"
#include "goodhart/api/ingest_counters.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store` and `counters` must outlive the server.
void AddStatusRoutes(HttpServer& server, const store::Store& store, const IngestCounters& counters);

}  // namespace goodhart::api
