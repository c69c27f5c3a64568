// The audit log of metrics.md §7: one JSON line per read of person-level data (a report with
// person rows, a person's flags), appended and fsync'd before the data is sent, so a read that
// happened is on disk. `goodhart audit` prints it. Concurrent appends share fsyncs (group commit:
// one fsync covers every line written before it began), so a busy dashboard does not queue its
// reads behind one fsync each; the file is reopened when it was renamed away (log rotation).
//
//   {"time": "2026-11-26T10:00:00.000Z", "principal": "alice", "role": "member",
//    "action": "GET /api/v1/report", "subjects": ["alice"], "detail": "from=...&to=..."}
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
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

class AuditLog {
 public:
  explicit AuditLog(std::string path) : path_(std::move(path)) {}

  // Appends one line and fsyncs it. Thread-safe. Unavailable when the file cannot be written:
  // the caller must then refuse the read.
  Status Append(const AuditRecord& record);

  // Every record, oldest first; an absent file is an empty log. DataLoss names a bad line.
  Result<std::vector<AuditRecord>> ReadAll() const;

  const std::string& path() const { return path_; }

 private:
  struct File;  // an open descriptor, closed when the last user lets go

  std::string path_;
  std::mutex mu_;  // writes, the file, written_
  std::shared_ptr<File> file_;
  uint64_t written_ = 0;  // lines written so far
  std::mutex sync_mu_;    // one fsync at a time, synced_
  uint64_t synced_ = 0;   // lines known to be on disk
};

}  // namespace goodhart::access
