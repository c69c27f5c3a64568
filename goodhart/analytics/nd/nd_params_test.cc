#include "goodhart/analytics/nd/nd_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using goodhart::testing::IsOk;
using goodhart::testing::StatusIs;
using ::testing::HasSubstr;

TEST(NdParamsTest, DefaultsAreTheSpecsTable) {
  NdParams p;
  EXPECT_EQ(p.definition_version, "nd-1.0");
  EXPECT_EQ(p.health_window_ms(), 30 * 60'000);
  EXPECT_EQ(p.fanout_window_ms(), 60 * 60'000);
  EXPECT_EQ(p.group_window_working_days, 3);
  EXPECT_DOUBLE_EQ(p.group_file_jaccard, 0.3);
  EXPECT_DOUBLE_EQ(p.s_floor_lines, 5);
  EXPECT_DOUBLE_EQ(p.ramp_rho, 0.25);
  EXPECT_EQ(p.s_ref_window_ms(), 180 * kMillisPerDay);
  EXPECT_EQ(p.s_ref_lag_ms(), 30 * kMillisPerDay);
  EXPECT_DOUBLE_EQ(p.s_ref_floor_lines, 20);
  EXPECT_EQ(p.s_ref_min_changes, 30);
  EXPECT_DOUBLE_EQ(p.s_max_multiple, 20);
  EXPECT_EQ(p.w_fail_ms(), 14 * kMillisPerDay);
  EXPECT_EQ(p.hotfix_window_ms(), 24 * 3'600'000);
  EXPECT_EQ(p.t_prov_ms(), 21 * kMillisPerDay);
  EXPECT_EQ(p.t_final_ms(), 90 * kMillisPerDay);
  EXPECT_EQ(p.break_glass_working_days, 2);
  EXPECT_DOUBLE_EQ(p.remediation_floor, 0.25);
  EXPECT_EQ(p.failure_max_severity, 3);
  EXPECT_THAT(p.Validate(), IsOk());
}

TEST(NdParamsTest, ValidateRejectsInconsistentWindows) {
  NdParams p;
  p.t_final_days = 14;
  EXPECT_THAT(p.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("t_final_days")));
  p = NdParams();
  p.w_fail_days = 30;
  EXPECT_THAT(p.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("w_fail_days")));
  p = NdParams();
  p.ramp_rho = 0;
  EXPECT_THAT(p.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("ramp_rho")));
  p = NdParams();
  p.group_file_jaccard = 1.5;
  EXPECT_THAT(p.Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("group_file_jaccard")));
  p = NdParams();
  p.s_ref_fallback_lines = 10;
  EXPECT_THAT(p.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("s_ref_fallback")));
  p = NdParams();
  p.definition_version = "";
  EXPECT_THAT(p.Validate(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(NdParamsTest, NoSectionGivesTheDefaults) {
  auto p = ParseNdParams("server: {threads: 4}\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, NdParams());
  EXPECT_TRUE(ParseNdParams("").ok());
}

TEST(NdParamsTest, ReadsTheSectionUnderANewVersion) {
  auto p = ParseNdParams(R"(
nd:
  definition_version: nd-1.1-acme
  group_window_working_days: 5
  ramp_rho: 0.2
  require_last_push_approval: false
other: ignored
)");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->definition_version, "nd-1.1-acme");
  EXPECT_EQ(p->group_window_working_days, 5);
  EXPECT_DOUBLE_EQ(p->ramp_rho, 0.2);
  EXPECT_FALSE(p->require_last_push_approval);
  EXPECT_EQ(p->t_final_days, 90);
}

TEST(NdParamsTest, TheDefaultVersionOnlyStampsTheDefaults) {
  EXPECT_TRUE(ParseNdParams("nd: {definition_version: nd-1.0, t_prov_days: 21}").ok());
  EXPECT_THAT(ParseNdParams("nd: {definition_version: nd-1.0, t_prov_days: 14}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("give them a new version")));
  EXPECT_THAT(ParseNdParams("nd: {t_prov_days: 21}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("definition_version: missing")));
}

TEST(NdParamsTest, RejectsTyposWrongTypesAndInvalidValues) {
  EXPECT_THAT(ParseNdParams("nd: {definition_version: x, ramp_rh: 0.2}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("nd.ramp_rh: unknown key")));
  EXPECT_THAT(ParseNdParams("nd: {definition_version: x, w_fail_days: soon}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("nd.w_fail_days: wrong type")));
  EXPECT_THAT(ParseNdParams("nd: {definition_version: x, w_fail_days: 40}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("w_fail_days")));
  EXPECT_THAT(ParseNdParams("nd: [1, 2]").status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseNdParams("nd: {a: [").status(), StatusIs(StatusCode::kInvalidArgument));
}

// Found by config_parse_fuzz: a YAML complex key ("? [a]") threw out of the parser.
TEST(NdParamsTest, AKeyThatIsNotANameIsAnError) {
  EXPECT_THAT(ParseNdParams("nd:\n  ? [rho]\n  : 1\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("nd: a key that is not a name")));
}

}  // namespace
}  // namespace goodhart::analytics::nd
