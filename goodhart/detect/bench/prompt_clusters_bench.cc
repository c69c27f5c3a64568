// ClusterPrompts (D3) on 10 million prompt sketches: 10,000 people x 13 weeks x ~77 prompts
// (synthetic.h). Goal: under 5 s on the 2-core machine. Run a Release build:
//   build/detect-rel/goodhart/detect/detect_bench --benchmark_filter=Cluster
#include <benchmark/benchmark.h>

#include "goodhart/detect/bench/synthetic.h"
#include "goodhart/detect/prompt_clusters.h"

namespace goodhart::detect::bench {
namespace {

const PromptCorpus& Corpus10M() {
  static const auto* corpus = MakePromptCorpus(10'000, 13).release();
  return *corpus;
}

void BM_ClusterPrompts10M(benchmark::State& state) {
  const PromptCorpus& c = Corpus10M();
  ClusterParams params{.threads = static_cast<int>(state.range(0))};
  ClusterResult r;
  for (auto _ : state) {
    r = ClusterPrompts(c.refs, c.people, c.weeks, params);
    benchmark::DoNotOptimize(r);
  }
  int64_t fired = 0, template_excluded = 0;
  for (const auto& pw : r.person_weeks) {
    fired += pw.meets_threshold ? 1 : 0;
    template_excluded += pw.template_prompts > 0 ? 1 : 0;
  }
  state.counters["prompts"] = static_cast<double>(r.stats.prompts);
  state.counters["person_weeks_clustered"] = static_cast<double>(r.stats.person_weeks_clustered);
  state.counters["in_self_clusters"] = static_cast<double>(r.stats.in_self_clusters);
  state.counters["candidate_pairs"] = static_cast<double>(r.stats.candidate_pairs);
  state.counters["weeks_meeting_threshold"] = static_cast<double>(fired);
  state.counters["weeks_with_templates"] = static_cast<double>(template_excluded);
  state.SetItemsProcessed(state.iterations() * r.stats.prompts);
}
BENCHMARK(BM_ClusterPrompts10M)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace goodhart::detect::bench
