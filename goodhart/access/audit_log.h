// The audit log of metrics.md §7: one JSON line per read of person-level data (a report with
// person rows, a person's flags), written before the data is sent, so a read that happened is in
// the file even when goodhart crashes right after. `goodhart audit` prints it. The file is reopened
// when it was renamed away (log rotation).
//
// When the line reaches the disk (AuditLogOptions::fsync_interval_ms):
// - 0: each read waits for the fsync covering its line. Concurrent appends share fsyncs (group
//   commit: one fsync covers every line written before it began), but a read still waits for the
//   disk, and on a disk shared with other work an fsync sometimes takes 100-250 ms (BENCHMARKS.md
//   #7).
// - N > 0 (the default, 100): a background thread fsyncs the lines written so far every N ms, so
//   a crash of the machine (not of goodhart) loses at most the last N ms of lines. A failed fsync
//   makes every later Append fail until an fsync succeeds again, so reads are refused rather than
//   left unaudited.
//
//   {"time": "2026-11-26T10:00:00.000Z", "principal": "alice", "role": "member",
//    "action": "GET /api/v1/report", "subjects": ["alice"], "detail": "from=...&to=..."}
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::access {

struct AuditRecord {
  int64_t time_unix_ms = 0;
  std::string principal, role, action;
  std::vector<std::string> subjects;  // the people whose data was read
  std::string detail;
  bool operator==(const AuditRecord&) const = default;
};

struct AuditLogOptions {
  int64_t fsync_interval_ms = 100;  // 0: fsync before each Append returns
};

class AuditLog {
 public:
  explicit AuditLog(std::string path, AuditLogOptions options = {});
  ~AuditLog();  // fsyncs what is left
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one line (and with fsync_interval_ms 0 fsyncs it). Thread-safe. Unavailable when the
  // file cannot be written or the last background fsync failed: the caller must then refuse the
  // read.
  Status Append(const AuditRecord& record);

  // Every record, oldest first; an absent file is an empty log. DataLoss names a bad line.
  Result<std::vector<AuditRecord>> ReadAll() const;

  const std::string& path() const { return path_; }

 private:
  struct File;  // an open descriptor, closed when the last user lets go

  // fsyncs every line written so far (one caller at a time; the others find theirs covered).
  Status SyncUpTo(uint64_t line);
  void SyncLoop();

  std::string path_;
  AuditLogOptions options_;
  std::mutex mu_;  // writes, the file, written_, sync_error_, stopping_
  std::shared_ptr<File> file_;
  uint64_t written_ = 0;  // lines written so far
  Status sync_error_;     // the last background fsync's failure, until one succeeds
  bool stopping_ = false;
  std::condition_variable stop_;
  std::mutex sync_mu_;   // one fsync at a time, synced_
  uint64_t synced_ = 0;  // lines known to be on disk
  std::thread syncer_;   // with fsync_interval_ms > 0
};

}  // namespace goodhart::access
