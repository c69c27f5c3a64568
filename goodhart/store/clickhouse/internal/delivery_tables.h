// Delivery records, raw webhook deliveries, git heads and directory versions in ClickHouse.
//
// A delivery record is not updated in place (ClickHouse has no cheap point update): every state
// that changes it is appended to delivery_states, and a read folds an identity's states in arrival
// order with MergeDelivery (store/delivery_merge.h), the same code the embedded store merges with.
// The writer folds the stored states first to decide "inserted" (changed) or "duplicate"; two nodes
// appending states of one identity at once both keep theirs, and the fold merges them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"
#include "goodhart/store/clickhouse/internal/arrival_clock.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/store.h"

namespace goodhart::store::clickhouse {

// REQUIRES: the batch holds no usage records and passed validation. Not safe to call
// concurrently for overlapping identities in one process (the store serialises it).
Result<model::AppendStats> ApplyDelivery(const ClickHouseClient& client,
                                         const std::string& database, ArrivalClock& clock,
                                         const model::EventBatch& batch);

Result<DeliveryRecords> ReadDelivery(const ClickHouseClient& client, const std::string& database,
                                     const DeliveryQuery& q);
Result<std::vector<model::RawDelivery>> ReadRawDeliveries(const ClickHouseClient& client,
                                                          const std::string& database,
                                                          const RawDeliveryQuery& q);

Result<std::vector<std::string>> ReadGitHeads(const ClickHouseClient& client,
                                              const std::string& database, const std::string& repo);
Status WriteGitHeads(const ClickHouseClient& client, const std::string& database,
                     ArrivalClock& clock, const std::string& repo,
                     const std::vector<std::string>& heads);

Result<DirectoryVersion> WriteDirectory(const ClickHouseClient& client, const std::string& database,
                                        const std::string& yaml, int64_t now_unix_ms);
Result<std::optional<DirectoryVersion>> ReadDirectory(const ClickHouseClient& client,
                                                      const std::string& database,
                                                      std::optional<int64_t> as_of);
Result<std::vector<DirectoryVersion>> ReadDirectoryHistory(const ClickHouseClient& client,
                                                           const std::string& database);

// Fills the delivery side of `stats`.
Status ReadDeliveryStats(const ClickHouseClient& client, const std::string& database,
                         StoreStats* stats);

}  // namespace goodhart::store::clickhouse
