// CDEvents over CloudEvents HTTP -> delivery entities (formats.md §7). Accepts spec 0.4
// (context.version, subject.type) and 0.5+ (context.specversion), any version of a known type.
//
// Transport modes, chosen by Content-Type:
//   application/cloudevents+json        structured: a CloudEvent envelope whose `data` (or
//                                       `data_base64`) is the CDEvent
//   application/cloudevents-batch+json  a JSON array of structured envelopes
//   anything else (application/json)    binary: ce-* headers, the body is the CDEvent itself (a
//                                       structured envelope sent as application/json is also
//                                       recognised)
//
// What each event becomes (`ref` = {"cdevents", context.id}):
//   service.deployed|upgraded|rolledback  model::Deployment, status success (rolledback: rollback),
//                                         service = subject.id, environment =
//                                         content.environment.id, artifact_digest from the
//                                         artifactId purl
//                                         ("pkg:oci/app@sha256%3A..." -> "sha256:...")
//   change.merged                         model::Change "cdevents:<subject.id>", merged (no sha)
//   change.reviewed                       model::Review of that change, state "commented" (the
//                                         event carries no verdict)
//   incident.detected|reported|resolved   model::Incident "cdevents:<subject.id>"
//   pipelinerun.finished                  model::PipelineRun "cdevents:<subject.id>"
//   anything else (and custom dev.cdeventsx.* types)  accepted and ignored
// Dedupe key: "cdevents:<source>|<id>|<type>", because the spec's own conformance files reuse one
// context.id for incident.detected, reported and resolved.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/receivers/webhook/webhook_result.h"

namespace goodhart::receivers::webhook {

// `ce_headers` holds the request's ce-* headers (names in any case; other headers are ignored).
// They are optional in binary mode: the CDEvent's context is authoritative. Returns one result
// per event (one, or one per batch element); any bad event fails the whole request, naming the
// element ("cdevents: [2].context.timestamp: not a timestamp").
Result<std::vector<WebhookResult>> DecodeCdevents(
    std::string_view content_type, const std::map<std::string, std::string>& ce_headers,
    std::string_view body);

}  // namespace goodhart::receivers::webhook
