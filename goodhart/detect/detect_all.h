// DetectAll: the flags of one four-week period (metrics.md §5). Runs every detector on the
// current period and on up to two previous ones, applies the tier rules per period (gating.h),
// persistence over the last three periods, and materiality, and returns the flags with the
// candidates that were not raised (for calibration). Pure: reads only its arguments.
#pragma once

#include "goodhart/base/status.h"
#include "goodhart/detect/detect_input.h"
#include "goodhart/detect/detect_params.h"

namespace goodhart::detect {

// Persistence counts the current period and the persistence_window - 1 four-week periods before
// it (the current period shifted back by its own length): a period counts when the same detector
// met its tier rule for the same subject there, either recomputed from DetectInput::previous (by
// position: previous[0] is the period just before) or recorded in DetectInput::prior_flags.
//
// InvalidArgument for invalid params ("detect: params: ...") or an empty or reversed period
// ("detect: input: current.period: ..."). Missing optional inputs are survived and reported in
// DetectOutput::warnings.
Result<DetectOutput> DetectAll(const DetectInput& input, const DetectParams& params);

}  // namespace goodhart::detect
