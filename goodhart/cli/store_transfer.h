// Moving a whole store into another one (embedded ⇄ ClickHouse, issue #8): `goodhart store export
// --out DIR` writes everything a store holds that another store needs, as files of goodhart's
// interchange formats, and `goodhart store import DIR` appends them to the configured store exactly
// once. Both page through the store and the files, so memory stays bounded whatever their size.
//
// An export directory (format version 2; version 1 had no review.jsonl):
//   manifest.json          written last: format, version, source kind and counts, and per file its
//                          records and bytes (an import refuses a directory without it, or whose
//                          files differ from it: an unfinished or truncated copy)
//   directory.jsonl        {"version", "imported_unix_ms", "content_hash", "yaml"}, oldest first
//   usage.jsonl            canonical JSONL (receivers/file/canonical_jsonl.h), in time windows
//   delivery.jsonl         delivery JSONL (receivers/file/delivery_jsonl.h), merged states
//   raw_deliveries.jsonl   {"dedupe_key", "source", "event", "received_unix_ms", "body"}
//   ("body_hex"
//                          instead of "body" when the body is not UTF-8)
//   git_heads.jsonl        {"repo", "heads"}: the git importer's cursor per repository
//   review.jsonl           {"flag", "notes"}: each flag with its notes (review_transfer.h)
// Rollups, cadence rows and tool steps are not carried: the target derives them from the events as
// it stores them. The alert outbox, the audit log and the sketch key are not carried either
// (README.md, "Moving data").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/cli/progress.h"
#include "goodhart/store/store.h"

namespace goodhart::cli {

// Writes the export directory `dir` (created; refused when it exists and is not empty) from
// `store`, whose kind ("embedded", "clickhouse") goes into the manifest. Returns the manifest.
// Fails with kDataLoss when fewer records were exported than the store counted before the export
// began (a store that lost track of a record); records stored while the export runs may or may not
// be included.
Result<nlohmann::json> ExportStoreToDirectory(store::Store& store, const std::string& kind,
                                              const std::string& dir, Progress& progress);

// What an import did with one kind of record.
struct ImportPart {
  std::string name;        // "usage_events", "delivery_records", ...
  int64_t stored = 0;      // new to the store (a delivery record: changed by the import)
  int64_t duplicates = 0;  // already stored: skipped
  int64_t kept = 0;        // git heads only: the store has heads of its own for that repository
};

// Appends `path` to `store`: an export directory, or one JSONL file of canonical usage events or
// delivery records (what `goodhart store export` writes to stdout). Running it again stores
// nothing new. A directory's versions must extend the store's directory history (or equal it):
// otherwise kFailedPrecondition before anything is written. On an error, what was appended before
// it stays committed, and running the import again completes it.
Result<std::vector<ImportPart>> ImportIntoStore(store::Store& store, const std::string& path,
                                                Progress& progress);

}  // namespace goodhart::cli
