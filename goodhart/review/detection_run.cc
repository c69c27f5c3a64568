#include "goodhart/review/detection_run.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/base/time.h"
#include "goodhart/review/alerts.h"

namespace goodhart::review {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int kPeriods = 3;  // the current one and the two before it (persistence, §5.1)

int64_t FloorDay(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kDayMs : -((-unix_ms + kDayMs - 1) / kDayMs);
}

struct LoadedPeriod {
  analytics::report::ReportData data;
  std::unique_ptr<analytics::nd::NdResult> nd;
  detect::PeriodInput input;
};

// What a LoadedPeriod holds: everything the detectors read, or only delivery and ND (D10's own
// baseline reads the changes and commits of the quarter before; its usage is not needed).
enum class Load { kAll, kDeliveryOnly };

Result<std::unique_ptr<LoadedPeriod>> LoadPeriod(const store::Store& store,
                                                 const analytics::nd::NdParams& nd_params,
                                                 detect::Period period, int64_t now,
                                                 Load what = Load::kAll) {
  auto loaded = std::make_unique<LoadedPeriod>();
  analytics::report::ReportRequest request;
  request.from_unix_ms = period.from_unix_ms;
  request.to_unix_ms = period.to_unix_ms;
  request.as_of_unix_ms = std::max(now, period.to_unix_ms);
  request.params = nd_params;
  GOODHART_ASSIGN_OR_RETURN(loaded->data, analytics::report::LoadReportData(store, request));
  GOODHART_ASSIGN_OR_RETURN(analytics::nd::NdResult nd,
                            analytics::report::ComputePeriodNd(request, loaded->data));
  loaded->nd = std::make_unique<analytics::nd::NdResult>(std::move(nd));
  detect::PeriodInput& in = loaded->input;
  in.period = period;
  // Moved, not copied: the records are the whole history, and only the directory of the loaded
  // data is read after this.
  in.delivery = std::move(loaded->data.delivery);
  in.nd = loaded->nd.get();
  if (what == Load::kDeliveryOnly) {
    return loaded;
  }
  store::SketchQuery days{.from_day = FloorDay(period.from_unix_ms),
                          .to_day = FloorDay(period.to_unix_ms - 1)};
  in.rollups = std::move(loaded->data.rollups);
  GOODHART_ASSIGN_OR_RETURN(in.prompt_sketches, store.QueryPromptSketches(days));
  GOODHART_ASSIGN_OR_RETURN(in.prompt_cadence, store.QueryPromptCadence(days));
  GOODHART_ASSIGN_OR_RETURN(in.tool_steps, store.QueryToolSteps(days));
  return loaded;
}

}  // namespace

detect::Period OwnBaselineQuarter(int64_t current_from_unix_ms) {
  const int64_t quarter = QuarterStartMillis(current_from_unix_ms);
  return {.from_unix_ms = QuarterStartMillis(quarter - 1), .to_unix_ms = quarter};
}

Result<DetectionRun> RunDetection(const store::Store& store, FlagStore& flags,
                                  const analytics::nd::NdParams& nd_params,
                                  const detect::DetectParams& detect_params, int64_t period_end,
                                  int64_t now) {
  const int64_t length = detect::kPeriodDays * kDayMs;
  std::vector<std::unique_ptr<LoadedPeriod>> periods;
  for (int k = 0; k < kPeriods; ++k) {
    detect::Period p{.from_unix_ms = period_end - (k + 1) * length,
                     .to_unix_ms = period_end - k * length};
    GOODHART_ASSIGN_OR_RETURN(auto loaded, LoadPeriod(store, nd_params, p, now));
    periods.push_back(std::move(loaded));
  }
  detect::DetectInput input;
  input.current = std::move(periods[0]->input);
  for (int k = 1; k < kPeriods; ++k)
    input.previous.push_back(std::move(periods[k]->input));
  DetectionRun run;
  run.own_baseline = OwnBaselineQuarter(input.current.period.from_unix_ms);
  GOODHART_ASSIGN_OR_RETURN(
      auto own_baseline, LoadPeriod(store, nd_params, run.own_baseline, now, Load::kDeliveryOnly));
  input.own_baseline.push_back(std::move(own_baseline->input));
  const auto& dir = periods[0]->data.directory;
  input.directory = dir ? &*dir : nullptr;
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRecord> prior,
                            flags.List({.include_silent = true,
                                        .period_overlaps_from = period_end - kPeriods * length,
                                        .period_overlaps_to = period_end - length}));
  for (FlagRecord& r : prior)
    input.prior_flags.push_back(std::move(r.flag));

  GOODHART_ASSIGN_OR_RETURN(run.output, detect::DetectAll(input, detect_params));
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
