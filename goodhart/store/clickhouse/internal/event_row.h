// One usage event as a row of `usage_events`: the column list, and the conversion both ways.
// Every UsageEvent field has a column, so an event reads back equal to what was appended, except
// a prompt's sketch: that is kept in prompt_sketches only and joined back when events are read.
#pragma once

#include <cstdint>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {

// The columns of usage_events in the order AppendEventRow writes and ReadEventRow reads them.
extern const char* const kEventColumns;
inline constexpr size_t kEventColumnCount = 43;

// A human prompt (signal kEvent, kind kPrompt): it feeds prompts, sketches and cadence.
inline bool IsPromptEvent(const model::UsageEvent& e) {
  return e.signal == model::Signal::kEvent && e.kind == model::UsageKind::kPrompt;
}

// `day` is the event's UTC day; `arrival` orders events that share a millisecond (tool steps).
void AppendEventRow(const model::UsageEvent& e, int64_t day, uint64_t arrival, TsvWriter* out);

// REQUIRES: `row` is on a row of kEventColumns.
Result<model::UsageEvent> ReadEventRow(const TsvReader& row);

}  // namespace goodhart::store::clickhouse
