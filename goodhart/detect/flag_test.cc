#include "goodhart/detect/flag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/detect/flag_json.h"

namespace goodhart::detect {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

Flag Sample() {
  Flag f;
  f.detector_id = "D1";
  f.detector_version = "D1-1";
  f.params_version = "detect-1.0";
  f.tier = Tier::kB;
  f.subject = {SubjectKind::kPerson, "alice"};
  f.team = "payments";
  f.period = {1000, 2000};
  f.id = FlagId(f.detector_id, f.subject, f.period);
  f.score = 5.2;
  f.threshold = 3.5;
  f.score_name = "robust z";
  f.z = 5.2;
  f.p_value = 1e-7;
  f.peer_group = "product/go-api (n=12)";
  f.peer_n = 12;
  f.materiality = {.basis = MaterialityBasis::kCost, .cost_micros = 5, .material = true};
  f.evidence = {{"s1", 1500, "1M tokens", "orphan"}};
  f.explanation = "x";
  f.benign_explanations = {"research"};
  f.gate = "z >= 5";
  f.tier_passed = true;
  f.persistent_periods = 2;
  f.shown = true;
  return f;
}

TEST(FlagTest, IdIsStableAndDependsOnDetectorSubjectAndPeriodOnly) {
  Flag a = Sample();
  EXPECT_EQ(a.id, FlagId("D1", {SubjectKind::kPerson, "alice"}, {1000, 2000}));
  EXPECT_EQ(a.id.size(), 2u + 32u);
  EXPECT_EQ(a.id.rfind("f-", 0), 0u);
  EXPECT_NE(a.id, FlagId("D2", {SubjectKind::kPerson, "alice"}, {1000, 2000}));
  EXPECT_NE(a.id, FlagId("D1", {SubjectKind::kTeam, "alice"}, {1000, 2000}));
  EXPECT_NE(a.id, FlagId("D1", {SubjectKind::kPerson, "alice"}, {1000, 2001}));
}

TEST(FlagJsonTest, RoundTripsEveryField) {
  Flag f = Sample();
  nlohmann::json j = ToJson(f);
  EXPECT_EQ(j["tier"], "B");
  EXPECT_EQ(j["subject"]["kind"], "person");
  EXPECT_EQ(j["materiality"]["basis"], "cost");
  auto back = FlagFromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, f);
  f.z.reset();
  EXPECT_TRUE(ToJson(f)["z"].is_null());
  EXPECT_EQ(*FlagFromJson(ToJson(f)), f);
}

TEST(FlagJsonTest, RejectsUnknownEnumNames) {
  nlohmann::json j = ToJson(Sample());
  j["subject"]["kind"] = "robot";
  EXPECT_THAT(FlagFromJson(j).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("detect: flag json: kind")));
  EXPECT_THAT(FlagFromJson(nlohmann::json::array()).status(),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace goodhart::detect
