// One detection run (metrics.md §5): loads the current four-week period and the two before it from
// the store (usage rollups, prompt sketches and cadence, delivery history, ND as of now, the
// directory) and the own baseline of D10 and D12 (the delivery and ND of the calendar quarter
// before the one the current period starts in), runs detect::DetectAll, and records every raised
// flag (shown or silent) in the flag store, with the candidates that met their tier rule but were
// held back (never shown; they carry persistence into later runs). New shown Tier A flags are
// queued as alerts (alerts.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/base/status.h"
#include "goodhart/detect/detect_all.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::review {

struct DetectionRun {
  detect::DetectOutput output;
  detect::Period own_baseline;            // the quarter D10 compares with (OwnBaselineQuarter)
  std::vector<std::string> new_flag_ids;  // raised flags recorded for the first time
  int64_t alerts_queued = 0;
};

// D10's own baseline for a current period starting at `current_from_unix_ms` (§5.2 "own previous
// quarter"): the calendar quarter before the one it starts in, so it stays frozen for the whole
// quarter as S_ref does and sustained padding cannot become its own baseline. Periods of the run
// that start before the current quarter (persistence's earlier periods, across a quarter
// boundary), and people with too few changes in the baseline quarter, are compared with the
// periods before them instead (DetectInput::own_baseline, D10).
detect::Period OwnBaselineQuarter(int64_t current_from_unix_ms);

// The steps of a run, in order, as RunDetection starts each (for a progress display; at most 40
// characters, as cli::Progress shows them).
inline constexpr const char* kDetectionSteps[] = {"reading and crediting the history",
                                                  "running the detectors", "recording flags"};

// `period_end_unix_ms` ends the current period ([end - 28 days, end)); `now` is when the run
// happens (evaluation time of ND, flag creation time). `on_step`, when set, is called with each
// of kDetectionSteps as it starts.
Result<DetectionRun> RunDetection(const store::Store& store, FlagStore& flags,
                                  const analytics::nd::NdParams& nd_params,
                                  const detect::DetectParams& detect_params,
                                  int64_t period_end_unix_ms, int64_t now_unix_ms,
                                  const std::function<void(std::string_view)>& on_step = {});

}  // namespace goodhart::review
