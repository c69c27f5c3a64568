#include "goodhart/review/detection_run.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "goodhart/base/time.h"
#include "goodhart/review/alerts.h"
#include "goodhart/review/detection_windows.h"

namespace goodhart::review {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int kPeriods = 3;  // the current one and the two before it (persistence, §5.1)

}  // namespace

detect::Period OwnBaselineQuarter(int64_t current_from_unix_ms) {
  const int64_t quarter = QuarterStartMillis(current_from_unix_ms);
  return {.from_unix_ms = QuarterStartMillis(quarter - 1), .to_unix_ms = quarter};
}

Result<DetectionRun> RunDetection(const store::Store& store, FlagStore& flags,
                                  const analytics::nd::NdParams& nd_params,
                                  const detect::DetectParams& detect_params, int64_t period_end,
                                  int64_t now,
                                  const std::function<void(std::string_view)>& on_step) {
  auto step = [&](int i) {
    if (on_step)
      on_step(kDetectionSteps[i]);
  };
  const int64_t length = detect::kPeriodDays * kDayMs;
  std::vector<DetectionWindow> windows;
  for (int k = 0; k < kPeriods; ++k) {
    windows.push_back(
        {{.from_unix_ms = period_end - (k + 1) * length, .to_unix_ms = period_end - k * length},
         WindowLoad::kAll});
  }
  DetectionRun run;
  run.own_baseline = OwnBaselineQuarter(windows[0].period.from_unix_ms);
  windows.push_back({run.own_baseline, WindowLoad::kDeliveryOnly});
  step(0);
  GOODHART_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<LoadedWindow>> periods,
                            LoadDetectionWindows(store, nd_params, windows, now));
  detect::DetectInput input;
  input.current = std::move(periods[0]->input);
  for (int k = 1; k < kPeriods; ++k)
    input.previous.push_back(std::move(periods[k]->input));
  input.own_baseline.push_back(std::move(periods[kPeriods]->input));
  const auto& dir = periods[0]->data.directory;
  input.directory = dir ? &*dir : nullptr;
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRecord> prior,
                            flags.List({.include_silent = true,
                                        .period_overlaps_from = period_end - kPeriods * length,
                                        .period_overlaps_to = period_end - length}));
  for (FlagRecord& r : prior)
    input.prior_flags.push_back(std::move(r.flag));

  step(1);
  GOODHART_ASSIGN_OR_RETURN(run.output, detect::DetectAll(input, detect_params));
  step(2);
  // Candidates that met their tier rule but were held back (not yet persistent, not significant
  // after BH, ...) are recorded too, never shown: the next run's persistence reads them back
  // (prior_flags), after the sketches they came from have expired.
  std::vector<detect::Flag> recorded = run.output.flags;
  for (const detect::Flag& f : run.output.suppressed) {
    if (f.tier_passed) {
      recorded.push_back(f);
      recorded.back().shown = false;
    }
  }
  GOODHART_ASSIGN_OR_RETURN(std::vector<std::string> added, flags.Upsert(recorded, now));
  for (const detect::Flag& f : run.output.flags) {
    if (std::find(added.begin(), added.end(), f.id) != added.end())
      run.new_flag_ids.push_back(f.id);
  }
  GOODHART_ASSIGN_OR_RETURN(run.alerts_queued,
                            QueueFlagAlerts(flags, run.output.flags, run.new_flag_ids, now));
  return run;
}

}  // namespace goodhart::review
