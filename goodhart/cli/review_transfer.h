// The review records' part of `store export --out` / `store import` (store_transfer.h): flags with
// their notes (subjects' annotations, reviewers' dispositions) move with the store, so an org that
// moves from the embedded store to ClickHouse keeps every decision already made. One JSON line per
// flag: {"flag": {the stored row}, "notes": [{...}, ...]}. The alert outbox is not carried: it
// holds delivery bookkeeping, and alerts still unsent when the store is moved are not posted from
// the new one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/store/store.h"

namespace goodhart::cli {

// Calls `line` once per flag of `store` (silent ones included), newest period first; returns how
// many.
Result<int64_t> ExportReviewRecords(store::Store& store,
                                    const std::function<Status(std::string_view)>& line);

// Stores one exported line: the flag unless the store has that id already (its own state is kept),
// and each note whose note_id the flag does not have. `*added`: anything was stored. `where` names
// the line in errors.
Status ImportReviewRecord(store::Store& store, std::string_view line, std::string_view where,
                          bool* added);

}  // namespace goodhart::cli
