// Delivery-event receivers (issue #3, formats.md §5–§8):
//   POST /hooks/github       X-GitHub-Event, X-GitHub-Delivery; X-Hub-Signature-256 checked over
//                            the raw bytes when webhooks.github_secret is set
//   POST /hooks/gitlab       X-Gitlab-Event, Idempotency-Key / X-Gitlab-Event-UUID; X-Gitlab-Token
//                            checked when webhooks.gitlab_token is set
//   POST /hooks/cdevents     CloudEvents binary, structured and batch modes
//   POST /api/v1/deployments generic deployment JSON (DevLake's webhook shape)
//   POST /api/v1/incidents   generic incident JSON
// Every accepted delivery is committed with its raw body (for replay) before the 2xx, and is
// idempotent on its delivery id: a retry answers 200 with `"duplicate": true` and stores nothing.
// A failed signature or token is 401 and stores nothing; a malformed body is 400 naming the field.
// The answer: {"stored": N, "duplicates": N, "ignored": bool, "duplicate": bool, "event": "..."}.
#pragma once

#include <string>

#include "goodhart/api/http_server.h"
#include "goodhart/api/ingest_counters.h"
#include "goodhart/base/clock.h"
#include "goodhart/pipeline/consumer.h"

namespace goodhart::api {

struct WebhookRouteOptions {
  std::string github_secret;     // empty: signatures are not checked
  std::string gitlab_token;      // empty: tokens are not checked
  const Clock* clock = nullptr;  // received time of raw deliveries; nullptr: the system clock
};

// `next` and `counters` must outlive the server.
void AddWebhookRoutes(HttpServer& server, const WebhookRouteOptions& options,
                      pipeline::Consumer& next, IngestCounters& counters);

}  // namespace goodhart::api
