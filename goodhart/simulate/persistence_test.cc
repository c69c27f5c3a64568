// The persistence rule of the Goodhart test, and Settled(): once it says the first two test periods
// settle the outcome, no third period can change it.
#include "goodhart/simulate/persistence.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace goodhart::simulate {
namespace {

detect::Flag PersonFlag(const std::string& detector, const std::string& person) {
  detect::Flag f;
  f.detector_id = detector;
  f.tier = detect::Tier::kA;
  f.subject = {detect::SubjectKind::kPerson, person};
  return f;
}

Engineer Alice() {
  Engineer e;
  e.id = "alice";
  return e;
}

TEST(PersistenceTest, TwoOfThreePeriodsPerDetectorAndForAny) {
  RaisedFlags raised;
  raised[1] = {PersonFlag("D1", "alice"), PersonFlag("D2", "bob")};
  raised[2] = {PersonFlag("D3", "alice")};
  raised[3] = {PersonFlag("D1", "alice")};
  bool any = false;
  EXPECT_EQ(Persistent(FlagsOf(raised, Alice()), &any), std::vector<std::string>{"D1"});
  EXPECT_TRUE(any);
}

TEST(PersistenceTest, APipelineFlagCountsForWhoseDeploymentsAreItsEvidence) {
  RaisedFlags raised;
  detect::Flag f;
  f.detector_id = "D6";
  f.tier = detect::Tier::kA;
  f.subject = {detect::SubjectKind::kPipeline, "payments/production"};
  f.evidence.push_back({.id = "dep-alice-17"});
  raised[1] = {f};
  raised[2] = {f};
  bool any = false;
  EXPECT_EQ(Persistent(FlagsOf(raised, Alice()), &any), std::vector<std::string>{"D6"});
}

// Every combination of three detectors over the first two periods: when Settled() says so, each
// possible third period gives the same Persistent() as leaving it empty.
TEST(PersistenceTest, SettledMeansNoThirdPeriodChangesTheOutcome) {
  const std::vector<std::string> detectors = {"D1", "D2", "D3"};
  auto flags_of = [&](int mask) {
    std::vector<detect::Flag> out;
    for (size_t d = 0; d < detectors.size(); ++d) {
      if (mask & (1 << d)) {
        out.push_back(PersonFlag(detectors[d], "alice"));
      }
    }
    return out;
  };
  int settled = 0, open = 0;
  for (int p1 = 0; p1 < 8; ++p1) {
    for (int p2 = 0; p2 < 8; ++p2) {
      RaisedFlags first_two;
      first_two[1] = flags_of(p1);
      first_two[2] = flags_of(p2);
      bool changes = false;
      bool any_empty = false;
      const auto without = Persistent(FlagsOf(first_two, Alice()), &any_empty);
      for (int p3 = 0; p3 < 8; ++p3) {
        RaisedFlags all = first_two;
        all[3] = flags_of(p3);
        bool any = false;
        changes = changes || Persistent(FlagsOf(all, Alice()), &any) != without || any != any_empty;
      }
      const bool is_settled = Settled(first_two, Alice());
      EXPECT_EQ(is_settled, !changes) << "periods " << p1 << ", " << p2;
      (is_settled ? settled : open) += 1;
    }
  }
  EXPECT_GT(settled, 0);
  EXPECT_GT(open, 0);
}

}  // namespace
}  // namespace goodhart::simulate
