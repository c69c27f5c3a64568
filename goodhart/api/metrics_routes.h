// GET /metrics: Prometheus text exposition (format 0.0.4) of
//   goodhart_ingest_requests_total{receiver,outcome="ok|failed"}
//   goodhart_ingest_records_total{receiver,outcome="stored|duplicate|rejected"}
//   goodhart_ingest_bytes_total{receiver}
//   goodhart_store_bytes, goodhart_store_records{kind}
//   goodhart_alerts_sent_total
//   goodhart_http_request_duration_seconds{route,code} (histogram)
// Unauthenticated, like /healthz: it carries no person-level data.
#pragma once

#include "goodhart/api/http_server.h"
#include "goodhart/api/ingest_counters.h"
#include "goodhart/api/request_metrics.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// Everything passed must outlive the server; `flags` may be nullptr.
void AddMetricsRoutes(HttpServer& server, const store::Store& store, const IngestCounters& counters,
                      const RequestMetrics& requests, const review::FlagStore* flags);

}  // namespace goodhart::api
