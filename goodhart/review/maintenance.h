// The background job of `goodhart serve` (issue #5): every interval it
//   - purges prompt sketches older than 30 days (metrics.md §7: sketch retention),
//   - purges flags created more than 12 months ago, with their notes (§5.1: flag retention),
//   - posts the alerts that are due (alerts.h), when a webhook is configured.
// RunOnce is the same pass, for tests and for `goodhart maintenance`.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "goodhart/base/clock.h"
#include "goodhart/base/status.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::review {

inline constexpr int64_t kSketchRetentionDays = 30;
inline constexpr int64_t kFlagRetentionDays = 365;

struct MaintenanceResult {
  int64_t sketches_purged = 0, flags_purged = 0, alerts_sent = 0, alerts_failed = 0;
};

class Maintenance {
 public:
  Maintenance(store::Store& store, FlagStore& flags, std::string alert_webhook_url,
              const Clock* clock = nullptr)
      : store_(store), flags_(flags), url_(std::move(alert_webhook_url)), clock_(clock) {}
  ~Maintenance() { Stop(); }

  Result<MaintenanceResult> RunOnce();

  // Runs RunOnce now and then every `interval_ms` on a thread until Stop(); failures are
  // printed on stderr and retried at the next pass.
  void Start(int64_t interval_ms);
  void Stop();

 private:
  store::Store& store_;
  FlagStore& flags_;
  std::string url_;
  const Clock* clock_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace goodhart::review
