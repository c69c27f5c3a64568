// GitHub Copilot usage-metrics reports (docs examples, copilot-metrics-viewer mocks, NDJSON),
// the legacy metrics API, and billing usage (the real CSV export and the billing JSON).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;
using ::goodhart::testing::StatusIs;
using model::TokenCounts;
using model::UsageKind;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;

constexpr char kMock[] = "copilot-metrics-viewer/public/mock-data/";

FileDecodeResult DecodeOk(FileFormat format, const std::string& content) {
  auto r = DecodeFile(format, content);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : FileDecodeResult{};
}

struct Totals {
  int64_t requests = 0;
  TokenCounts tokens;
  int64_t cost_micros = 0;
  std::set<std::string> keys;
};

Totals Sum(const FileDecodeResult& r) {
  Totals t;
  for (const auto& e : r.batch.usage) {
    t.requests += e.request_count;
    t.tokens += e.tokens;
    t.cost_micros += e.reported_cost_micros.value_or(0);
    t.keys.insert(e.event_key);
  }
  return t;
}

TEST(CopilotUsageTest, DocsUserRecord) {
  auto r = DecodeOk(FileFormat::kCopilotUsageNdjson,
                    ReadCorpus("github-docs-copilot-usage-metrics/user-level-example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.source, "copilot_usage");
  EXPECT_EQ(e.kind, UsageKind::kUsageAggregate);
  EXPECT_EQ(e.event_name, "user_day");
  EXPECT_EQ(e.actor, "login1");
  EXPECT_EQ(e.actor_kind, "login");
  EXPECT_EQ(e.tool, "copilot");
  EXPECT_EQ(e.provider, "github");
  EXPECT_EQ(e.organization, "1");  // the enterprise, when no organization is named
  EXPECT_EQ(e.request_count, 2);   // totals_by_cli.request_count
  // prompt_tokens_sum has no cache split: all uncached input.
  EXPECT_EQ(e.tokens, (TokenCounts{.input_uncached = 3800, .output = 5000}));
  EXPECT_EQ(e.time_unix_ms, CivilToMillis(2025, 10, 1));
  EXPECT_EQ(e.end_unix_ms, CivilToMillis(2025, 10, 2));
  EXPECT_EQ(e.raw_id, "2025-10-01|last_day=2025-10-01|user_id=1|login=login1|enterprise_id=1");
}

TEST(CopilotUsageTest, NdjsonLines) {
  auto r =
      DecodeOk(FileFormat::kCopilotUsageNdjson, ReadTestdata("copilot_users_two_lines.ndjson"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.batch.usage[0].actor, "login1");
  EXPECT_EQ(r.batch.usage[1].actor, "login2");
  // No CLI block: user-initiated interactions stand in for requests.
  EXPECT_EQ(r.batch.usage[1].request_count, 7);
  EXPECT_EQ(r.batch.usage[1].tokens, TokenCounts{});
  // The same record as the docs' array gives the same key.
  auto docs = DecodeOk(FileFormat::kCopilotUsageNdjson,
                       ReadCorpus("github-docs-copilot-usage-metrics/user-level-example.json"));
  ASSERT_EQ(docs.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0], docs.batch.usage[0]);
}

TEST(CopilotUsageTest, BadNdjsonLineIsRejectedAlone) {
  auto r = DecodeOk(FileFormat::kCopilotUsageNdjson,
                    ReadTestdata("copilot_users_bad_middle_line.ndjson"));
  EXPECT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_THAT(r.errors, ElementsAre("copilot_usage: line 2: not JSON"));
  EXPECT_THAT(DecodeFile(FileFormat::kCopilotUsageNdjson, "nope\n{\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("neither a JSON document")));
}

TEST(CopilotUsageTest, DocsEnterpriseRecordsGiveAggregatesOnlyWithTokens) {
  auto r = DecodeOk(FileFormat::kCopilotUsageNdjson,
                    ReadCorpus("github-docs-copilot-usage-metrics/enterprise-level-example.json"));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 1);  // enterprise 2's day has no CLI token usage
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.event_name, "enterprise_day");
  EXPECT_EQ(e.actor, "");
  EXPECT_EQ(e.organization, "1");
  EXPECT_EQ(e.request_count, 3);
  EXPECT_EQ(e.tokens, (TokenCounts{.input_uncached = 5300, .output = 7000}));
  EXPECT_EQ(e.time_unix_ms, CivilToMillis(2025, 10, 1));
}

TEST(CopilotUsageTest, MockOrganizationUsersOneDay) {
  auto r =
      DecodeOk(FileFormat::kCopilotUsageNdjson,
               ReadCorpus(std::string(kMock) + "new-api/organization-users-1-day-report.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const auto& hubot = r.batch.usage[0];
  EXPECT_EQ(hubot.actor, "hubot");
  EXPECT_EQ(hubot.organization, "100000001");
  EXPECT_EQ(hubot.request_count, 187);
  EXPECT_EQ(hubot.tokens, (TokenCounts{.input_uncached = 23'229'028, .output = 121'157}));
  EXPECT_EQ(hubot.time_unix_ms, CivilToMillis(2026, 4, 25));
  const auto& octocat = r.batch.usage[1];
  EXPECT_EQ(octocat.actor, "octocat");
  EXPECT_EQ(octocat.request_count, 31);
  EXPECT_EQ(octocat.tokens, (TokenCounts{.input_uncached = 616'618, .output = 626'901}));
}

TEST(CopilotUsageTest, MockOrganizationUsers28Days) {
  auto r =
      DecodeOk(FileFormat::kCopilotUsageNdjson,
               ReadCorpus(std::string(kMock) + "new-api/organization-users-28-day-report.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 107u);
  Totals t = Sum(r);
  EXPECT_EQ(t.keys.size(), 107u);
  EXPECT_EQ(t.requests, 15'404);
  EXPECT_EQ(t.tokens, (TokenCounts{.input_uncached = 1'327'259'411, .output = 6'594'915}));
  const auto& first = r.batch.usage[0];
  EXPECT_EQ(first.actor, "defunkt");
  EXPECT_EQ(first.time_unix_ms, CivilToMillis(2026, 3, 30));
  EXPECT_EQ(first.request_count, 10);  // no CLI block
}

TEST(CopilotUsageTest, MockEnterpriseUserTotals) {
  auto one =
      DecodeOk(FileFormat::kCopilotUsageNdjson,
               ReadCorpus(std::string(kMock) + "new-api/enterprise-users-1-day-report.json"));
  ASSERT_EQ(one.batch.usage.size(), 1u);
  EXPECT_EQ(one.batch.usage[0].actor, "octocat");
  EXPECT_EQ(one.batch.usage[0].request_count, 18);
  EXPECT_EQ(one.batch.usage[0].time_unix_ms, CivilToMillis(2026, 3, 3));  // report_day
  EXPECT_EQ(one.batch.usage[0].end_unix_ms, CivilToMillis(2026, 3, 4));

  auto month =
      DecodeOk(FileFormat::kCopilotUsageNdjson,
               ReadCorpus(std::string(kMock) + "new-api/enterprise-users-28-day-report.json"));
  EXPECT_EQ(month.rejected, 0);
  ASSERT_EQ(month.batch.usage.size(), 8u);
  EXPECT_EQ(Sum(month).requests, 1703);
  for (const auto& e : month.batch.usage) {
    EXPECT_EQ(e.event_name, "user_period");
    EXPECT_EQ(e.time_unix_ms, CivilToMillis(2026, 2, 4));
    EXPECT_EQ(e.end_unix_ms, CivilToMillis(2026, 3, 4));  // report_end_day inclusive
  }
}

TEST(CopilotUsageTest, MockOrganizationDayTotals) {
  auto one = DecodeOk(FileFormat::kCopilotUsageNdjson,
                      ReadCorpus(std::string(kMock) + "new-api/organization-1-day-report.json"));
  ASSERT_EQ(one.batch.usage.size(), 1u);
  const auto& e = one.batch.usage[0];
  EXPECT_EQ(e.event_name, "organization_day");
  EXPECT_EQ(e.actor, "");
  EXPECT_EQ(e.organization, "100000001");
  EXPECT_EQ(e.request_count, 218);
  EXPECT_EQ(e.tokens, (TokenCounts{.input_uncached = 23'845'646, .output = 748'058}));

  auto month = DecodeOk(FileFormat::kCopilotUsageNdjson,
                        ReadCorpus(std::string(kMock) + "new-api/organization-28-day-report.json"));
  ASSERT_EQ(month.batch.usage.size(), 28u);
  Totals t = Sum(month);
  EXPECT_EQ(t.keys.size(), 28u);
  EXPECT_EQ(t.requests, 22'873);
  EXPECT_EQ(t.tokens, (TokenCounts{.input_uncached = 2'202'574'084, .output = 28'664'926}));

  // Enterprise day totals without CLI token usage: recognised, nothing kept.
  auto enterprise =
      DecodeOk(FileFormat::kCopilotUsageNdjson,
               ReadCorpus(std::string(kMock) + "new-api/enterprise-28-day-report.json"));
  EXPECT_TRUE(enterprise.batch.empty());
  EXPECT_EQ(enterprise.ignored, 26);
  EXPECT_EQ(enterprise.rejected, 0);
}

TEST(CopilotUsageTest, DeepNestingIsRejectedNotACrash) {
  std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  auto r = DecodeFile(FileFormat::kCopilotUsageNdjson, deep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 1);
  EXPECT_THAT(r->errors, ElementsAre(HasSubstr("nested too deeply")));
}

TEST(CopilotLegacyMetricsTest, AcceptedAndCountedAsIgnored) {
  for (auto [file, days] : {std::pair{"organization_metrics_response_sample.json", 21},
                            std::pair{"enterprise_metrics_response_sample.json", 21},
                            std::pair{"organization_usage_response_sample.json", 24},
                            std::pair{"enterprise_usage_response_sample.json", 26}}) {
    auto r = DecodeOk(FileFormat::kCopilotLegacyMetrics, ReadCorpus(std::string(kMock) + file));
    EXPECT_TRUE(r.batch.empty()) << file;
    EXPECT_EQ(r.ignored, days) << file;
    EXPECT_EQ(r.rejected, 0) << file;
  }
}

TEST(CopilotBillingCsvTest, RealExport) {
  auto r =
      DecodeOk(FileFormat::kCopilotBillingCsv,
               ReadCorpus("copilot-metrics-viewer/tests/fixtures/billing-credit-usage.real.csv"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 123u);
  Totals t = Sum(r);
  EXPECT_EQ(t.keys.size(), 123u);
  EXPECT_EQ(t.cost_micros, 0);  // every line item was fully discounted (net_amount "0")
  EXPECT_EQ(t.requests, 140);   // sum of llround(quantity) over the "requests" rows
  std::map<std::string, int> per_user;
  for (const auto& e : r.batch.usage)
    ++per_user[e.actor];
  EXPECT_EQ(per_user, (std::map<std::string, int>{{"Tdblackston0", 30}, {"lluppesms", 93}}));
  const auto& first = r.batch.usage[0];
  EXPECT_EQ(first.source, "copilot_billing");
  EXPECT_EQ(first.actor, "Tdblackston0");
  EXPECT_EQ(first.actor_kind, "login");
  EXPECT_EQ(first.model, "Auto: Claude Haiku 4.5");
  EXPECT_EQ(first.event_name, "copilot_premium_request");
  EXPECT_EQ(first.organization, "ms-mfg-community");
  EXPECT_EQ(first.request_count, 1);  // quantity 0.8999999999999999
  EXPECT_EQ(first.reported_cost_micros, 0);
  EXPECT_EQ(first.time_unix_ms, CivilToMillis(2026, 5, 27));
  EXPECT_EQ(first.end_unix_ms, CivilToMillis(2026, 5, 28));
  const auto& last = r.batch.usage.back();
  EXPECT_EQ(last.event_name, "copilot_ai_credit");
  EXPECT_EQ(last.request_count, 0);  // AI credits are not requests
}

TEST(CopilotBillingCsvTest, QuotingAndBadRows) {
  auto r = DecodeOk(FileFormat::kCopilotBillingCsv,
                    ReadTestdata("copilot_billing_quoting_and_bad_rows.csv"));
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.model, "Claude \"Sonnet\" 4.5");
  EXPECT_EQ(e.request_count, 3);  // llround(2.5)
  EXPECT_EQ(e.reported_cost_micros, 100'000);
  EXPECT_EQ(e.raw_id,
            "2026-06-01|username=octocat|product=copilot|sku=copilot_premium_request|model=Claude "
            "\"Sonnet\" 4.5|unit_type=requests|organization=octo-org|repository=octo-org/a,b|"
            "cost_center_name=Research\r\nand Development");
  EXPECT_EQ(r.batch.usage[1].reported_cost_micros, 127'500);
  EXPECT_EQ(r.batch.usage[1].request_count, 0);
  EXPECT_EQ(r.rejected, 3);
  EXPECT_THAT(
      r.errors,
      ElementsAre("copilot_billing: line 5: has 12 fields, the header has 14",
                  "copilot_billing: line 6: net_amount 'four cents' is not a decimal number",
                  "copilot_billing: line 7: field 5: text after the closing quote"));
}

TEST(CopilotBillingCsvTest, MissingColumnsIsAWholeFileError) {
  EXPECT_THAT(
      DecodeFile(FileFormat::kCopilotBillingCsv, "date,username,quantity\n1,2,3\n").status(),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("copilot_billing: header: no 'net_amount' column")));
  EXPECT_THAT(DecodeFile(FileFormat::kCopilotBillingCsv, "").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty file")));
}

// Found by file_decode_fuzz: a malformed header line was rejected without naming the format.
TEST(CopilotBillingCsvTest, AMalformedHeaderNamesTheFormatAndTheHeader) {
  EXPECT_THAT(DecodeFile(FileFormat::kCopilotBillingCsv, "date,\"username\"x,quantity\n").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("copilot_billing: header: field 2: text after the closing quote")));
}

TEST(CopilotBillingJsonTest, MockUsageItems) {
  auto r = DecodeOk(FileFormat::kCopilotBillingJson,
                    ReadCorpus(std::string(kMock) + "billing-credits.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 110u);
  Totals t = Sum(r);
  EXPECT_EQ(t.keys.size(), 110u);
  EXPECT_EQ(t.cost_micros, 1'005'804'021);
  EXPECT_EQ(t.requests, 1891);
  const auto& first = r.batch.usage[0];
  EXPECT_EQ(first.actor, "monalisa");
  EXPECT_EQ(first.event_name, "coding_agent_ai_credit");
  EXPECT_EQ(first.model, "Coding Agent model");
  EXPECT_EQ(first.reported_cost_micros, 1'228'963);  // netAmount 1.228963
  EXPECT_EQ(first.request_count, 0);
  EXPECT_EQ(first.organization, "octodemo");
  // timePeriod {year 2026, month 6}: a month bucket.
  EXPECT_EQ(first.time_unix_ms, CivilToMillis(2026, 6, 1));
  EXPECT_EQ(first.end_unix_ms, CivilToMillis(2026, 7, 1));
  EXPECT_EQ(r.batch.usage[1].request_count, 14);  // grossQuantity 13.6 requests
}

}  // namespace
}  // namespace goodhart::receivers::file
