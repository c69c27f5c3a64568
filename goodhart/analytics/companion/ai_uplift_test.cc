#include "goodhart/analytics/companion/ai_uplift.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

// Team A adopts in week 2, B in week 3, C never. Y = log ND_rate (rates are exp(Y), offset 0):
//        w0   w1   w2   w3
//   A   1.0  1.0  1.5  1.7
//   B   2.0  2.1  2.2  2.8
//   C   0.5  0.6  0.7  0.8
UpliftInput Staggered() {
  UpliftInput in;
  in.log_offset = 0;
  const std::map<std::string, std::vector<double>> y = {
      {"A", {1.0, 1.0, 1.5, 1.7}}, {"B", {2.0, 2.1, 2.2, 2.8}}, {"C", {0.5, 0.6, 0.7, 0.8}}};
  for (const auto& [team, series] : y) {
    for (size_t w = 0; w < series.size(); ++w) {
      in.panel.push_back(
          {.team = team, .week = static_cast<int64_t>(w), .nd_rate = std::exp(series[w])});
    }
  }
  in.adoption_week = {{"A", 2}, {"B", 3}};
  return in;
}

TEST(AiUpliftTest, StaggeredAdoptionByHand) {
  auto u = EstimateAiUplift(Staggered());
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  // g=2 (A), base w1. t=2: controls B, C (not treated by w2): A +0.5, controls (+0.1 +0.1)/2
  //   -> 0.4. t=3: control C only: A +0.7, C +0.2 -> 0.5. t=0 (e=-2): controls B, C:
  //   A 0.0, controls (-0.1 -0.1)/2 -> +0.1.
  // g=3 (B), base w2. t=3: C: B +0.6, C +0.1 -> 0.5. t=0 (e=-3): B -0.2, C -0.2 -> 0.
  //   t=1 (e=-2): B -0.1, C -0.1 -> 0.
  ASSERT_EQ(u->cells.size(), 6u);
  EXPECT_EQ(u->cells[0].group, 2);
  EXPECT_EQ(u->cells[0].week, 0);
  EXPECT_NEAR(u->cells[0].att, 0.1, 1e-12);
  EXPECT_EQ(u->cells[1].week, 2);
  EXPECT_NEAR(u->cells[1].att, 0.4, 1e-12);
  EXPECT_EQ(u->cells[1].control_teams, 2);
  EXPECT_NEAR(u->cells[2].att, 0.5, 1e-12);
  EXPECT_EQ(u->cells[2].control_teams, 1);
  // ATT = mean of the post cells (one treated team each): (0.4 + 0.5 + 0.5) / 3.
  EXPECT_NEAR(*u->att, 1.4 / 3.0, 1e-12);
  // Event study: e=-3: 0; e=-2: (0.1 + 0) / 2 = 0.05; e=0: (0.4 + 0.5) / 2 = 0.45; e=1: 0.5.
  ASSERT_EQ(u->event_study.size(), 4u);
  EXPECT_EQ(u->event_study[0].event_time, -3);
  EXPECT_NEAR(u->event_study[0].estimate, 0.0, 1e-12);
  EXPECT_NEAR(u->event_study[1].estimate, 0.05, 1e-12);
  EXPECT_EQ(u->event_study[2].event_time, 0);
  EXPECT_NEAR(u->event_study[2].estimate, 0.45, 1e-12);
  EXPECT_NEAR(u->event_study[3].estimate, 0.5, 1e-12);
  ASSERT_EQ(u->pre_trends.size(), 2u);
  EXPECT_EQ(u->pre_trends[1].event_time, -2);
  EXPECT_NEAR(u->pre_trends[1].estimate, 0.05, 1e-12);
}

TEST(AiUpliftTest, NoControlsNoEstimate) {
  // Everyone adopts in week 1: no team is untreated at any t >= 1, and no team is "not yet
  // treated" at w0 with a group > 1 either: every cell lacks controls.
  UpliftInput in = Staggered();
  in.adoption_week = {{"A", 1}, {"B", 1}, {"C", 1}};
  auto u = EstimateAiUplift(in);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->att, std::nullopt);
  EXPECT_EQ(u->skipped_cells, 3);  // t = 1, 2, 3 (t = 0 is the base week)
}

TEST(AiUpliftTest, RejectsBadPanels) {
  UpliftInput in = Staggered();
  in.panel.push_back({.team = "A", .week = 0, .nd_rate = 1});
  EXPECT_THAT(EstimateAiUplift(in).status().message(), ::testing::HasSubstr("duplicate week 0"));
  in = Staggered();
  in.panel[0].nd_rate = -1;
  EXPECT_EQ(EstimateAiUplift(in).status().code(), StatusCode::kInvalidArgument);
}

TEST(TeamWeekPanelTest, WeeklyRatesFromContributions) {
  // Scenario: final L1 (day 1, ann 0.5) and L2 (day 2: ann 0.5, cat 0.5) in week 0; core has two
  // people (FTE 2): week 0 rate (0.5 + 0.5) / 2 = 0.5; front (cat, FTE 1): 0.5. Week 1: nothing.
  std::vector<TeamWeek> panel = TeamWeekPanel(testing::Scenario(), testing::kP0, 2);
  EXPECT_THAT(panel, ::testing::ElementsAre(TeamWeek{"core", 0, 0.5}, TeamWeek{"core", 1, 0.0},
                                            TeamWeek{"front", 0, 0.5}, TeamWeek{"front", 1, 0.0}));
}

}  // namespace
}  // namespace goodhart::analytics::companion
