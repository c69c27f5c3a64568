#include "goodhart/analytics/nd/credit.h"

#include <gtest/gtest.h>

namespace goodhart::analytics::nd {
namespace {

constexpr double kEps = 1e-12;

// S_ref = 120: S_floor = 5, rho * S_ref = 30.
TEST(CreditFunctionTest, FloorRampLinearCap) {
  NdParams p;
  EXPECT_DOUBLE_EQ(CreditFunction(0, 120, p), 0);
  EXPECT_DOUBLE_EQ(CreditFunction(4.99, 120, p), 0);
  EXPECT_NEAR(CreditFunction(5, 120, p), (5.0 / 120) * (5.0 / 30), kEps);
  EXPECT_NEAR(CreditFunction(12, 120, p), 0.04, kEps);
  EXPECT_NEAR(CreditFunction(29.99, 120, p), (29.99 / 120) * (29.99 / 30), kEps);
  EXPECT_NEAR(CreditFunction(30, 120, p), 0.25, kEps);  // continuous at rho * S_ref
  EXPECT_NEAR(CreditFunction(60, 120, p), 0.5, kEps);
  EXPECT_NEAR(CreditFunction(100, 120, p), 100.0 / 120, kEps);
  EXPECT_DOUBLE_EQ(CreditFunction(120, 120, p), 1);
  EXPECT_DOUBLE_EQ(CreditFunction(400, 120, p), 1);
}

TEST(CreditFunctionTest, SplittingNeverPaysMoreThanTheSubstance) {
  // Two halves earn at most what the whole does, below the cap; the ramp makes them earn less.
  NdParams p;
  for (double s : {10.0, 40.0, 60.0, 100.0, 200.0}) {
    EXPECT_LE(2 * CreditFunction(s / 2, 120, p), s / 120 + kEps) << s;
  }
  EXPECT_LT(2 * CreditFunction(20, 120, p), CreditFunction(40, 120, p));
}

TEST(ComputeCreditTest, BandsAndSMax) {
  NdParams p;
  EXPECT_EQ(ComputeCredit(3, 120, p).band, CreditBand::kBelowFloor);
  EXPECT_EQ(ComputeCredit(12, 120, p).band, CreditBand::kRamp);
  EXPECT_EQ(ComputeCredit(60, 120, p).band, CreditBand::kLinear);
  EXPECT_EQ(ComputeCredit(120, 120, p).band, CreditBand::kCapped);
  Credit huge = ComputeCredit(3000, 120, p);
  EXPECT_DOUBLE_EQ(huge.s_max, 2400);
  EXPECT_TRUE(huge.over_s_max);
  EXPECT_DOUBLE_EQ(huge.s_credited, 2400);
  EXPECT_DOUBLE_EQ(huge.g, 1);
  EXPECT_FALSE(ComputeCredit(2400, 120, p).over_s_max);
  EXPECT_EQ(CreditBandName(CreditBand::kRamp), "ramp");
}

TEST(ComputeCreditTest, RemediationFloor) {
  NdParams p;
  Credit tiny = ComputeCredit(3, 120, p, "INC-1");
  EXPECT_DOUBLE_EQ(tiny.g_formula, 0);
  EXPECT_DOUBLE_EQ(tiny.g, 0.25);
  EXPECT_TRUE(tiny.floored);
  EXPECT_EQ(tiny.remediation_incident_id, "INC-1");
  Credit big = ComputeCredit(60, 120, p, "INC-1");
  EXPECT_DOUBLE_EQ(big.g, 0.5);
  EXPECT_FALSE(big.floored);
  EXPECT_DOUBLE_EQ(ComputeCredit(3, 120, p).g, 0);
}

}  // namespace
}  // namespace goodhart::analytics::nd
