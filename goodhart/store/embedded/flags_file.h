// The embedded backend of ReviewRecords: flags, notes and the alert outbox in their own small
// SQLite file (<data_dir>/flags.db) beside the event store. Flags are few, mutable and reviewed by
// people, unlike the append-only event data, so they do not share its write path. Any number of
// processes may open the file (a CLI disposition beside a running server): WAL, every write a
// transaction, synchronous=FULL.
#pragma once

#include <memory>
#include <string>

#include "goodhart/base/status.h"
#include "goodhart/store/review_records.h"

namespace goodhart::store {

// Opens or creates the file at `path` (its directory must exist) and brings its schema up to date.
Result<std::unique_ptr<ReviewRecords>> OpenFlagsFile(const std::string& path);

}  // namespace goodhart::store
