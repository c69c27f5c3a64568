// The three signal decoders behind DecodeLogs, DecodeMetrics and DecodeTraces: each walks one
// parsed document and appends to state.result().
#pragma once

#include "goodhart/base/status.h"
#include "goodhart/receivers/otlp_http/internal/envelope.h"
#include "goodhart/receivers/otlp_http/internal/json_reader.h"

namespace goodhart::receivers::otlp::internal {

Status DecodeLogsDocument(DecodeState& state, sj::document& doc);
Status DecodeMetricsDocument(DecodeState& state, sj::document& doc);
Status DecodeTracesDocument(DecodeState& state, sj::document& doc);

}  // namespace goodhart::receivers::otlp::internal
