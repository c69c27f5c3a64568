// P4's parity rule (metrics.md §6.6): no role's honest flag rate may exceed 2x the overall rate.
// Deviation, documented in docs/simulate.md: a role fails only when its excess over 2x the overall
// rate is also statistically significant, a one-sided exact binomial test at alpha = 0.05 of
// "the role's rate is at most 2x overall". Without it, one flagged engineer in a small role fails
// the gate by chance: 2 flagged windows in 1,000 against an overall 0.05% is 4x the rate, yet 2 or
// more such windows arise with probability about a quarter when the role's true rate is exactly
// 2x overall.
// Disparate-impact practice pairs its ratio rule with a significance test for the same reason.
#pragma once

#include <cstdint>

namespace goodhart::simulate {

// P(X >= k) for X ~ Binomial(n, p). 1 when k <= 0; 0 when k > n.
double BinomialUpperTail(int64_t n, int64_t k, double p);

struct ParityVerdict {
  double rate = 0;     // the role's flag rate
  double ratio = 0;    // rate / overall (0 when overall is 0)
  double p_value = 1;  // of k or more flags when the role's true rate were 2x overall
  bool fails = false;  // rate > 2x overall and p_value < kParityAlpha
};

inline constexpr double kParityRatio = 2;
inline constexpr double kParityAlpha = 0.05;

// The parity verdict of a role with `flagged` of `windows` engineer-windows flagged, against the
// overall honest rate. REQUIRES: 0 <= flagged <= windows; 0 <= overall <= 1.
ParityVerdict RoleParity(int64_t flagged, int64_t windows, double overall);

}  // namespace goodhart::simulate
