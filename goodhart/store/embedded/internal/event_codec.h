// The compact binary body of a stored usage event. The columns of `usage_events` hold what queries
// filter on (time, actor, event_key); everything else a UsageEvent holds lives in one blob, so an
// insert binds six values instead of forty and a round trip is exact by construction.
//
// Body format, version 1 (varints are LEB128, signed values zigzag-encoded):
//   u8 version=1, u8 kind, u8 signal, u8 temporality,
//   u8 flags (1: reported cost, 2: sketch, 4: tool step)
//   12 varint dictionary ids, in DictField order
//   4 length-prefixed strings: raw_id, prompt_id, request_id, git_commit_id
//   zigzag: end_unix_ms, 5 token buckets, request_count, [reported_cost], computed_cost,
//           duration_ms, prompt_length, series_start_unix_ms
//   [sketch: u64 simhash, 128 x u64 minhash, zigzag token_estimate]   (only when flag 2)
//   [tool step: length-prefixed tool_name, u64 tool_step_fingerprint]   (only when flag 4; bodies
//    written before it existed simply lack the flag)
// Prompt sketches of kPrompt events live in `prompt_sketches` instead, so that retention can
// purge them; flag 2 covers the rare sketch on any other record.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"

namespace goodhart::store::internal {

// The low-cardinality string fields, stored as ids into the `strings` dictionary.
enum DictField : int {
  kSource = 0,
  kEventName,
  kActorKind,
  kOrganization,
  kSession,
  kTool,
  kToolVersion,
  kAgent,
  kQuerySource,
  kProvider,
  kModel,
  kSeriesKey,
  kDictFieldCount,
};
using DictIds = std::array<int64_t, kDictFieldCount>;

// The value of `field` in `event`.
const std::string& DictFieldValue(const model::UsageEvent& event, int field);
std::string* MutableDictField(model::UsageEvent* event, int field);

// Appends the body of `event` to `out` (cleared first). `inline_sketch` stores prompt_sketch in
// the body (flag 2) instead of leaving it to the sketch table.
void EncodeEventBody(const model::UsageEvent& event, const DictIds& ids, bool inline_sketch,
                     std::string* out);

// Fills every body field of `event` except the dictionary strings, whose ids go to `ids`.
// kDataLoss if the blob is truncated or of an unknown version.
Status DecodeEventBody(std::string_view body, model::UsageEvent* event, DictIds* ids);

}  // namespace goodhart::store::internal

namespace goodhart::store::internal {

// A MinHash signature as 128 little-endian u64 (the prompt_sketches.minhash blob).
std::string EncodeMinhash(const std::array<uint64_t, model::kMinHashSize>& minhash);
bool DecodeMinhash(std::string_view blob, std::array<uint64_t, model::kMinHashSize>* minhash);

// Events are stored in chunks, one `event_chunks` row per up to kChunkEvents events, so an
// append costs one SQLite row per chunk instead of one per event. A chunk is a sequence of
//   varint key length, key, zigzag time_unix_ms, varint actor id, varint body length, body.
inline constexpr int kChunkEvents = 4096;

void AppendChunkEntry(std::string_view event_key, int64_t time_unix_ms, int64_t actor,
                      std::string_view body, std::string* chunk);

struct ChunkEntry {
  std::string_view event_key;
  int64_t time_unix_ms = 0;
  int64_t actor = 0;
  std::string_view body;
};

// Walks a chunk's entries; the views point into the chunk.
class ChunkReader {
 public:
  explicit ChunkReader(std::string_view chunk) : chunk_(chunk) {}
  // true: `entry` holds the next entry; false: the end. kDataLoss if malformed.
  Result<bool> Next(ChunkEntry* entry);

 private:
  std::string_view chunk_;
  size_t pos_ = 0;
};

// Sorted prompt times as little-endian i64 (the prompt_cadence.times blob).
std::string EncodeTimes(const std::vector<int64_t>& times);
bool DecodeTimes(std::string_view blob, std::vector<int64_t>* times);

}  // namespace goodhart::store::internal
