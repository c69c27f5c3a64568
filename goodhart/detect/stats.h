// The statistics the detectors share (metrics.md §2.5, §5.1, §8 "Statistics"): medians and
// quantiles, MAD and the robust z with a MAD floor, normal tail probabilities, Benjamini-Hochberg,
// Stouffer's combination, and the timing-regularity measures of the cadence detector
// (coefficient of variation, burstiness, modal-gap share, hour-of-day entropy). Pure functions.
#pragma once

#include <cstdint>
#include <vector>

namespace goodhart::detect {

// The median (mean of the two middle values for an even count); 0 for an empty input.
double Median(std::vector<double> values);

// Linear-interpolation quantile (type 7, as R's default and numpy's): q in [0, 1]; 0 when empty.
double Quantile(std::vector<double> values, double q);

// Median absolute deviation from `median` (unscaled); 0 when empty.
double Mad(const std::vector<double>& values, double median);

// Iglewicz-Hoaglin modified z: 0.6745 * (x - median) / max(mad, mad_floor). The floor keeps a
// near-constant peer distribution from turning tiny differences into huge z (§5.1).
// REQUIRES: mad_floor > 0.
double RobustZ(double x, double median, double mad, double mad_floor);

// P(Z > z) for a standard normal Z.
double UpperTailP(double z);

// The Benjamini-Hochberg cutoff at FDR q: the largest p_(k) with p_(k) <= k q / m over the m
// p-values (every test performed, significant or not); a test is rejected (significant) when its
// p <= the cutoff. Returns -1 when nothing is rejected (so no p, not even 0, passes).
double BenjaminiHochbergCutoff(std::vector<double> p_values, double q);

// Stouffer's Z = sum(z) / sqrt(n); 0 for an empty input.
double Stouffer(const std::vector<double>& z);

// Coefficient of variation sigma / mu of the values (population sigma); 0 when mu is 0.
double CoefficientOfVariation(const std::vector<double>& values);

// Burstiness B = (sigma - mu) / (sigma + mu) (Goh & Barabasi): -1 periodic, 0 Poisson, > 0
// bursty. 0 when sigma + mu is 0.
double Burstiness(const std::vector<double>& values);

struct ModalGap {
  double gap = 0;            // the gap with the most gaps within +-tolerance of it
  double share = 0;          // that many / all gaps
  double low = 0, high = 0;  // smallest and largest gap in that band
};
// RITA-style regularity: the gap value g maximising #{gaps within [g(1-tol), g(1+tol)]}.
ModalGap ModalGapShare(std::vector<double> gaps, double tolerance);

// Shannon entropy (bits) of the hour-of-day (UTC) histogram of the times: 24 bins, max 4.585.
double HourOfDayEntropy(const std::vector<int64_t>& times_unix_ms);

}  // namespace goodhart::detect
