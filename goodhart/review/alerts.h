// Alerts (issue #5): new Tier A flags and cost anomalies, posted as Slack-compatible JSON
// ({"text": ..., "goodhart": {...}}) to alerts.webhook_url. Each alert has an id ("flag:<flag
// id>", "cost:<team>:<date>") and goes through the flag store's outbox: queued once, posted until
// a 2xx answer, retried with exponential backoff (1, 2, 4 ... minutes, at most an hour apart, at
// most kMaxAlertAttempts times). So a re-run of detection or a crash between post and bookkeeping
// never posts one alert twice from goodhart's side... except that last case: a post that
// succeeded but was not recorded is retried (at-least-once; the receiver can dedupe on
// goodhart.alert_id).
//
// Privacy: an alert about a person never names them (the subject sees a flag first, §5.1); it
// names the detector, the team and where to read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/base/clock.h"
#include "goodhart/base/status.h"
#include "goodhart/detect/flag.h"
#include "goodhart/directory/directory.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::review {

inline constexpr int64_t kMaxAlertAttempts = 10;

// The alert body for a flag (no person named).
std::string FlagAlertPayload(const detect::Flag& flag, int64_t review_opens_unix_ms);

// Queues an alert for every flag among `new_ids` that is shown and Tier A. Returns how many.
Result<int64_t> QueueFlagAlerts(FlagStore& store, const std::vector<detect::Flag>& flags,
                                const std::vector<std::string>& new_ids, int64_t now_unix_ms);

struct CostAnomaly {
  std::string team;
  int64_t day = 0;              // days since 1970-01-01
  int64_t cost_micros = 0;      // the team's AI spend that day
  int64_t baseline_micros = 0;  // median daily spend of the 28 days before
};

// Team-days whose AI spend is above 3x the median of the team's previous 28 days and above
// `min_cost_micros` (default $50), on `day`. Rollups must cover day - 28 .. day.
std::vector<CostAnomaly> FindCostAnomalies(const std::vector<store::UsageRollupRow>& rollups,
                                           const directory::Directory& directory, int64_t day,
                                           int64_t min_cost_micros = 50'000'000);

Result<int64_t> QueueCostAlerts(FlagStore& store, const std::vector<CostAnomaly>& anomalies,
                                int64_t now_unix_ms);

// Posts due alerts to `webhook_url` (http://host[:port]/path or https://...).
class AlertSender {
 public:
  AlertSender(FlagStore& store, std::string webhook_url, const Clock* clock = nullptr)
      : store_(store), url_(std::move(webhook_url)), clock_(clock) {}

  struct Result {
    int64_t sent = 0, failed = 0;
  };
  // One pass over the due alerts. InvalidArgument for a URL it cannot parse.
  goodhart::Result<Result> DeliverDue();

 private:
  FlagStore& store_;
  std::string url_;
  const Clock* clock_;
};

}  // namespace goodhart::review
