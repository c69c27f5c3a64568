#include "goodhart/access/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::access {

struct AuditLog::File {
  File(int open_fd, ino_t file_inode, dev_t file_device)
      : fd(open_fd), inode(file_inode), device(file_device) {}
  ~File() { ::close(fd); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  const int fd;
  const ino_t inode;
  const dev_t device;
};

AuditLog::AuditLog(std::string path, AuditLogOptions options)
    : path_(std::move(path)), options_(options) {
  if (options_.fsync_interval_ms > 0)
    syncer_ = std::thread([this] { SyncLoop(); });
}

AuditLog::~AuditLog() {
  if (syncer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    stop_.notify_all();
    syncer_.join();
  }
}

void AuditLog::SyncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    bool stop = stop_.wait_for(lock, std::chrono::milliseconds(options_.fsync_interval_ms),
                               [this] { return stopping_; });
    uint64_t upto = written_;
    lock.unlock();
    Status synced = SyncUpTo(upto);
    if (!synced.ok())
      std::fprintf(stderr, "%s\n", synced.ToString().c_str());
    lock.lock();
    sync_error_ = synced;
    if (stop)
      return;
  }
}

Status AuditLog::SyncUpTo(uint64_t line) {
  std::lock_guard<std::mutex> sync(sync_mu_);
  if (synced_ >= line)
    return Status::Ok();
  // Lines up to `upto` are in `file` or in files rotated away, which were synced as they went.
  uint64_t upto = 0;
  std::shared_ptr<File> file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    upto = written_;
    file = file_;
  }
  if (file == nullptr)
    return Status::Ok();
  if (::fsync(file->fd) != 0)
    return Status::Unavailable(fmt::format("audit: {}: fsync: {}", path_, std::strerror(errno)));
  synced_ = upto;
  return Status::Ok();
}

Status AuditLog::Append(const AuditRecord& r) {
  nlohmann::json j = {{"time", FormatMillis(r.time_unix_ms)},
                      {"principal", r.principal},
                      {"role", r.role},
                      {"action", r.action},
                      {"subjects", r.subjects},
                      {"detail", r.detail}};
  std::string line = JsonText(j) + "\n";
  uint64_t mine = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sync_error_.ok())
      return sync_error_;
    // Reopened when the path names another file than the open one (renamed away by rotation).
    struct stat at_path {};
    if (file_ == nullptr || ::stat(path_.c_str(), &at_path) != 0 ||
        at_path.st_ino != file_->inode || at_path.st_dev != file_->device) {
      int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0) {
        return Status::Unavailable(
            fmt::format("audit: {}: cannot open: {}", path_, std::strerror(errno)));
      }
      struct stat opened {};
      ::fstat(fd, &opened);
      if (file_ != nullptr && ::fsync(file_->fd) != 0) {  // its lines are on disk before it goes
        ::close(fd);
        return Status::Unavailable(
            fmt::format("audit: {}: fsync: {}", path_, std::strerror(errno)));
      }
      file_ = std::make_shared<File>(fd, opened.st_ino, opened.st_dev);
    }
    size_t written = 0;
    while (written < line.size()) {
      ssize_t n = ::write(file_->fd, line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        int e = errno;
        file_.reset();
        return Status::Unavailable(fmt::format("audit: {}: write: {}", path_, std::strerror(e)));
      }
      written += static_cast<size_t>(n);
    }
    mine = ++written_;
  }
  if (options_.fsync_interval_ms > 0)
    return Status::Ok();  // the background thread fsyncs it
  // Group commit: whoever holds sync_mu_ fsyncs everything written so far; the others find
  // their line covered when they get it.
  return SyncUpTo(mine);
}

Result<std::vector<AuditRecord>> AuditLog::ReadAll() const {
  std::vector<AuditRecord> out;
  std::ifstream in(path_);
  if (!in)
    return out;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty())
      continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return Status::DataLoss(fmt::format("audit: {}: line {}: not JSON", path_, number));
    AuditRecord r;
    auto time = ParseTimestampMillis(j.value("time", ""));
    if (!time.ok())
      return Status::DataLoss(fmt::format("audit: {}: line {}: bad time", path_, number));
    r.time_unix_ms = *time;
    r.principal = j.value("principal", "");
    r.role = j.value("role", "");
    r.action = j.value("action", "");
    r.detail = j.value("detail", "");
    if (j.contains("subjects") && j["subjects"].is_array()) {
      for (const auto& s : j["subjects"]) {
        if (s.is_string())
          r.subjects.push_back(s.get<std::string>());
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace goodhart::access
