// Append throughput of the embedded store: batches of 1000 Claude-Code-like api_request events
// (distinct request ids, 200 actors, 10 models, one session per actor, tokens and costs) into a
// fresh store in a temporary directory. Reports events/s (items_per_second) with synchronous
// FULL and NORMAL, from one thread and from several (group commit).
//
//   store_append_bench --benchmark_min_time=3
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::store {
namespace {

constexpr int kBatchSize = 1000;
constexpr int64_t kStartMs = 1'762'646'400'000;  // 2025-11-09T00:00:00Z

const char* const kModels[] = {"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5",
                               "claude-sonnet-4",   "claude-opus-4",   "claude-3-7-sonnet",
                               "claude-3-5-haiku",  "gpt-5",           "gpt-5-mini",
                               "gemini-2.5-pro"};

std::atomic<int64_t> next_request{0};

// `models_per_actor` 10: every event picks any model (about 800 rollup cells per batch, the worst
// case); 2: each actor sticks to its own two models (about 350 cells per batch).
model::EventBatch MakeBatch(int models_per_actor) {
  model::EventBatch batch;
  batch.usage.reserve(kBatchSize);
  int64_t first = next_request.fetch_add(kBatchSize);
  for (int64_t n = first; n < first + kBatchSize; ++n) {
    uint64_t r = static_cast<uint64_t>(n) * 0x9e3779b97f4a7c15ULL;
    int actor = static_cast<int>((r >> 8) % 200);
    model::UsageEvent e;
    e.request_id = fmt::format("req_011CS{:016x}", static_cast<uint64_t>(n));
    e.event_key = "req:" + e.request_id;
    e.source = "otlp_logs";
    e.raw_id = e.request_id;
    e.kind = model::UsageKind::kModelCall;
    e.event_name = "api_request";
    e.time_unix_ms = kStartMs + n * 10;
    e.actor = fmt::format("user{}@example.com", actor);
    e.actor_kind = "email";
    e.organization = "org-1";
    e.session_id = fmt::format("session-{}-{}", actor, e.time_unix_ms / 86'400'000);
    e.prompt_id = fmt::format("prompt-{}", n / 8);
    e.tool = "claude-code";
    e.tool_version = "2.1.294";
    e.query_source = "main";
    e.provider = "anthropic";
    e.model = kModels[(actor + (r >> 20) % models_per_actor) % 10];
    e.tokens = {.input_uncached = static_cast<int64_t>(r % 50),
                .cache_read = static_cast<int64_t>(r % 20'000),
                .cache_write = static_cast<int64_t>(r % 3'000),
                .output = static_cast<int64_t>(r % 900),
                .reasoning = 0};
    e.reported_cost_micros = static_cast<int64_t>(r % 40'000);
    e.computed_cost_micros = static_cast<int64_t>(r % 40'000) + 1;
    e.duration_ms = static_cast<int64_t>(r % 20'000);
    batch.usage.push_back(std::move(e));
  }
  return batch;
}

struct BenchStore {
  std::string dir;
  std::unique_ptr<Store> store;
};
BenchStore* shared = nullptr;

void BM_Append(benchmark::State& state) {
  bool full = state.range(0) != 0;
  int models_per_actor = static_cast<int>(state.range(1));
  if (state.thread_index() == 0) {
    std::string pattern = std::filesystem::temp_directory_path() / "goodhart_bench_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      state.SkipWithError("mkdtemp failed");
      return;
    }
    auto store = OpenEmbeddedStore({.data_dir = pattern, .synchronous_full = full});
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      return;
    }
    shared = new BenchStore{pattern, std::move(store).value()};
  }
  int64_t events = 0;
  model::EventBatch batch;  // built and destroyed outside the timed region
  for (auto _ : state) {
    state.PauseTiming();
    batch = MakeBatch(models_per_actor);
    state.ResumeTiming();
    auto stats = shared->store->Append(batch);
    if (!stats.ok() || stats->inserted != kBatchSize) {
      state.SkipWithError("append failed");
      break;
    }
    events += stats->inserted;
  }
  state.SetItemsProcessed(events);
  if (state.thread_index() == 0) {
    auto stats = shared->store->Stats();
    if (stats.ok() && stats->usage_events > 0) {
      state.counters["stored"] = static_cast<double>(stats->usage_events);
      state.counters["bytes_per_event"] =
          static_cast<double>(stats->bytes_on_disk) / static_cast<double>(stats->usage_events);
    }
    shared->store.reset();
    std::error_code ec;
    std::filesystem::remove_all(shared->dir, ec);
    delete shared;
    shared = nullptr;
  }
}

// Opening a store that holds `range(0)` thousand events: rebuilding the key tail from the chunks
// not yet merged and the Bloom filter from the key blocks.
void BM_Reopen(benchmark::State& state) {
  std::string dir = std::filesystem::temp_directory_path() / "goodhart_bench_XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  {
    auto store = OpenEmbeddedStore({.data_dir = dir, .synchronous_full = false});
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      return;
    }
    for (int64_t i = 0; i < state.range(0); ++i) {
      if (!(*store)->Append(MakeBatch(2)).ok()) {
        state.SkipWithError("append failed");
        return;
      }
    }
  }
  for (auto _ : state) {
    auto store = OpenEmbeddedStore({.data_dir = dir, .synchronous_full = false});
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      break;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

BENCHMARK(BM_Reopen)->ArgName("thousand_events")->Arg(1500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Append)
    ->ArgNames({"sync_full", "models_per_actor"})
    ->ArgsProduct({{0, 1}, {10, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Append)
    ->ArgNames({"sync_full", "models_per_actor"})
    ->ArgsProduct({{0, 1}, {10}})
    ->Threads(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace goodhart::store

BENCHMARK_MAIN();
