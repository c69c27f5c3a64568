#include "goodhart/detect/detect_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::detect {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

TEST(DetectParamsTest, DefaultsAreTheSpecs) {
  DetectParams p;
  EXPECT_EQ(p.version, "detect-1.0");
  EXPECT_DOUBLE_EQ(p.tier_b_z, 3.5);
  EXPECT_DOUBLE_EQ(p.tier_b_alone_z, 5);
  EXPECT_DOUBLE_EQ(p.bh_q, 0.05);
  EXPECT_EQ(p.persistence_required, 2);
  EXPECT_EQ(p.persistence_window, 3);
  EXPECT_EQ(p.min_peer_group, 8);
  EXPECT_EQ(p.materiality_cost_micros, 200'000'000);
  EXPECT_EQ(p.d3_min_prompts, 40);
  EXPECT_TRUE(p.Validate().ok());
}

TEST(DetectParamsTest, ParsesYamlAndJsonSections) {
  auto p = ParseDetectParams(
      "nd: {definition_version: nd-1.0}\n"
      "detect:\n  version: detect-1.1\n  tier_b_z: 4\n  d6_config_pipelines: [cfg-prod]\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->version, "detect-1.1");
  EXPECT_DOUBLE_EQ(p->tier_b_z, 4);
  EXPECT_EQ(p->d6_config_pipelines, std::vector<std::string>{"cfg-prod"});
  auto j = ParseDetectParams(R"({"detect": {"version": "detect-2", "d3_min_prompts": 50}})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->d3_min_prompts, 50);
  EXPECT_EQ(*ParseDetectParams("other: 1\n"), DetectParams{});
}

TEST(DetectParamsTest, ThreadsAloneNeedNoNewVersion) {
  auto p = ParseDetectParams("detect: {version: detect-1.0, threads: 1}");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->threads, 1);
}

TEST(DetectParamsTest, Errors) {
  EXPECT_THAT(ParseDetectParams("detect: {version: x, tier_b: 3}").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("detect: params: detect.tier_b: unknown key")));
  EXPECT_THAT(ParseDetectParams("detect: {version: x, tier_b_z: high}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("wrong type")));
  EXPECT_THAT(ParseDetectParams("detect: {tier_b_z: 4}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("detect.version: missing")));
  EXPECT_THAT(ParseDetectParams("detect: {version: detect-1.0, tier_b_z: 4}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("new version")));
  EXPECT_THAT(ParseDetectParams("detect: {version: x, bh_q: 1.5}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bh_q: 1.5 is not in (0, 1)")));
  EXPECT_THAT(ParseDetectParams("detect: {version: x, persistence_required: 4}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("persistence_window")));
  EXPECT_THAT(ParseDetectParams("detect: [").status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(DetectParamsTest, RoleTypical) {
  DetectParams p;
  EXPECT_TRUE(IsRoleTypical(p, "platform", "D7"));
  EXPECT_TRUE(IsRoleTypical(p, "release", "D7"));
  EXPECT_FALSE(IsRoleTypical(p, "product", "D7"));
  // Platform work's cost per ND is structurally high (small changes earn little ND): D1 too.
  EXPECT_TRUE(IsRoleTypical(p, "platform", "D1"));
  EXPECT_FALSE(IsRoleTypical(p, "product", "D1"));
  EXPECT_FALSE(IsRoleTypical(p, "release", "D1"));
}

// Found by config_parse_fuzz: a YAML complex key ("? [a]") threw out of the parser.
TEST(DetectParamsTest, AKeyThatIsNotANameIsAnError) {
  EXPECT_THAT(
      ParseDetectParams("detect:\n  ? [tier_b_z]\n  : 1\n").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("detect: a key that is not a name")));
}

}  // namespace
}  // namespace goodhart::detect
