// Delivery JSONL: goodhart's interchange format for delivery records, one per line as
// {"kind": "<kind>", "record": {...}} with the record in the JSON form of model/delivery_json.h.
// `goodhart store export --delivery` writes it and `goodhart ingest` reads it back, so delivery
// history can be moved between stores, backfilled from another system, or written by hand for a
// test scenario. Kinds: commit, change, review, release, pipeline_run, deployment, incident.
#pragma once

#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::receivers::file {

struct FileDecodeResult;

// One line (no trailing newline) per record of `batch`, in the order commits, changes, reviews,
// releases, pipeline runs, deployments, incidents.
std::string EncodeDeliveryJsonl(const model::EventBatch& batch);

// Decodes a whole file into out->batch's delivery vectors. Blank lines are skipped; a line that is
// not an object with a known `kind` and an object `record`, or whose record lacks its identity
// (a commit's repo and sha, a change's id, a review's change_id and reviewer, a release's repo and
// tag, a run's or deployment's or incident's id), is rejected as "delivery: line N: ..." and the
// rest is decoded.
Status DecodeDeliveryJsonl(std::string_view content, FileDecodeResult* out);

}  // namespace goodhart::receivers::file
