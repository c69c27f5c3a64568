// IngestCounters: what the receivers have taken in since start, per receiver and outcome. Read by
// GET /api/v1/ingest/status and by /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace goodhart::api {

enum class Receiver : uint8_t {
  kOtlpLogs,
  kOtlpMetrics,
  kOtlpTraces,
  kGithub,
  kGitlab,
  kCdevents,
  kDeploymentsApi,
  kIncidentsApi,
  kCount
};
std::string_view ReceiverName(Receiver r);

// Thread-safe: lock-free counters.
class IngestCounters {
 public:
  struct PerReceiver {
    std::atomic<int64_t> requests{0};
    std::atomic<int64_t> requests_failed{0};  // 4xx/5xx answers
    std::atomic<int64_t> records_stored{0};
    std::atomic<int64_t> records_duplicate{0};
    std::atomic<int64_t> records_rejected{0};
    std::atomic<int64_t> bytes{0};  // decompressed body bytes
  };
  PerReceiver& of(Receiver r) { return per_[static_cast<size_t>(r)]; }
  const PerReceiver& of(Receiver r) const { return per_[static_cast<size_t>(r)]; }
  nlohmann::json ToJson() const;

 private:
  std::array<PerReceiver, static_cast<size_t>(Receiver::kCount)> per_;
};

}  // namespace goodhart::api
