// The embedded store's delivery side: delivery records (one row per identity, the record as JSON
// in model/delivery_json.h's form, merged per store/delivery_merge.h), raw webhook deliveries,
// git import heads and directory versions. Tables in ../README.md. Writes run on the writer
// connection under the writer lock; reads on a pooled reader connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"
#include "goodhart/store/embedded/internal/sqlite.h"
#include "goodhart/store/store.h"

namespace goodhart::store::internal {

// Commits the delivery records and raw deliveries of `batch` in one IMMEDIATE transaction.
Result<model::AppendStats> ApplyDelivery(Db& db, const model::EventBatch& batch);

Result<DeliveryRecords> ReadDelivery(Db& db, const DeliveryQuery& q);
Result<std::vector<model::RawDelivery>> ReadRawDeliveries(Db& db, const RawDeliveryQuery& q);

Result<std::vector<std::string>> ReadGitHeads(Db& db, const std::string& repo);
Status WriteGitHeads(Db& db, const std::string& repo, const std::vector<std::string>& heads,
                     int64_t now_unix_ms);

Result<DirectoryVersion> WriteDirectory(Db& db, const std::string& yaml, int64_t now_unix_ms);
Result<std::optional<DirectoryVersion>> ReadDirectory(Db& db, std::optional<int64_t> as_of);
Result<std::vector<DirectoryVersion>> ReadDirectoryHistory(Db& db);

// Fills the delivery counts of `stats`.
Status ReadDeliveryStats(Db& db, StoreStats* stats);

}  // namespace goodhart::store::internal
