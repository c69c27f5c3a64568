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
  // Sum the upper tail term by term, in log space for the first term; terms shrink fast once past
  // the mean, so the loop stops when they no longer change the sum.
  const auto nd = static_cast<double>(n);
  double sum = 0;
  for (int64_t j = k; j <= n; ++j) {
    const auto jd = static_cast<double>(j);
    double log_term = std::lgamma(nd + 1) - std::lgamma(jd + 1) - std::lgamma(nd - jd + 1) +
                      jd * std::log(p) + (nd - jd) * std::log1p(-p);
    double term = std::exp(log_term);
    sum += term;
    if (jd > nd * p && term < sum * 1e-15) {
      break;
    }
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
