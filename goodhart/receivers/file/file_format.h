// The file formats `goodhart ingest` reads, and how a file's format is recognised from its content.
// Vendor report downloads have no reliable names (report.json, export (3).csv), so DetectFormat
// looks at what is inside: the keys of the first JSON value (whole document, or the first line of
// NDJSON) or the header of a CSV. The name breaks ties only when the content cannot (an Anthropic
// or OpenAI report page whose buckets are all empty says nothing about usage versus cost).
#pragma once

#include <string_view>

namespace goodhart::receivers::file {

enum class FileFormat {
  kCanonicalJsonl,  // goodhart's own one-UsageEvent-per-line format (canonical_jsonl.h)
  kDeliveryJsonl,   // goodhart's delivery records, {"kind", "record"} lines (delivery_jsonl.h)
  kAnthropicUsageReport,     // GET /v1/organizations/usage_report/messages
  kAnthropicCostReport,      // GET /v1/organizations/cost_report
  kClaudeCodeUsageReport,    // GET /v1/organizations/usage_report/claude_code
  kAnthropicAnalyticsUsage,  // analytics/usage_report and analytics/user_usage_report
  kAnthropicAnalyticsCost,   // analytics/cost_report and analytics/user_cost_report
  kOpenAiUsage,              // GET /v1/organization/usage/{completions,embeddings,...}
  kOpenAiCosts,              // GET /v1/organization/costs
  kCopilotUsageNdjson,       // Copilot usage-metrics reports: NDJSON, JSON array or document
  kCopilotLegacyMetrics,     // legacy /copilot/metrics and /copilot/usage day arrays
  kCopilotBillingCsv,        // premium-request / AI-credit usage CSV export
  kCopilotBillingJson,       // billing usage API: {usageItems: [...]}
  kOtlpLogs,                 // OTLP/HTTP JSON, decoded by receivers/otlp_http
  kOtlpMetrics,
  kOtlpTraces,
  kUnknown,
};

// "canonical_jsonl", "anthropic_usage_report", ..., "unknown": stable, used in CLI output.
std::string_view FileFormatName(FileFormat format);

// Sniffs `content` (a UTF-8 BOM and leading whitespace are skipped) and uses `file_name` only as a
// tie-break. Never fails: anything unrecognised is kUnknown. Reads at most the first JSON value,
// and stops early on decisive keys, so an OTLP file of many megabytes is not parsed twice.
FileFormat DetectFormat(std::string_view file_name, std::string_view content);

}  // namespace goodhart::receivers::file
