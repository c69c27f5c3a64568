// WebhookResult: what one decoded webhook delivery describes. The decoders are pure functions
// (body in, entities out); the HTTP routes verify the sender, call them, and hand `batch` to the
// next consumer unless a delivery with the same `dedupe_key` was already taken.
#pragma once

#include <string>
#include <vector>

#include "goodhart/model/delivery.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::receivers::webhook {

struct WebhookResult {
  // Entities the payload describes (may be empty). Every record's `ref` is {source, raw_id}:
  // source "github" | "gitlab" | "cdevents" | "api", raw_id the id of the delivery it came from
  // (X-GitHub-Delivery, the GitLab idempotency key, the CDEvent context.id, the API payload id).
  model::EventBatch batch;

  // A valid payload of an event or action goodhart does not use (ping, issues, a branch delete,
  // a draft release, ...). `batch` is then empty; the route answers 2xx so the sender stops.
  bool ignored = false;

  // Identity of the delivery for idempotency: "github:<X-GitHub-Delivery>",
  // "gitlab:<Idempotency-Key or X-Gitlab-Event-UUID>", "cdevents:<source>|<id>|<type>",
  // "api:deployments:<id>:<body hash>", "api:incidents:<id>:<body hash>".
  std::string dedupe_key;

  // For model::RawDelivery: the source ("github", ...) and the event name ("pull_request.closed",
  // "Merge Request Hook", "dev.cdevents.service.deployed.0.3.0", "deployment", "incident").
  std::string source;
  std::string event;

  size_t entity_count() const { return batch.size(); }
};

}  // namespace goodhart::receivers::webhook
