#include "goodhart/receivers/file/file_decoder.h"

#include <fmt/format.h>

#include "goodhart/receivers/file/internal/decoders.h"

namespace goodhart::receivers::file {

Result<FileDecodeResult> DecodeFile(FileFormat format, std::string_view content) {
  FileDecodeResult out;
  Status status;
  switch (format) {
    case FileFormat::kCanonicalJsonl:
      status = DecodeCanonicalJsonl(content, &out);
      break;
    case FileFormat::kDeliveryJsonl:
      status = DecodeDeliveryJsonl(content, &out);
      break;
    case FileFormat::kAnthropicUsageReport:
      status = internal::DecodeAnthropicUsageReport(content, &out);
      break;
    case FileFormat::kAnthropicCostReport:
      status = internal::DecodeAnthropicCostReport(content, &out);
      break;
    case FileFormat::kClaudeCodeUsageReport:
      status = internal::DecodeClaudeCodeUsageReport(content, &out);
      break;
    case FileFormat::kAnthropicAnalyticsUsage:
      status = internal::DecodeAnthropicAnalyticsUsage(content, &out);
      break;
    case FileFormat::kAnthropicAnalyticsCost:
      status = internal::DecodeAnthropicAnalyticsCost(content, &out);
      break;
    case FileFormat::kOpenAiUsage:
      status = internal::DecodeOpenAiUsage(content, &out);
      break;
    case FileFormat::kOpenAiCosts:
      status = internal::DecodeOpenAiCosts(content, &out);
      break;
    case FileFormat::kCopilotUsageNdjson:
      status = internal::DecodeCopilotUsage(content, &out);
      break;
    case FileFormat::kCopilotLegacyMetrics:
      status = internal::DecodeCopilotLegacyMetrics(content, &out);
      break;
    case FileFormat::kCopilotBillingCsv:
      status = internal::DecodeCopilotBillingCsv(content, &out);
      break;
    case FileFormat::kCopilotBillingJson:
      status = internal::DecodeCopilotBillingJson(content, &out);
      break;
    case FileFormat::kOtlpLogs:
    case FileFormat::kOtlpMetrics:
    case FileFormat::kOtlpTraces:
      return Status::InvalidArgument(
          fmt::format("file: {}: use the OTLP decoder", FileFormatName(format)));
    case FileFormat::kUnknown:
      return Status::InvalidArgument("file: format not recognised");
  }
  if (!status.ok())
    return status;
  return out;
}

}  // namespace goodhart::receivers::file
