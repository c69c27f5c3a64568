#include "goodhart/detect/gating.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/detect/stats.h"

namespace goodhart::detect {
namespace {

using ::testing::HasSubstr;

Candidate Make(std::string detector, Tier tier, std::string person, std::optional<double> z) {
  Candidate c;
  c.flag.detector_id = std::move(detector);
  c.flag.tier = tier;
  c.flag.subject = {SubjectKind::kPerson, std::move(person)};
  if (z) {
    c.statistical = true;
    c.flag.z = z;
    c.flag.p_value = UpperTailP(*z);
  }
  return c;
}

// `tests` null p-values (0.5) besides the candidates' own.
DetectorRun MakeRun(std::vector<Candidate> candidates, int tests) {
  DetectorRun r;
  for (const auto& c : candidates) {
    if (c.flag.p_value) {
      r.p_values.push_back(*c.flag.p_value);
    }
  }
  for (int i = 0; i < tests; ++i) {
    r.p_values.push_back(0.5);
  }
  r.candidates = std::move(candidates);
  return r;
}

const Flag* Find(const std::vector<Flag>& flags, const std::string& d, const std::string& who) {
  for (const auto& f : flags) {
    if (f.detector_id == d && f.subject.id == who) {
      return &f;
    }
  }
  return nullptr;
}

TEST(GatingTest, TierBNeedsCorroborationOrZAtLeastFive) {
  DetectParams params;
  std::vector<DetectorRun> runs = {
      MakeRun({Make("D1", Tier::kB, "explorer", 4.2), Make("D1", Tier::kB, "maxxer", 6.0),
               Make("D1", Tier::kB, "gamer", 4.0)},
              100),
      MakeRun({Make("D2", Tier::kB, "gamer", 4.1)}, 100),
  };
  TierResult r = ApplyTierRules(runs, {}, params);
  EXPECT_EQ(r.tests, 204);
  const Flag* maxxer = Find(r.passed, "D1", "maxxer");
  ASSERT_NE(maxxer, nullptr);
  EXPECT_EQ(maxxer->gate, "z >= 5");
  const Flag* gamer = Find(r.passed, "D1", "gamer");
  ASSERT_NE(gamer, nullptr);
  EXPECT_EQ(gamer->gate, "corroborated by D2");
  EXPECT_EQ(gamer->corroborated_by, std::vector<std::string>{"D2"});
  ASSERT_NE(Find(r.passed, "D2", "gamer"), nullptr);
  const Flag* explorer = Find(r.failed, "D1", "explorer");
  ASSERT_NE(explorer, nullptr);
  EXPECT_THAT(explorer->suppressed_reason, HasSubstr("Tier B without corroboration: z = 4.20"));
}

TEST(GatingTest, BenjaminiHochbergOverEveryTierBTestOfThePeriod) {
  DetectParams params;
  // z = 3.6 (p = 1.6e-4) passes P(Z > 3.5), but among 1,000 tests BH needs p <= 5e-5.
  std::vector<DetectorRun> runs = {MakeRun({Make("D7", Tier::kB, "a", 3.6)}, 999),
                                   MakeRun({Make("D10", Tier::kB, "a", 3.7)}, 0)};
  TierResult r = ApplyTierRules(runs, {}, params);
  EXPECT_TRUE(r.passed.empty());
  ASSERT_EQ(r.failed.size(), 2u);
  EXPECT_THAT(r.failed[0].suppressed_reason, HasSubstr("not significant"));
  // With 10 tests the same two corroborate each other.
  runs = {MakeRun({Make("D7", Tier::kB, "a", 3.6)}, 9),
          MakeRun({Make("D10", Tier::kB, "a", 3.7)}, 0)};
  r = ApplyTierRules(runs, {}, params);
  EXPECT_EQ(r.passed.size(), 2u);
}

TEST(GatingTest, TierAFiresAloneAndCorroboratesRelatedSubjects) {
  DetectParams params;
  Candidate team = Make("D11", Tier::kB, "", std::nullopt);
  team.flag.subject = {SubjectKind::kTeam, "payments"};
  Candidate pipeline = Make("D6", Tier::kA, "", std::nullopt);
  pipeline.flag.subject = {SubjectKind::kPipeline, "payments-prod"};
  pipeline.flag.team = "payments";
  SubjectRelations rel;
  std::vector<DetectorRun> runs = {MakeRun({team}, 0), MakeRun({pipeline}, 0)};
  TierResult unrelated = ApplyTierRules(runs, rel, params);
  EXPECT_EQ(unrelated.passed.size(), 1u);  // D6 alone
  EXPECT_EQ(unrelated.passed[0].gate, "tier A");
  rel.Relate(team.flag.subject, pipeline.flag.subject);
  TierResult related = ApplyTierRules(runs, rel, params);
  ASSERT_EQ(related.passed.size(), 2u);
  EXPECT_EQ(Find(related.passed, "D11", "payments")->gate, "corroborated by D6");
}

TEST(GatingTest, SubDetectorsOfOneDetectorDoNotCorroborateEachOther) {
  DetectParams params;
  Candidate ring = Make("D9b", Tier::kB, "a", std::nullopt);
  std::vector<DetectorRun> runs = {MakeRun({Make("D9a", Tier::kA, "a", std::nullopt)}, 0),
                                   MakeRun({ring}, 0)};
  TierResult r = ApplyTierRules(runs, {}, params);
  EXPECT_EQ(r.passed.size(), 1u);
  EXPECT_EQ(r.passed[0].detector_id, "D9a");
  EXPECT_EQ(DetectorFamily("D9b"), "D9");
}

TEST(MaterialityTest, NdCostDataAndInformational) {
  DetectParams params;
  Flag f;
  f.materiality = {.basis = MaterialityBasis::kNd, .nd_effect = 0.5, .subject_nd = 4};
  ApplyMateriality(f, params);  // 12.5% >= 10%
  EXPECT_TRUE(f.shown);
  EXPECT_EQ(f.materiality.reason, "moves 0.50 ND of 4.00 (12%; shown from 10%)");
  f.materiality.nd_effect = 0.3;  // 7.5%
  ApplyMateriality(f, params);
  EXPECT_FALSE(f.shown);

  f.materiality = {.basis = MaterialityBasis::kCost,
                   .cost_micros = 150'000'000,
                   .subject_spend_micros = 1'000'000'000};
  ApplyMateriality(f, params);  // $150 is 15% of $1,000 and below $200
  EXPECT_FALSE(f.shown);
  f.materiality.cost_micros = 210'000'000;  // >= $200
  ApplyMateriality(f, params);
  EXPECT_TRUE(f.shown);
  f.materiality = {.basis = MaterialityBasis::kCost,
                   .cost_micros = 30'000'000,
                   .subject_spend_micros = 100'000'000};
  ApplyMateriality(f, params);  // 30% of spend
  EXPECT_TRUE(f.shown);

  f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
  ApplyMateriality(f, params);
  EXPECT_TRUE(f.shown);
  f.materiality = {.basis = MaterialityBasis::kInformational};
  ApplyMateriality(f, params);
  EXPECT_FALSE(f.shown);
}

}  // namespace
}  // namespace goodhart::detect
