#include "goodhart/receivers/file/file_format.h"

#include <gtest/gtest.h>

#include <string>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;

struct Case {
  std::string path;
  FileFormat expected;
};

TEST(DetectFormatTest, EveryCorpusFile) {
  const Case cases[] = {
      {"anthropic-admin-api-docs/usage_report_messages.example.json",
       FileFormat::kAnthropicUsageReport},
      {"anthropic-admin-api-docs/cost_report.example.json", FileFormat::kAnthropicCostReport},
      {"anthropic-admin-api-docs/usage_report_claude_code.example.json",
       FileFormat::kClaudeCodeUsageReport},
      {"anthropic-admin-api-docs/analytics_usage_report.example.json",
       FileFormat::kAnthropicAnalyticsUsage},
      {"anthropic-admin-api-docs/analytics_user_usage_report.example.json",
       FileFormat::kAnthropicAnalyticsUsage},
      {"anthropic-admin-api-docs/analytics_cost_report.example.json",
       FileFormat::kAnthropicAnalyticsCost},
      {"anthropic-admin-api-docs/analytics_user_cost_report.example.json",
       FileFormat::kAnthropicAnalyticsCost},
      {"github-docs-copilot-usage-metrics/user-level-example.json",
       FileFormat::kCopilotUsageNdjson},
      {"github-docs-copilot-usage-metrics/enterprise-level-example.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/organization-users-1-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/organization-users-28-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/enterprise-users-1-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/enterprise-users-28-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/organization-1-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/organization-28-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/new-api/enterprise-28-day-report.json",
       FileFormat::kCopilotUsageNdjson},
      {"copilot-metrics-viewer/public/mock-data/organization_metrics_response_sample.json",
       FileFormat::kCopilotLegacyMetrics},
      {"copilot-metrics-viewer/public/mock-data/enterprise_metrics_response_sample.json",
       FileFormat::kCopilotLegacyMetrics},
      {"copilot-metrics-viewer/public/mock-data/organization_usage_response_sample.json",
       FileFormat::kCopilotLegacyMetrics},
      {"copilot-metrics-viewer/public/mock-data/enterprise_usage_response_sample.json",
       FileFormat::kCopilotLegacyMetrics},
      {"copilot-metrics-viewer/public/mock-data/billing-credits.json",
       FileFormat::kCopilotBillingJson},
      {"copilot-metrics-viewer/tests/fixtures/billing-credit-usage.real.csv",
       FileFormat::kCopilotBillingCsv},
      // Not usage data: seat lists, report download links, an org chart.
      {"copilot-metrics-viewer/public/mock-data/organization_seats_response_sample.json",
       FileFormat::kUnknown},
      {"copilot-metrics-viewer/public/mock-data/new-api/download-links-organization-1-day.json",
       FileFormat::kUnknown},
      {"copilot-metrics-viewer/public/mock-data/entra-org-tree.json", FileFormat::kUnknown},
      {"opentelemetry-proto/examples/logs.json", FileFormat::kOtlpLogs},
      {"opentelemetry-proto/examples/events.json", FileFormat::kOtlpLogs},
      {"opentelemetry-proto/examples/metrics.json", FileFormat::kOtlpMetrics},
      {"opentelemetry-proto/examples/trace.json", FileFormat::kOtlpTraces},
      {"claude-code-otlp-capture/logs-request.api_request.json", FileFormat::kOtlpLogs},
      {"claude-code-otlp-capture/logs-request.user_prompt.json", FileFormat::kOtlpLogs},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectFormat(c.path, ReadCorpus(c.path)), c.expected)
        << c.path << " detected as " << FileFormatName(DetectFormat(c.path, ReadCorpus(c.path)));
  }
}

TEST(DetectFormatTest, Testdata) {
  const Case cases[] = {
      {"openai_usage_completions_page.json", FileFormat::kOpenAiUsage},
      {"openai_usage_other_endpoints.json", FileFormat::kOpenAiUsage},
      {"openai_costs_page.json", FileFormat::kOpenAiCosts},
      {"copilot_users_two_lines.ndjson", FileFormat::kCopilotUsageNdjson},
      {"copilot_users_bad_middle_line.ndjson", FileFormat::kCopilotUsageNdjson},
      {"copilot_billing_quoting_and_bad_rows.csv", FileFormat::kCopilotBillingCsv},
      {"canonical_two_events.jsonl", FileFormat::kCanonicalJsonl},
      {"canonical_with_prompt_text.jsonl", FileFormat::kCanonicalJsonl},
      {"canonical_bad_lines.jsonl", FileFormat::kCanonicalJsonl},
      {"claude_code_report_bad_rows.json", FileFormat::kClaudeCodeUsageReport},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectFormat(c.path, ReadTestdata(c.path)), c.expected)
        << c.path << " detected as " << FileFormatName(DetectFormat(c.path, ReadTestdata(c.path)));
  }
}

TEST(DetectFormatTest, FileNameBreaksTiesOnlyWhenContentCannot) {
  std::string anthropic = ReadTestdata("anthropic_report_all_buckets_empty.json");
  EXPECT_EQ(DetectFormat("usage.json", anthropic), FileFormat::kAnthropicUsageReport);
  EXPECT_EQ(DetectFormat("dl/Cost_Report (2).json", anthropic), FileFormat::kAnthropicCostReport);
  std::string openai = ReadTestdata("openai_page_all_buckets_empty.json");
  EXPECT_EQ(DetectFormat("page.json", openai), FileFormat::kOpenAiUsage);
  EXPECT_EQ(DetectFormat("openai-costs-2024-11.json", openai), FileFormat::kOpenAiCosts);
  // Content wins over a misleading name.
  std::string usage = ReadCorpus("anthropic-admin-api-docs/usage_report_messages.example.json");
  EXPECT_EQ(DetectFormat("cost_report.json", usage), FileFormat::kAnthropicUsageReport);
}

TEST(DetectFormatTest, BomWhitespaceAndNonsense) {
  std::string logs = ReadCorpus("opentelemetry-proto/examples/logs.json");
  EXPECT_EQ(DetectFormat("x", "\xEF\xBB\xBF \r\n" + logs), FileFormat::kOtlpLogs);
  EXPECT_EQ(DetectFormat("x", ""), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", "\xEF\xBB\xBF"), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", "{\"a\": 1}"), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", "[[[[[[[[[[[[[[[[[[[["), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", "name,age\nbob,3\n"), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", "\"unterminated"), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", std::string(200'000, '[')), FileFormat::kUnknown);
  EXPECT_EQ(DetectFormat("x", std::string(200'000, '{')), FileFormat::kUnknown);
  // A truncated OTLP file still shows what it is.
  EXPECT_EQ(DetectFormat("x", "{\"resourceSpans\": [{\"reso"), FileFormat::kOtlpTraces);
}

TEST(DetectFormatTest, NamesAreStable) {
  EXPECT_EQ(FileFormatName(FileFormat::kCanonicalJsonl), "canonical_jsonl");
  EXPECT_EQ(FileFormatName(FileFormat::kCopilotUsageNdjson), "copilot_usage");
  EXPECT_EQ(FileFormatName(FileFormat::kOtlpMetrics), "otlp_metrics");
  EXPECT_EQ(FileFormatName(FileFormat::kUnknown), "unknown");
}

// Every decoder, fed every sample cut short or with a byte flipped, answers (an error, or records
// rejected) and never crashes; the sanitizer build checks there is no undefined behaviour.
TEST(DecodeFileTest, TruncatedAndCorruptedInputNeverCrashes) {
  std::vector<std::string> samples = {
      ReadCorpus("anthropic-admin-api-docs/usage_report_messages.example.json"),
      ReadCorpus("anthropic-admin-api-docs/cost_report.example.json"),
      ReadCorpus("anthropic-admin-api-docs/usage_report_claude_code.example.json"),
      ReadCorpus("anthropic-admin-api-docs/analytics_user_usage_report.example.json"),
      ReadCorpus("github-docs-copilot-usage-metrics/user-level-example.json"),
      ReadCorpus(
          "copilot-metrics-viewer/public/mock-data/new-api/enterprise-users-1-day-report.json"),
      ReadTestdata("openai_usage_completions_page.json"),
      ReadTestdata("openai_costs_page.json"),
      ReadTestdata("copilot_billing_quoting_and_bad_rows.csv"),
      ReadTestdata("copilot_users_two_lines.ndjson"),
      ReadTestdata("canonical_two_events.jsonl"),
  };
  const FileFormat formats[] = {FileFormat::kCanonicalJsonl,
                                FileFormat::kAnthropicUsageReport,
                                FileFormat::kAnthropicCostReport,
                                FileFormat::kClaudeCodeUsageReport,
                                FileFormat::kAnthropicAnalyticsUsage,
                                FileFormat::kAnthropicAnalyticsCost,
                                FileFormat::kOpenAiUsage,
                                FileFormat::kOpenAiCosts,
                                FileFormat::kCopilotUsageNdjson,
                                FileFormat::kCopilotLegacyMetrics,
                                FileFormat::kCopilotBillingCsv,
                                FileFormat::kCopilotBillingJson};
  int64_t decoded = 0;
  for (const std::string& sample : samples) {
    for (size_t cut = 0; cut <= sample.size(); cut += 1 + sample.size() / 23) {
      std::string truncated = sample.substr(0, cut);
      std::string flipped = sample;
      flipped[cut % sample.size()] = static_cast<char>(flipped[cut % sample.size()] ^ 0x5a);
      for (const std::string& input : {truncated, flipped}) {
        (void)DetectFormat("x", input);
        for (FileFormat format : formats) {
          auto r = DecodeFile(format, input);
          if (r.ok()) {
            decoded += static_cast<int64_t>(r->batch.usage.size());
            for (const auto& e : r->batch.usage)
              EXPECT_TRUE(e.Validate().ok()) << FileFormatName(format);
            EXPECT_LE(r->errors.size(), kMaxKeptErrors);
          }
        }
      }
    }
  }
  EXPECT_GT(decoded, 0);
}

}  // namespace
}  // namespace goodhart::receivers::file
