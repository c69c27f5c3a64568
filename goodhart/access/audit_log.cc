#include "goodhart/access/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goodhart/base/time.h"

namespace goodhart::access {

Status AuditLog::Append(const AuditRecord& r) {
  nlohmann::json j = {{"time", FormatMillis(r.time_unix_ms)},
                      {"principal", r.principal},
                      {"role", r.role},
                      {"action", r.action},
                      {"subjects", r.subjects},
                      {"detail", r.detail}};
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Unavailable(
        fmt::format("audit: {}: cannot open: {}", path_, std::strerror(errno)));
  }
  size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      return Status::Unavailable(fmt::format("audit: {}: write: {}", path_, std::strerror(e)));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int e = errno;
    ::close(fd);
    return Status::Unavailable(fmt::format("audit: {}: fsync: {}", path_, std::strerror(e)));
  }
  ::close(fd);
  return Status::Ok();
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
