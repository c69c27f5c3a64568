// Counter-based random streams for the Goodhart test (metrics.md §6.4 "common random numbers").
// Every draw comes from a stream named by (seed, run, engineer, day, purpose), so an engineer's
// honest day is drawn identically whatever strategy is simulated and whatever else is drawn
// elsewhere; a strategy's own draws come from streams of their own.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace goodhart::simulate {

// Purposes of a stream (part of its name). Append only: renumbering changes every result.
enum class Stream : uint64_t {
  kOrg = 1,       // the organisation: roles, traits
  kWork = 2,      // an engineer's honest day: changes, sessions, prompts
  kChange = 3,    // one honest change's attributes
  kGame = 4,      // a strategy's additions on one day
  kGameItem = 5,  // one gaming item (a trivial change, a split) of a day
  kPick = 6,      // choosing the gamer of a run
  kHistory = 7,   // an engineer's change sizes before the baseline (S_ref's 180-day window)
};

// splitmix64: a bijective 64-bit mixer.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The key of a stream named by the given parts, in order.
inline uint64_t StreamKey(std::initializer_list<uint64_t> parts) {
  uint64_t h = 0x676f6f6468617274ULL;  // "goodhart"
  for (uint64_t p : parts) {
    h = Mix64(h ^ Mix64(p + 0x632be59bd9b4e019ULL));
  }
  return h;
}

// A small PRNG (splitmix64 over a counter) with the distributions the simulator needs. Cheap to
// construct, so every (engineer, day, purpose) gets its own. Not thread-safe; one per use.
class Rng {
 public:
  explicit Rng(uint64_t key) : state_(key) {}
  uint64_t Next() { return Mix64(state_++ ^ 0xd1b54a32d192ed03ULL); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n). REQUIRES: n > 0.
  int Below(int n) { return static_cast<int>(Uniform() * n); }
  bool Bernoulli(double p) { return Uniform() < p; }
  double Normal() {
    double u1 = Uniform(), u2 = Uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(6.283185307179586 * u2);
  }
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }
  // Poisson by inversion (the simulator's rates are small).
  int Poisson(double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    double l = std::exp(-lambda), p = 1;
    int k = 0;
    do {
      ++k;
      p *= Uniform();
    } while (p > l && k < 1000);
    return k - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace goodhart::simulate
