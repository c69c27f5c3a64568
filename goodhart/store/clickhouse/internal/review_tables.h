// The review workflow's records in ClickHouse (ReviewRecords): every goodhart node in front of one
// database, or one cluster, sees the same flags, notes and alert outbox.
//
// ClickHouse has no UPDATE a request can wait for and no transactions, so every change is a new
// row and reads fold them (README.md, "Review records"):
//   flags       every written state of a flag, with a version from the arrival clock; the state
//               with the largest version is the flag (ReplacingMergeTree(version) keeps only it
//               once merged)
//   flag_notes  one row per note, deduplicated by note_id (a retried insert stores it twice)
//   alerts      every state of an outbox entry (queued, failed n times, sent), largest version wins
// Flags are few (thousands), so reads fold in C++ rather than with FINAL, whose interplay with
// WHERE on columns that change between versions (shown, team) differs across releases.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "goodhart/store/clickhouse/internal/arrival_clock.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/clickhouse/internal/usage_reader.h"
#include "goodhart/store/review_records.h"

namespace goodhart::store::clickhouse {

class ClickHouseReviewRecords final : public ReviewRecords {
 public:
  // `client` and `clock` must outlive this; `locals` are where the rows live (the node, or each
  // shard's local database), for deletions.
  ClickHouseReviewRecords(const ClickHouseClient& client, std::string database,
                          std::vector<LocalTables> locals, ArrivalClock& clock)
      : client_(client),
        database_(std::move(database)),
        locals_(std::move(locals)),
        clock_(clock) {}

  Status UpsertFlags(std::span<const std::string> ids, const FlagMerge& merge) override;
  Result<std::optional<FlagRow>> GetFlag(const std::string& id) const override;
  Result<std::vector<FlagRow>> ListFlags(const FlagRowFilter& filter) const override;
  Result<std::vector<FlagNoteRow>> NotesOf(const std::string& flag_id) const override;
  Status AddNote(const FlagNoteRow& note) override;
  Result<int64_t> PurgeFlagsCreatedBefore(int64_t before_ms) override;
  Result<bool> EnqueueAlert(const std::string& id, const std::string& payload,
                            int64_t now_ms) override;
  Result<std::vector<AlertRow>> DueAlerts(int64_t now_ms, int64_t max_attempts) const override;
  Status MarkAlertSent(const std::string& id, int64_t now_ms) override;
  Status MarkAlertFailed(const std::string& id, const std::string& error,
                         int64_t next_attempt_ms) override;
  Result<int64_t> SentAlertCount() const override;
  // The database's counts and newest versions of flags and notes, re-read at most once a second
  // and after every write of this process (which therefore shows at once).
  Result<int64_t> ChangeStamp() const override;

 private:
  // The newest state of each flag whose row matches `where` (SQL over immutable columns only).
  Result<std::vector<FlagRow>> ReadFlags(const std::string& where,
                                         std::span<const ExternalTable> tables = {}) const;
  Status WriteFlags(std::span<const FlagRow> rows);
  Result<std::vector<AlertRow>> ReadAlerts(const std::string& where) const;
  Status WriteAlert(const AlertRow& alert);
  void InvalidateStamp();

  const ClickHouseClient& client_;
  const std::string database_;
  const std::vector<LocalTables> locals_;
  ArrivalClock& clock_;
  std::mutex upsert_mu_;  // one read-merge-write of flags at a time in this process
  std::mutex alert_mu_;   // one read-modify-write of an alert at a time in this process

  mutable std::mutex stamp_mu_;
  mutable int64_t stamp_read_ms_ = -1;  // guarded by stamp_mu_; steady clock
  mutable int64_t stamp_remote_ = 0;    // guarded by stamp_mu_
};

}  // namespace goodhart::store::clickhouse
