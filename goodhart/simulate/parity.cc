#include "goodhart/simulate/parity.h"

#include <algorithm>
#include <cmath>

namespace goodhart::simulate {

double BinomialUpperTail(int64_t n, int64_t k, double p) {
  if (k <= 0) {
    return 1;
  }
  if (k > n || p <= 0) {
    return 0;
  }
  if (p >= 1) {
    return 1;
  }
  // The first term P(X = k) in log space, then t(j+1) = t(j) (n - j) / (j + 1) p / (1 - p); past
  // the mean the terms shrink geometrically, so the loop stops once they no longer change the sum.
  const auto nd = static_cast<double>(n);
  const auto kd = static_cast<double>(k);
  double term = std::exp(std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                         kd * std::log(p) + (nd - kd) * std::log1p(-p));
  const double odds = p / (1 - p);
  double sum = 0;
  for (int64_t j = k; j <= n && term > 0; ++j) {
    sum += term;
    const auto jd = static_cast<double>(j);
    if (jd > nd * p && term < sum * 1e-15) {
      break;
    }
    term *= (nd - jd) / (jd + 1) * odds;
  }
  return std::min(1.0, sum);
}

ParityVerdict RoleParity(int64_t flagged, int64_t windows, double overall) {
  ParityVerdict v;
  if (windows <= 0) {
    return v;
  }
  v.rate = static_cast<double>(flagged) / static_cast<double>(windows);
  v.ratio = overall > 0 ? v.rate / overall : 0;
  v.p_value = BinomialUpperTail(windows, flagged, std::min(1.0, kParityRatio * overall));
  v.fails = v.rate > kParityRatio * overall && v.p_value < kParityAlpha;
  return v;
}

}  // namespace goodhart::simulate
