#include "goodhart/review/detection_windows.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/analytics/report/report_loader.h"

namespace goodhart::review {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDay(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kDayMs : -((-unix_ms + kDayMs - 1) / kDayMs);
}

// The usage a detector input reads beside delivery: the period's rollups (given) and its prompt
// sketches, cadence and tool steps (queried).
Status FillUsage(const store::Store& store, std::vector<store::UsageRollupRow> rollups,
                 detect::PeriodInput& in) {
  store::SketchQuery days{.from_day = FloorDay(in.period.from_unix_ms),
                          .to_day = FloorDay(in.period.to_unix_ms - 1)};
  in.rollups = std::move(rollups);
  GOODHART_ASSIGN_OR_RETURN(in.prompt_sketches, store.QueryPromptSketches(days));
  GOODHART_ASSIGN_OR_RETURN(in.prompt_cadence, store.QueryPromptCadence(days));
  GOODHART_ASSIGN_OR_RETURN(in.tool_steps, store.QueryToolSteps(days));
  return Status::Ok();
}

Result<std::unique_ptr<LoadedWindow>> LoadWindow(const store::Store& store,
                                                 const analytics::nd::NdParams& nd_params,
                                                 detect::Period period, int64_t now,
                                                 WindowLoad what) {
  auto loaded = std::make_unique<LoadedWindow>();
  analytics::report::ReportRequest request;
  request.from_unix_ms = period.from_unix_ms;
  request.to_unix_ms = period.to_unix_ms;
  request.as_of_unix_ms = std::max(now, period.to_unix_ms);
  request.params = nd_params;
  GOODHART_ASSIGN_OR_RETURN(loaded->data, analytics::report::LoadReportData(store, request));
  GOODHART_ASSIGN_OR_RETURN(analytics::nd::NdResult nd,
                            analytics::report::ComputePeriodNd(request, loaded->data));
  loaded->nd = std::make_shared<const analytics::nd::NdResult>(std::move(nd));
  detect::PeriodInput& in = loaded->input;
  in.period = period;
  // Moved, not copied: the records are the whole history, and only the directory of the loaded
  // data is read after this.
  in.delivery = std::move(loaded->data.delivery);
  in.nd = loaded->nd.get();
  if (what == WindowLoad::kAll) {
    GOODHART_RETURN_IF_ERROR(FillUsage(store, std::move(loaded->data.rollups), in));
  }
  return loaded;
}

// The directory version a report of a window ending at `to` uses (report_loader.h): the one in
// effect then, else the latest; 0 for none.
Result<int64_t> DirectoryVersionAt(const store::Store& store, int64_t to_unix_ms) {
  GOODHART_ASSIGN_OR_RETURN(std::optional<store::DirectoryVersion> v,
                            store.QueryDirectory(to_unix_ms));
  if (!v) {
    GOODHART_ASSIGN_OR_RETURN(v, store.QueryDirectory(std::nullopt));
  }
  return v ? v->version : 0;
}

}  // namespace

Result<std::vector<std::unique_ptr<LoadedWindow>>> LoadDetectionWindows(
    const store::Store& store, const analytics::nd::NdParams& nd_params,
    const std::vector<DetectionWindow>& windows, int64_t now, WindowSharing sharing) {
  std::vector<std::unique_ptr<LoadedWindow>> out;
  bool shared = sharing == WindowSharing::kWhenAlike;
  std::optional<int64_t> version;
  for (const auto& [period, what] : windows) {
    GOODHART_ASSIGN_OR_RETURN(int64_t v, DirectoryVersionAt(store, period.to_unix_ms));
    shared = shared && period.to_unix_ms <= now && (!version || *version == v);
    version = v;
  }
  if (!shared) {
    for (const auto& [period, what] : windows) {
      GOODHART_ASSIGN_OR_RETURN(auto loaded, LoadWindow(store, nd_params, period, now, what));
      out.push_back(std::move(loaded));
    }
    return out;
  }
  // One request spanning every window: its period covers the windows that read usage (their
  // rollups), its baseline reaches back as far as the earliest window's own would.
  analytics::report::ReportRequest request;
  request.from_unix_ms = windows.front().period.from_unix_ms;
  request.to_unix_ms = windows.front().period.to_unix_ms;
  int64_t history_from = request.from_unix_ms;
  for (const auto& [period, what] : windows) {
    if (what == WindowLoad::kAll) {
      request.from_unix_ms = std::min(request.from_unix_ms, period.from_unix_ms);
      request.to_unix_ms = std::max(request.to_unix_ms, period.to_unix_ms);
    }
    history_from =
        std::min(history_from, period.from_unix_ms - (period.to_unix_ms - period.from_unix_ms));
  }
  request.baseline_from_unix_ms = history_from;
  request.baseline_to_unix_ms = request.from_unix_ms;
  request.as_of_unix_ms = now;
  request.params = nd_params;
  GOODHART_ASSIGN_OR_RETURN(analytics::report::ReportData data,
                            analytics::report::LoadReportData(store, request));
  request.from_unix_ms = windows.front().period.from_unix_ms;
  request.to_unix_ms = windows.front().period.to_unix_ms;
  GOODHART_ASSIGN_OR_RETURN(analytics::nd::NdResult nd,
                            analytics::report::ComputePeriodNd(request, data));
  const directory::Directory* dir = data.directory ? &*data.directory : nullptr;
  // Every window reads the one history and the one engine result (its logical changes and
  // deployments); the later windows keep only their own sums beside it. Copies of them would be
  // most of a large organisation's memory: the whole delivery history and every credited change.
  auto history = std::make_shared<const store::DeliveryRecords>(std::move(data.delivery));
  auto credited = std::make_shared<const analytics::nd::NdResult>(std::move(nd));
  for (size_t i = 0; i < windows.size(); ++i) {
    const auto& [period, what] = windows[i];
    auto loaded = std::make_unique<LoadedWindow>();
    detect::PeriodInput& in = loaded->input;
    if (i == 0) {
      loaded->nd = credited;
    } else {
      loaded->nd = std::make_shared<const analytics::nd::NdResult>(
          analytics::nd::SumPeriodTotals(*credited, period.from_unix_ms, period.to_unix_ms, dir));
      in.shared_nd = credited;
    }
    in.period = period;
    in.shared_delivery = history;
    in.nd = loaded->nd.get();
    if (what == WindowLoad::kAll) {
      const int64_t from_day = FloorDay(period.from_unix_ms),
                    to_day = FloorDay(period.to_unix_ms - 1);
      std::vector<store::UsageRollupRow> rollups;
      for (const store::UsageRollupRow& r : data.rollups) {
        if (r.day >= from_day && r.day <= to_day)
          rollups.push_back(r);
      }
      GOODHART_RETURN_IF_ERROR(FillUsage(store, std::move(rollups), in));
    }
    out.push_back(std::move(loaded));
  }
  // The run reads the first window's directory.
  out[0]->data.directory = std::move(data.directory);
  out[0]->data.directory_version = data.directory_version;
  return out;
}

}  // namespace goodhart::review
