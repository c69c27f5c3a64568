// Telemetry and daily usage reports of the same person, day and tool are counted once.
#include "goodhart/analytics/report/usage_sources.h"

#include <gtest/gtest.h>

namespace goodhart::analytics::report {
namespace {

store::UsageRollupRow Row(std::string actor, int64_t day, std::string tool, std::string source,
                          int64_t tokens, int64_t reported_cost = 0, int64_t computed_cost = 0) {
  store::UsageRollupRow r;
  r.actor = std::move(actor);
  r.day = day;
  r.provider = "anthropic";
  r.model = "claude-sonnet-4-5";
  r.tool = std::move(tool);
  r.source = std::move(source);
  r.tokens.output = tokens;
  r.reported_cost_micros = reported_cost;
  r.computed_cost_micros = computed_cost;
  return r;
}

std::vector<std::string> Sources(const std::vector<store::UsageRollupRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.actor + "/" + std::to_string(r.day) + "/" + r.source);
  return out;
}

TEST(UsageSourcesTest, TelemetryWinsItsPersonDaysAndReportsFillTheRest) {
  std::vector<store::UsageRollupRow> rows = {
      Row("Ann@Example.com", 10, "claude-code", "otlp_logs", 100, 2'000),
      Row("ann@example.com", 10, "claude-code", "claude_code_report", 120, 0, 2'400),
      Row("ann@example.com", 11, "claude-code", "claude_code_report", 50, 0, 1'000),
      Row("bob@example.com", 10, "claude-code", "claude_code_report", 70, 0, 1'400),
      Row("ann@example.com", 10, "copilot", "copilot_usage", 30),
      Row("ann@example.com", 10, "claude-code", "anthropic_usage_report", 500, 0, 9'000),
      Row("", 10, "claude-code", "anthropic_analytics", 900),
  };
  SetAsideUsage aside = SetAsideReportsCoveredByTelemetry(rows, {});
  EXPECT_EQ(aside.rows, 1);
  EXPECT_EQ(aside.tokens, 120);
  EXPECT_EQ(aside.cost_micros, 2'400);
  // Ann's report of day 10 is covered by her telemetry (identities compared lowercased); her
  // day 11, Bob, another tool, an organisation-level report and an actor-less row stay.
  EXPECT_EQ(Sources(rows),
            (std::vector<std::string>{
                "Ann@Example.com/10/otlp_logs", "ann@example.com/11/claude_code_report",
                "bob@example.com/10/claude_code_report", "ann@example.com/10/copilot_usage",
                "ann@example.com/10/anthropic_usage_report", "/10/anthropic_analytics"}));
}

TEST(UsageSourcesTest, IdentitiesMeetThroughTheDirectory) {
  // Telemetry keyed by an account id, the report by the email: one person for the directory.
  IdentityResolver resolve = [](std::string_view identity) -> std::string {
    if (identity == "acct-7" || identity == "ann@example.com")
      return "ann";
    return "";
  };
  std::vector<store::UsageRollupRow> rows = {
      Row("acct-7", 10, "claude-code", "otlp_metrics", 100),
      Row("ann@example.com", 10, "claude-code", "claude_code_report", 120),
      // Unknown to the directory: compared as identities, not all as one unknown person.
      Row("x@example.com", 10, "claude-code", "otlp_logs", 5),
      Row("y@example.com", 10, "claude-code", "claude_code_report", 6),
  };
  SetAsideUsage aside = SetAsideReportsCoveredByTelemetry(rows, resolve);
  EXPECT_EQ(aside.rows, 1);
  EXPECT_EQ(aside.tokens, 120);
  EXPECT_EQ(Sources(rows),
            (std::vector<std::string>{"acct-7/10/otlp_metrics", "x@example.com/10/otlp_logs",
                                      "y@example.com/10/claude_code_report"}));
}

TEST(UsageSourcesTest, SourcesHaveTheirGrades) {
  EXPECT_EQ(GradeOf("otlp_traces"), SourceGrade::kTelemetry);
  EXPECT_EQ(GradeOf("anthropic_analytics"), SourceGrade::kDailyReport);
  EXPECT_EQ(GradeOf("openai_usage"), SourceGrade::kOther);
  EXPECT_EQ(GradeOf("canonical"), SourceGrade::kOther);
}

}  // namespace
}  // namespace goodhart::analytics::report
