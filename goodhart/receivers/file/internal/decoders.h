// One decoder per non-OTLP file format; DecodeFile (file_decoder.cc) dispatches to them. Each adds
// what it decodes to `out` and returns an error only for whole-file problems.
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file::internal {

Status DecodeAnthropicUsageReport(std::string_view content, FileDecodeResult* out);
Status DecodeAnthropicCostReport(std::string_view content, FileDecodeResult* out);
Status DecodeClaudeCodeUsageReport(std::string_view content, FileDecodeResult* out);
Status DecodeAnthropicAnalyticsUsage(std::string_view content, FileDecodeResult* out);
Status DecodeAnthropicAnalyticsCost(std::string_view content, FileDecodeResult* out);
Status DecodeOpenAiUsage(std::string_view content, FileDecodeResult* out);
Status DecodeOpenAiCosts(std::string_view content, FileDecodeResult* out);
Status DecodeCopilotUsage(std::string_view content, FileDecodeResult* out);
Status DecodeCopilotLegacyMetrics(std::string_view content, FileDecodeResult* out);
Status DecodeCopilotBillingCsv(std::string_view content, FileDecodeResult* out);
Status DecodeCopilotBillingJson(std::string_view content, FileDecodeResult* out);

}  // namespace goodhart::receivers::file::internal
