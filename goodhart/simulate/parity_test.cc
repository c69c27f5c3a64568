#include "goodhart/simulate/parity.h"

#include <gtest/gtest.h>

#include <cmath>

namespace goodhart::simulate {
namespace {

TEST(BinomialUpperTailTest, MatchesClosedForms) {
  EXPECT_DOUBLE_EQ(BinomialUpperTail(10, 0, 0.3), 1);
  EXPECT_DOUBLE_EQ(BinomialUpperTail(10, 11, 0.3), 0);
  EXPECT_DOUBLE_EQ(BinomialUpperTail(10, 1, 0), 0);
  // P(X >= 1) = 1 - (1 - p)^n.
  EXPECT_NEAR(BinomialUpperTail(1000, 1, 0.001), 1 - std::pow(0.999, 1000), 1e-12);
  // P(X = n) = p^n.
  EXPECT_NEAR(BinomialUpperTail(5, 5, 0.5), 1.0 / 32, 1e-12);
  // Symmetric case: P(X >= 6) for Bin(10, 0.5) = 386/1024.
  EXPECT_NEAR(BinomialUpperTail(10, 6, 0.5), 386.0 / 1024, 1e-12);
}

TEST(RoleParityTest, OneEngineerInASmallRoleIsNotSignificant) {
  // The reference run's seed 23: 2 of 1,000 platform windows against 5 of 9,600 overall.
  ParityVerdict v = RoleParity(2, 1000, 5.0 / 9600);
  EXPECT_DOUBLE_EQ(v.rate, 0.002);
  EXPECT_GT(v.ratio, 3.8);
  EXPECT_GT(v.p_value, 0.05);
  EXPECT_FALSE(v.fails);
}

TEST(RoleParityTest, ASystematicExcessFails) {
  // 12 of 1,000 (1.2%) against 0.2% overall: six times the rate, far beyond chance.
  ParityVerdict v = RoleParity(12, 1000, 0.002);
  EXPECT_LT(v.p_value, 1e-3);
  EXPECT_TRUE(v.fails);
}

TEST(BinomialUpperTailTest, LargeRolesAgreeWithTheExactSum) {
  // Exact values (Python, integer binomial coefficients).
  EXPECT_NEAR(BinomialUpperTail(10000, 25, 0.002), 0.156549408, 1e-8);
  EXPECT_NEAR(BinomialUpperTail(10000, 35, 0.002), 0.001472297, 1e-8);
  EXPECT_NEAR(BinomialUpperTail(1000, 4, 2 * 5.0 / 9600), 0.021582214, 1e-8);
}

TEST(RoleParityTest, TheTestsPowerAtTheReferenceSize) {
  // A 1,000-window role against 5 of 9,600 overall: 3 flagged windows (5.8x) are within chance,
  // 4 (7.7x) are not. docs/simulate.md states this threshold.
  EXPECT_FALSE(RoleParity(3, 1000, 5.0 / 9600).fails);
  EXPECT_TRUE(RoleParity(4, 1000, 5.0 / 9600).fails);
  // A large role is judged more finely: at 0.1% overall, 25 of 10,000 (2.5x) is chance, 35 (3.5x)
  // is not.
  EXPECT_FALSE(RoleParity(25, 10000, 0.001).fails);
  EXPECT_TRUE(RoleParity(35, 10000, 0.001).fails);
}

TEST(RoleParityTest, NoExcessNeverFails) {
  EXPECT_FALSE(RoleParity(0, 1000, 0.002).fails);
  EXPECT_FALSE(RoleParity(0, 1000, 0).fails);
  EXPECT_FALSE(RoleParity(3, 0, 0.01).fails);  // no windows
}

}  // namespace
}  // namespace goodhart::simulate
