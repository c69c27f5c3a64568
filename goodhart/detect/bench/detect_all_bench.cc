// DetectAll on a synthetic 10,000-person organisation over three four-week periods (~90 days;
// synthetic.h): every detector on the current period and the two before it, tier rules,
// persistence, materiality. Goal: under 10 s.
//   build/detect-rel/goodhart/detect/detect_bench --benchmark_filter=DetectAll
#include <benchmark/benchmark.h>

#include "goodhart/detect/bench/synthetic.h"
#include "goodhart/detect/detect_all.h"

namespace goodhart::detect::bench {
namespace {

void BM_DetectAll10kPeople(benchmark::State& state) {
  static const auto* org = MakeOrgInput(10'000).release();
  DetectParams params;
  DetectOutput out;
  for (auto _ : state) {
    out = DetectAll(org->input, params).value();
    benchmark::DoNotOptimize(out);
  }
  int64_t shown = 0;
  for (const auto& f : out.flags) {
    shown += f.shown ? 1 : 0;
  }
  state.counters["prompts"] = static_cast<double>(org->prompts);
  state.counters["rollups"] = static_cast<double>(org->rollups);
  state.counters["changes"] = static_cast<double>(org->changes);
  state.counters["deployments"] = static_cast<double>(org->deployments);
  state.counters["flags"] = static_cast<double>(out.flags.size());
  state.counters["shown"] = static_cast<double>(shown);
  state.counters["suppressed"] = static_cast<double>(out.suppressed.size());
}
BENCHMARK(BM_DetectAll10kPeople)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace
}  // namespace goodhart::detect::bench
