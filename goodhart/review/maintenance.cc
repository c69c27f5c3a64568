#include "goodhart/review/maintenance.h"

#include <fmt/format.h>

#include "goodhart/review/alerts.h"

namespace goodhart::review {

Result<MaintenanceResult> Maintenance::RunOnce() {
  const Clock& clock = clock_ ? *clock_ : SystemClock::Get();
  int64_t now = clock.NowMillis();
  constexpr int64_t kDayMs = 86'400'000;
  MaintenanceResult r;
  GOODHART_ASSIGN_OR_RETURN(r.sketches_purged,
                            store_.PurgeSketchesBefore(now / kDayMs - kSketchRetentionDays));
  GOODHART_ASSIGN_OR_RETURN(r.flags_purged,
                            flags_.PurgeCreatedBefore(now - kFlagRetentionDays * kDayMs));
  if (!url_.empty()) {
    AlertSender sender(flags_, url_, clock_);
    GOODHART_ASSIGN_OR_RETURN(AlertSender::Result sent, sender.DeliverDue());
    r.alerts_sent = sent.sent;
    r.alerts_failed = sent.failed;
  }
  return r;
}

void Maintenance::Start(int64_t interval_ms) {
  thread_ = std::thread([this, interval_ms] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (auto r = RunOnce(); !r.ok())
        fmt::print(stderr, "goodhart: maintenance: {}\n", r.status().ToString());
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stop_; });
    }
  });
}

void Maintenance::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

}  // namespace goodhart::review
