// The records and ND a detection run reads (detection_run.h), window by window: its four-week
// periods and the own-baseline quarter. Each window's detector input holds the delivery history up
// to the evaluation time, ND computed as of then and summed over the window, and, for the periods,
// the window's usage rollups, prompt sketches, cadence and tool steps.
//
// Loading each window on its own reads the same history and runs the same ND engine once per
// window; the runs differ only in their sums (and in how far back the history starts). So when
// the windows share their evaluation time (all ended by `now`) and their directory version, the
// usual run over past periods, the history is read once from the earliest window's start and ND
// computed once; every window reads those records and that result (PeriodInput::shared_delivery,
// shared_nd) with its own sums (nd::SumPeriodTotals).
// Otherwise (a window ending after `now`, or the directory changed between windows) each window
// is loaded as a report of it would be.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/analytics/report/report.h"
#include "goodhart/base/status.h"
#include "goodhart/detect/detect_all.h"
#include "goodhart/store/store.h"

namespace goodhart::review {

// What a window's input holds: everything the detectors read, or only delivery and ND (D10's
// own baseline reads the changes and commits of the quarter before; its usage is not needed).
enum class WindowLoad { kAll, kDeliveryOnly };

struct DetectionWindow {
  detect::Period period;
  WindowLoad what = WindowLoad::kAll;
};

struct LoadedWindow {
  // The directory (the first window's; the run reads it). Delivery and rollups are in `input`:
  // a window's own, or, when the windows share one history, input.shared_delivery.
  analytics::report::ReportData data;
  // The window's ND: the engine's result, or, when the windows share one history, the first
  // window's result and the others' sums over their periods (records in input.shared_nd).
  std::shared_ptr<const analytics::nd::NdResult> nd;
  detect::PeriodInput input;  // input.nd points to `nd`
};

// kWhenAlike: read once when the windows allow it (above); kEachWindow: always window by window
// (for comparing the two).
enum class WindowSharing { kWhenAlike, kEachWindow };

// One LoadedWindow per window, in order. The first window's directory is the run's.
Result<std::vector<std::unique_ptr<LoadedWindow>>> LoadDetectionWindows(
    const store::Store& store, const analytics::nd::NdParams& nd_params,
    const std::vector<DetectionWindow>& windows, int64_t now_unix_ms,
    WindowSharing sharing = WindowSharing::kWhenAlike);

}  // namespace goodhart::review
