#include "goodhart/analytics/companion/cost_per_nd.h"

#include <gtest/gtest.h>

#include <map>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

using testing::kDayMs;
using testing::kP0;

store::UsageRollupRow Row(std::string actor, int64_t day_offset, int64_t reported,
                          int64_t computed) {
  store::UsageRollupRow row;
  row.actor = std::move(actor);
  row.day = kP0 / kDayMs + day_offset;
  row.reported_cost_micros = reported;
  row.computed_cost_micros = computed;
  return row;
}

IdentityResolver Resolver() {
  static const std::map<std::string, std::string, std::less<>> people = {
      {"ann@x.io", "ann"}, {"bob@x.io", "bob"}, {"cat@x.io", "cat"}};
  return [](std::string_view identity) {
    auto it = people.find(identity);
    return it == people.end() ? std::string() : it->second;
  };
}

// ann day 0: reported 3.0 $ (computed 2.5 $ ignored); bob day 1: nothing reported, computed 1.0 $;
// cat day 2: reported 0.6 $; ann the day before the period: 9.99 $ (outside).
std::vector<store::UsageRollupRow> Rollups() {
  return {Row("ann@x.io", 0, 3'000'000, 2'500'000), Row("bob@x.io", 1, 0, 1'000'000),
          Row("cat@x.io", 2, 600'000, 550'000), Row("ann@x.io", -1, 9'990'000, 0)};
}

TEST(CostPerNdTest, OrganisationByHand) {
  CostPerNd c = ComputeCostPerNd(testing::Scenario(), Rollups(), {}, Resolver());
  // Spend 3.0 + 1.0 + 0.6 = 4.6 $ = 4'600'000 micro-USD, 3.6 $ reported and 1.0 $ computed.
  EXPECT_EQ(c.cost_micros, 4'600'000);
  EXPECT_EQ(c.reported_cost_micros, 3'600'000);
  EXPECT_EQ(c.computed_cost_micros, 1'000'000);
  EXPECT_EQ(c.cells, 3);
  // Final ND 1.5 -> 3'066'666.67 per ND; provisional + final 1.9 -> 2'421'052.63 per ND.
  EXPECT_DOUBLE_EQ(c.nd_final, 1.5);
  EXPECT_DOUBLE_EQ(c.nd_provisional_and_final, 1.9);
  EXPECT_NEAR(*c.micros_per_final_nd, 3'066'666.667, 0.01);
  EXPECT_NEAR(*c.micros_per_provisional_and_final_nd, 2'421'052.632, 0.01);
}

TEST(CostPerNdTest, TeamTakesItsPeoplesSpendAndNd) {
  CostPerNd c = ComputeCostPerNd(testing::Scenario(), Rollups(), {.team = "core"}, Resolver());
  // ann 3.0 + bob 1.0 = 4.0 $; final ND 1.0 (ann's 0.5 of L1 and 0.5 of L2) -> 4'000'000;
  // provisional + final 1.4 (bob's L3) -> 2'857'142.86.
  EXPECT_EQ(c.cost_micros, 4'000'000);
  EXPECT_DOUBLE_EQ(c.nd_final, 1.0);
  EXPECT_DOUBLE_EQ(*c.micros_per_final_nd, 4'000'000.0);
  EXPECT_NEAR(*c.micros_per_provisional_and_final_nd, 2'857'142.857, 0.01);
}

TEST(CostPerNdTest, UndefinedWithoutNd) {
  nd::NdResult r = testing::Scenario();
  r.changes.clear();
  CostPerNd c = ComputeCostPerNd(r, Rollups(), {}, Resolver());
  EXPECT_EQ(c.cost_micros, 4'600'000);
  EXPECT_EQ(c.micros_per_final_nd, std::nullopt);
  EXPECT_EQ(c.micros_per_provisional_and_final_nd, std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::companion
