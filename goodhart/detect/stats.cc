#include "goodhart/detect/stats.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "goodhart/base/status.h"

namespace goodhart::detect {

double Median(std::vector<double> values) { return Quantile(std::move(values), 0.5); }

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, values.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return values[lo] + frac * (values[hi] - values[lo]);
}

double Mad(const std::vector<double>& values, double median) {
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double v : values) {
    dev.push_back(std::abs(v - median));
  }
  return Median(std::move(dev));
}

double RobustZ(double x, double median, double mad, double mad_floor) {
  GOODHART_CHECK(mad_floor > 0);
  return 0.6745 * (x - median) / std::max(mad, mad_floor);
}

double UpperTailP(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

double BenjaminiHochbergCutoff(std::vector<double> p, double q) {
  std::sort(p.begin(), p.end());
  double m = static_cast<double>(p.size());
  double cutoff = -1;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= static_cast<double>(i + 1) * q / m) {
      cutoff = p[i];
    }
  }
  return cutoff;
}

double Stouffer(const std::vector<double>& z) {
  if (z.empty()) {
    return 0;
  }
  double sum = 0;
  for (double v : z) {
    sum += v;
  }
  return sum / std::sqrt(static_cast<double>(z.size()));
}

namespace {

void MeanSigma(const std::vector<double>& v, double* mean, double* sigma) {
  double sum = 0, sq = 0;
  for (double x : v) {
    sum += x;
  }
  double n = std::max<double>(1, static_cast<double>(v.size()));
  *mean = sum / n;
  for (double x : v) {
    sq += (x - *mean) * (x - *mean);
  }
  *sigma = std::sqrt(sq / n);
}

}  // namespace

double CoefficientOfVariation(const std::vector<double>& values) {
  double mean = 0, sigma = 0;
  MeanSigma(values, &mean, &sigma);
  return mean > 0 ? sigma / mean : 0;
}

double Burstiness(const std::vector<double>& values) {
  double mean = 0, sigma = 0;
  MeanSigma(values, &mean, &sigma);
  return sigma + mean > 0 ? (sigma - mean) / (sigma + mean) : 0;
}

ModalGap ModalGapShare(std::vector<double> gaps, double tolerance) {
  ModalGap out;
  if (gaps.empty()) {
    return out;
  }
  std::sort(gaps.begin(), gaps.end());
  // Two pointers: for each candidate centre g = gaps[i], the band [g(1-tol), g(1+tol)].
  size_t lo = 0, hi = 0, best = 0;
  for (size_t i = 0; i < gaps.size(); ++i) {
    double g = gaps[i];
    while (gaps[lo] < g * (1 - tolerance)) {
      ++lo;
    }
    while (hi < gaps.size() && gaps[hi] <= g * (1 + tolerance)) {
      ++hi;
    }
    if (hi - lo > best) {
      best = hi - lo;
      out.gap = g;
      out.low = gaps[lo];
      out.high = gaps[hi - 1];
    }
  }
  out.share = static_cast<double>(best) / static_cast<double>(gaps.size());
  return out;
}

double HourOfDayEntropy(const std::vector<int64_t>& times) {
  std::array<double, 24> bins{};
  for (int64_t t : times) {
    int64_t ms_of_day = ((t % 86'400'000) + 86'400'000) % 86'400'000;
    bins[static_cast<size_t>(ms_of_day / 3'600'000)] += 1;
  }
  double n = static_cast<double>(times.size()), h = 0;
  for (double c : bins) {
    if (c > 0) {
      h -= (c / n) * std::log2(c / n);
    }
  }
  return h;
}

}  // namespace goodhart::detect
