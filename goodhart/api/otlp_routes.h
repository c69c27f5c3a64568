// OTLP/HTTP JSON receiver routes: POST /v1/logs, /v1/metrics, /v1/traces (formats.md §1).
// A 200 means every accepted record is committed to the store; rejected records are reported as
// OTLP partial success; a body that is not OTLP JSON gets 400; a body over the limits gets 413;
// a store that cannot commit gets 503 with Retry-After, so exporters retry.
#pragma once

#include "goodhart/api/http_server.h"
#include "goodhart/api/ingest_counters.h"
#include "goodhart/pipeline/consumer.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"

namespace goodhart::api {

struct OtlpRouteOptions {
  int64_t body_limit_bytes = 64 << 20;  // as sent (the HTTP server enforces it); for messages
  int64_t decompressed_limit_bytes = 64 << 20;
  const processors::PromptSketcher* sketcher = nullptr;
};

// `next` and `counters` must outlive the server.
void AddOtlpRoutes(HttpServer& server, const OtlpRouteOptions& options, pipeline::Consumer& next,
                   IngestCounters& counters);

}  // namespace goodhart::api
