// The functional conformance tests. Every expectation is written out by hand or computed by
// ReferenceRollups from the appended events; nothing is read back from the store under test to
// build an expectation.
#include "goodhart/store/storetest/store_conformance.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "goodhart/store/storetest/test_events.h"

namespace goodhart::store::storetest {

int DeliveryConformanceAnchor();
int ReviewConformanceAnchor();

std::string StoreConformanceTestName(const ::testing::TestParamInfo<StoreFactory>& info) {
  // Referencing the delivery tests' file makes the linker keep its tests too.
  (void)DeliveryConformanceAnchor();
  (void)ReviewConformanceAnchor();
  return info.param.name;
}

namespace {

using model::EventBatch;
using model::Temporality;
using model::UsageEvent;
using model::UsageKind;
using ::testing::IsEmpty;

constexpr RollupQuery kAllDays{.from_day = 0, .to_day = 1'000'000};
constexpr SketchQuery kAllSketchDays{.from_day = 0, .to_day = 1'000'000};

EventBatch Batch(std::vector<UsageEvent> events) {
  EventBatch batch;
  batch.usage = std::move(events);
  return batch;
}

std::vector<UsageEvent> Sorted(std::vector<UsageEvent> events) {
  std::sort(events.begin(), events.end(),
            [](const UsageEvent& a, const UsageEvent& b) { return a.event_key < b.event_key; });
  return events;
}

// Everything a store can be asked, rendered, for before/after comparisons.
struct Snapshot {
  std::vector<std::string> rollups, sketches, cadence, events;
  bool operator==(const Snapshot&) const = default;
};

std::vector<UsageRollupRow> Rollups(const Store& store, const RollupQuery& q = kAllDays) {
  auto rows = store.QueryUsageRollups(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (!rows.ok())
    return {};
  SortRollups(&*rows);
  return *rows;
}

std::vector<PromptSketchRow> Sketches(const Store& store, const SketchQuery& q = kAllSketchDays) {
  auto rows = store.QueryPromptSketches(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (!rows.ok())
    return {};
  SortSketches(&*rows);
  return *rows;
}

std::vector<PromptCadenceRow> Cadence(const Store& store, const SketchQuery& q = kAllSketchDays) {
  auto rows = store.QueryPromptCadence(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (!rows.ok())
    return {};
  SortCadence(&*rows);
  return *rows;
}

// Every event the store holds, following the page cursor.
std::vector<UsageEvent> AllEvents(const Store& store, EventQuery q = {}) {
  std::vector<UsageEvent> all;
  q.limit = 7;
  while (true) {
    auto page = store.QueryUsageEvents(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok() || page->empty())
      return all;
    q.after_event_key = page->back().event_key;
    all.insert(all.end(), page->begin(), page->end());
  }
}

Snapshot Take(const Store& store) {
  return {Render(Rollups(store)), Render(Sketches(store)), Render(Cadence(store)),
          Render(AllEvents(store))};
}

model::AppendStats MustAppend(Store& store, const EventBatch& batch) {
  auto stats = store.Append(batch);
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  return stats.ok() ? *stats : model::AppendStats{-1, -1};
}

UsageRollupRow Row(std::string actor, int64_t day, std::string provider, std::string model,
                   std::string tool, std::string source) {
  UsageRollupRow r;
  r.actor = std::move(actor);
  r.day = day;
  r.provider = std::move(provider);
  r.model = std::move(model);
  r.tool = std::move(tool);
  r.source = std::move(source);
  return r;
}

// The rollup row of a metric-only cell whose points sum to `input` uncached input tokens.
UsageRollupRow MetricRow(std::string actor, int64_t day, std::string model, int64_t input,
                         int64_t points, int64_t sessions) {
  UsageRollupRow r =
      Row(std::move(actor), day, "anthropic", std::move(model), "claude-code", "otlp_metrics");
  r.tokens.input_uncached = input;
  r.events = points;
  r.sessions = sessions;
  return r;
}

// A record with every field set to something distinctive.
UsageEvent FullModelCall() {
  UsageEvent e;
  e.event_key = "req:req_011CSfull";
  e.source = "otlp_logs";
  e.raw_id = "req_011CSfull";
  e.kind = UsageKind::kModelCall;
  e.signal = model::Signal::kEvent;
  e.event_name = "api_request";
  e.time_unix_ms = At(kDay, 8, 137);
  e.end_unix_ms = At(kDay, 8, 1137);
  e.actor = "alice@example.com";
  e.actor_kind = "email";
  e.organization = "org-7f3a";
  e.session_id = "0b4d-session";
  e.prompt_id = "prompt-9";
  e.tool = "claude-code";
  e.tool_version = "2.1.294";
  e.agent = "code-reviewer";
  e.query_source = "subagent";
  e.provider = "anthropic";
  e.model = "claude-haiku-4-5";
  e.tokens = {
      .input_uncached = 2, .cache_read = 9179, .cache_write = 13356, .output = 4, .reasoning = 1};
  e.request_count = 1;
  e.reported_cost_micros = 2765;
  e.computed_cost_micros = 2766;
  e.duration_ms = 1234;
  e.request_id = "req_011CSfull";
  e.prompt_length = 17;
  e.git_commit_id = "";
  return e;
}

TEST_P(StoreConformanceTest, EmptyStoreAnswersEmpty) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(Rollups(*store), IsEmpty());
  EXPECT_THAT(Sketches(*store), IsEmpty());
  EXPECT_THAT(Cadence(*store), IsEmpty());
  EXPECT_THAT(AllEvents(*store), IsEmpty());
  auto stats = store->Append(EventBatch{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->inserted, 0);
  EXPECT_EQ(stats->duplicates, 0);
  auto store_stats = store->Stats();
  ASSERT_TRUE(store_stats.ok()) << store_stats.status().ToString();
  EXPECT_EQ(store_stats->usage_events, 0);
  EXPECT_EQ(store_stats->rollup_rows, 0);
  EXPECT_EQ(store_stats->prompt_sketches, 0);
}

TEST_P(StoreConformanceTest, EveryFieldRoundTrips) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<UsageEvent> events;
  events.push_back(FullModelCall());

  UsageEvent aggregate = FullModelCall();  // no reported cost, a bucket, non-ASCII actor
  aggregate.event_key = "row:anthropic_usage_report:2025-11-09:josé";
  aggregate.source = "anthropic_usage_report";
  aggregate.kind = UsageKind::kUsageAggregate;
  aggregate.actor = "josé@例え.jp";
  aggregate.time_unix_ms = At(kDay, 0);
  aggregate.end_unix_ms = At(kDay, 24);
  aggregate.request_count = 7;
  aggregate.reported_cost_micros.reset();
  aggregate.computed_cost_micros = 0;
  aggregate.tokens = {.input_uncached = 1'000'000'000'000,
                      .cache_read = 0,
                      .cache_write = 0,
                      .output = 3'000'000'000,
                      .reasoning = 0};
  events.push_back(aggregate);

  UsageEvent prompt = Prompt("seq:0b4d-session:1", "alice@example.com", At(kDay, 8, 5));
  prompt.prompt_id = "prompt-9";
  prompt.prompt_length = 4096;
  events.push_back(prompt);

  UsageEvent tool = FullModelCall();
  tool.event_key = "seq:0b4d-session:3";
  tool.kind = UsageKind::kToolCall;
  tool.event_name = "tool_result";
  tool.git_commit_id = "e8bde60164f9ef820068ec36ffe6b7be6bd8fd26";
  tool.tool_name = "Bash";
  tool.tool_step_fingerprint = 0xfedcba9876543210;  // above INT64_MAX: stored as its bits
  tool.tokens = {};
  tool.reported_cost_micros = 0;  // present and zero is not absent
  tool.computed_cost_micros = 0;
  events.push_back(tool);

  UsageEvent cumulative =
      MetricPoint("hash:5f1e", "alice@example.com", At(kDay, 9), "0b4d", "claude-haiku-4-5",
                  "series-a", Temporality::kCumulative, At(kDay, 7), 150);
  cumulative.reported_cost_micros = 99;
  events.push_back(cumulative);
  events.push_back(MetricPoint("hash:77aa", "bob", At(kDay, 9), "", "m", "series-b",
                               Temporality::kDelta, 0, 12));

  UsageEvent odd = ModelCall("req:odd", "carol", At(kDay, 10));  // a sketch on a model call
  odd.prompt_sketch = SketchFor(42);
  odd.session_id.clear();
  odd.actor_kind.clear();
  events.push_back(odd);

  model::AppendStats stats = MustAppend(*store, Batch(events));
  EXPECT_EQ(stats.inserted, static_cast<int64_t>(events.size()));
  EXPECT_EQ(stats.duplicates, 0);

  std::vector<UsageEvent> got = AllEvents(*store);
  EXPECT_EQ(Render(got), Render(Sorted(events)));
  EXPECT_TRUE(got == Sorted(events));
}

TEST_P(StoreConformanceTest, QueryUsageEventsFiltersByTimeAndActorAndPages) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<UsageEvent> events;
  for (int i = 0; i < 12; ++i) {
    events.push_back(
        ModelCall(fmt::format("req:{:02}", 11 - i), i % 2 ? "bob" : "alice", At(kDay, i)));
  }
  MustAppend(*store, Batch(events));

  std::vector<UsageEvent> expected;  // [03:00, 07:00) for alice
  for (const UsageEvent& e : events) {
    if (e.actor == "alice" && e.time_unix_ms >= At(kDay, 3) && e.time_unix_ms < At(kDay, 7))
      expected.push_back(e);
  }
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(
      Render(AllEvents(*store,
                       {.from_unix_ms = At(kDay, 3), .to_unix_ms = At(kDay, 7), .actor = "alice"})),
      Render(Sorted(expected)));

  auto first = store->QueryUsageEvents({.limit = 5});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 5u);
  EXPECT_EQ(first->front().event_key, "req:00");
  EXPECT_EQ(first->back().event_key, "req:04");
  auto second = store->QueryUsageEvents({.after_event_key = "req:04", .limit = 100});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_EQ(second->size(), 7u);
  EXPECT_EQ(second->front().event_key, "req:05");

  auto nobody = store->QueryUsageEvents({.actor = "nobody@example.com"});
  ASSERT_TRUE(nobody.ok()) << nobody.status().ToString();
  EXPECT_THAT(*nobody, IsEmpty());
}

TEST_P(StoreConformanceTest, ReversedRangesAreInvalid) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->QueryUsageRollups({.from_day = 5, .to_day = 4}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->QueryPromptSketches({.from_day = 5, .to_day = 4}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->QueryPromptCadence({.from_day = 5, .to_day = 4}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->QueryUsageEvents({.from_unix_ms = 10, .to_unix_ms = 9}).status().code(),
            StatusCode::kInvalidArgument);
}

// A mixed batch: calls, a prompt, a tool call and metric points of both temporalities.
std::vector<UsageEvent> MixedEvents() {
  std::vector<UsageEvent> events;
  for (int i = 0; i < 8; ++i) {
    events.push_back(ModelCall(fmt::format("req:mixed{}", i), i % 3 ? "alice" : "bob",
                               At(kDay + i % 2, 9 + i), i % 2 ? "m1" : "m2",
                               fmt::format("s{}", i % 4), i + 1));
  }
  events.push_back(Prompt("seq:s0:1", "alice", At(kDay, 8)));
  events.push_back(Prompt("seq:s0:2", "alice", At(kDay, 8, 40'000)));
  UsageEvent tool = ModelCall("seq:s0:3", "alice", At(kDay, 8, 50'000));
  tool.kind = UsageKind::kToolCall;
  tool.git_commit_id = "abc123";
  events.push_back(tool);
  events.push_back(MetricPoint("hash:c1", "dave", At(kDay, 10), "only-metrics", "m1", "cum",
                               Temporality::kCumulative, At(kDay, 9), 100));
  events.push_back(MetricPoint("hash:c2", "dave", At(kDay, 11), "only-metrics", "m1", "cum",
                               Temporality::kCumulative, At(kDay, 9), 160));
  events.push_back(MetricPoint("hash:d1", "dave", At(kDay, 11), "only-metrics", "m1", "delta",
                               Temporality::kDelta, 0, 7));
  return events;
}

TEST_P(StoreConformanceTest, AppendingTheSameBatchTwiceChangesNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EventBatch batch = Batch(MixedEvents());
  model::AppendStats first = MustAppend(*store, batch);
  EXPECT_EQ(first.inserted, 14);
  EXPECT_EQ(first.duplicates, 0);
  Snapshot before = Take(*store);

  model::AppendStats second = MustAppend(*store, batch);
  EXPECT_EQ(second.inserted, 0);
  EXPECT_EQ(second.duplicates, 14);
  Snapshot after = Take(*store);
  EXPECT_EQ(after.rollups, before.rollups);
  EXPECT_EQ(after.sketches, before.sketches);
  EXPECT_EQ(after.cadence, before.cadence);
  EXPECT_EQ(after.events, before.events);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, 14);
  EXPECT_EQ(stats->prompt_sketches, 2);
}

TEST_P(StoreConformanceTest, DuplicatesWithinOneBatchKeepTheFirst) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  UsageEvent a = ModelCall("req:a", "alice", At(kDay, 9), "m1", "s1", 1);
  UsageEvent a_again = ModelCall("req:a", "alice", At(kDay, 9), "m1", "s1", 50);
  UsageEvent b = ModelCall("req:b", "alice", At(kDay, 10), "m1", "s1", 2);
  UsageEvent p = Prompt("seq:s1:1", "alice", At(kDay, 9, 1));
  model::AppendStats stats = MustAppend(*store, Batch({a, b, a_again, p, b, p}));
  EXPECT_EQ(stats.inserted, 3);
  EXPECT_EQ(stats.duplicates, 3);
  EXPECT_EQ(Render(AllEvents(*store)), Render(Sorted({a, b, p})));
  EXPECT_EQ(Render(Rollups(*store)), Render(ReferenceRollups({a, b, p})));
  EXPECT_EQ(Sketches(*store).size(), 1u);
  std::vector<PromptCadenceRow> cadence = Cadence(*store);
  ASSERT_EQ(cadence.size(), 1u);
  EXPECT_EQ(cadence[0].prompt_times_unix_ms, std::vector<int64_t>{At(kDay, 9, 1)});
}

TEST_P(StoreConformanceTest, AnInvalidEventRejectsTheWholeBatch) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  UsageEvent good = ModelCall("req:good", "alice", At(kDay, 9));
  UsageEvent prompt = Prompt("seq:s1:1", "alice", At(kDay, 9, 5));
  UsageEvent metric = MetricPoint("hash:m", "alice", At(kDay, 9), "s9", "m1", "series",
                                  Temporality::kCumulative, At(kDay, 8), 40);
  std::vector<std::pair<std::string, std::function<void(UsageEvent&)>>> breakers = {
      {"empty key", [](UsageEvent& e) { e.event_key.clear(); }},
      {"empty source", [](UsageEvent& e) { e.source.clear(); }},
      {"no time", [](UsageEvent& e) { e.time_unix_ms = 0; }},
      {"negative tokens", [](UsageEvent& e) { e.tokens.output = -1; }},
      {"reasoning above output", [](UsageEvent& e) { e.tokens.reasoning = e.tokens.output + 1; }},
      {"negative request count", [](UsageEvent& e) { e.request_count = -2; }},
      {"end before start", [](UsageEvent& e) { e.end_unix_ms = e.time_unix_ms - 1; }},
      {"negative reported cost", [](UsageEvent& e) { e.reported_cost_micros = -5; }},
      {"metric without series",
       [](UsageEvent& e) {
         e.signal = model::Signal::kMetric;
         e.temporality = Temporality::kDelta;
         e.series_key.clear();
       }},
  };
  for (const auto& [name, breaker] : breakers) {
    UsageEvent bad = ModelCall("req:bad", "alice", At(kDay, 9, 9));
    breaker(bad);
    auto stats = store->Append(Batch({good, prompt, metric, bad}));
    EXPECT_EQ(stats.status().code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_THAT(AllEvents(*store), IsEmpty());
  EXPECT_THAT(Rollups(*store), IsEmpty());
  EXPECT_THAT(Sketches(*store), IsEmpty());
  EXPECT_THAT(Cadence(*store), IsEmpty());
  auto store_stats = store->Stats();
  ASSERT_TRUE(store_stats.ok()) << store_stats.status().ToString();
  EXPECT_EQ(store_stats->usage_events, 0);

  // Nothing of the rejected batches was remembered, not even their keys.
  model::AppendStats stats = MustAppend(*store, Batch({good, prompt, metric}));
  EXPECT_EQ(stats.inserted, 3);
  EXPECT_EQ(stats.duplicates, 0);
}

TEST_P(StoreConformanceTest, RollupsAreExactPerCell) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<UsageEvent> events;
  UsageEvent c1 = ModelCall("req:c1", "alice", At(kDay, 9), "m1", "s1");
  c1.tokens = {
      .input_uncached = 100, .cache_read = 1000, .cache_write = 50, .output = 200, .reasoning = 20};
  c1.reported_cost_micros = 300;
  c1.computed_cost_micros = 310;
  UsageEvent c2 = ModelCall("req:c2", "alice", At(kDay, 10), "m1", "s2");
  c2.tokens = {
      .input_uncached = 10, .cache_read = 0, .cache_write = 0, .output = 5, .reasoning = 0};
  c2.reported_cost_micros.reset();
  c2.computed_cost_micros = 20;
  UsageEvent t1 = ModelCall("seq:s1:7", "alice", At(kDay, 11), "m1", "s1");
  t1.kind = UsageKind::kToolCall;
  t1.tokens = {};
  t1.reported_cost_micros.reset();
  t1.computed_cost_micros = 0;
  UsageEvent p1 = Prompt("seq:s1:1", "alice", At(kDay, 8));
  UsageEvent a1 = ModelCall("row:a1", "alice", At(kDay, 0), "m1", "");
  a1.kind = UsageKind::kUsageAggregate;
  a1.source = "anthropic_usage_report";
  a1.tool = "api";
  a1.end_unix_ms = At(kDay, 24);
  a1.request_count = 12;
  a1.tokens = {
      .input_uncached = 5000, .cache_read = 0, .cache_write = 0, .output = 700, .reasoning = 0};
  a1.reported_cost_micros = 5000;
  a1.computed_cost_micros = 4900;
  UsageEvent c3 = ModelCall("req:c3", "alice", At(kDay + 1, 1), "m2", "s1");
  UsageEvent c4 = ModelCall("req:c4", "bob", At(kDay, 23, 3'599'999), "m1", "s9", 2);
  MustAppend(*store, Batch({c1, p1, a1}));
  MustAppend(*store, Batch({c2, t1, c3, c4}));

  UsageRollupRow alice_m1 = Row("alice", kDay, "anthropic", "m1", "claude-code", "otlp_logs");
  alice_m1.tokens = {
      .input_uncached = 110, .cache_read = 1000, .cache_write = 50, .output = 205, .reasoning = 20};
  alice_m1.requests = 2;  // the tool call is no model request
  alice_m1.events = 3;
  alice_m1.reported_cost_micros = 300;
  alice_m1.computed_cost_micros = 330;
  alice_m1.sessions = 2;
  UsageRollupRow alice_prompts = Row("alice", kDay, "", "", "claude-code", "otlp_logs");
  alice_prompts.prompts = 1;
  alice_prompts.events = 1;
  alice_prompts.sessions = 1;
  UsageRollupRow alice_report =
      Row("alice", kDay, "anthropic", "m1", "api", "anthropic_usage_report");
  alice_report.tokens = a1.tokens;
  alice_report.requests = 12;
  alice_report.events = 1;
  alice_report.reported_cost_micros = 5000;
  alice_report.computed_cost_micros = 4900;
  UsageRollupRow alice_next = Row("alice", kDay + 1, "anthropic", "m2", "claude-code", "otlp_logs");
  alice_next.tokens = c3.tokens;
  alice_next.requests = 1;
  alice_next.events = 1;
  alice_next.reported_cost_micros = 2700;
  alice_next.computed_cost_micros = 2650;
  alice_next.sessions = 1;
  UsageRollupRow bob = Row("bob", kDay, "anthropic", "m1", "claude-code", "otlp_logs");
  bob.tokens = c4.tokens;
  bob.requests = 1;
  bob.events = 1;
  bob.reported_cost_micros = 5400;
  bob.computed_cost_micros = 5300;
  bob.sessions = 1;

  std::vector<UsageRollupRow> all = {alice_prompts, alice_m1, alice_report, alice_next, bob};
  SortRollups(&all);
  EXPECT_EQ(Render(Rollups(*store)), Render(all));
  EXPECT_EQ(Render(Rollups(*store)), Render(ReferenceRollups({c1, c2, t1, p1, a1, c3, c4})));

  EXPECT_EQ(Render(Rollups(*store, {.from_day = kDay, .to_day = kDay, .actor = "bob"})),
            Render({bob}));
  EXPECT_EQ(Render(Rollups(*store, {.from_day = kDay + 1, .to_day = kDay + 5})),
            Render({alice_next}));
  EXPECT_THAT(Rollups(*store, {.from_day = kDay, .to_day = kDay + 1, .actor = "carol"}), IsEmpty());
  EXPECT_THAT(Rollups(*store, {.from_day = kDay - 9, .to_day = kDay - 1}), IsEmpty());
}

TEST_P(StoreConformanceTest, MetricPointsCountOnlyForSessionDaysWithoutEvents) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  using T = Temporality;
  UsageEvent event = ModelCall("req:e1", "alice", At(kDay, 9), "m1", "S1");
  // S1 has an event on kDay: its points that day are the same requests seen twice.
  UsageEvent shadowed =
      MetricPoint("hash:1", "alice", At(kDay, 9, 30'000), "S1", "m1", "a", T::kDelta, 0, 500);
  // S2 has only metric points.
  UsageEvent only1 =
      MetricPoint("hash:2", "alice", At(kDay, 10), "S2", "m1", "b", T::kDelta, 0, 70);
  only1.tokens.output = 30;
  only1.reported_cost_micros = 900;
  UsageEvent only2 = MetricPoint("hash:3", "alice", At(kDay, 11), "S2", "m1", "b", T::kDelta, 0, 5);
  // S1 on the next day has no events.
  UsageEvent next_day =
      MetricPoint("hash:4", "alice", At(kDay + 1, 2), "S1", "m1", "a", T::kDelta, 0, 8);
  // S3's point arrives before S3's event: once the event is there, the point stops counting.
  UsageEvent early =
      MetricPoint("hash:5", "alice", At(kDay, 12), "S3", "m1", "c", T::kDelta, 0, 1000);
  MustAppend(*store, Batch({shadowed, only1, early}));

  // Before any event arrives, every point counts (S1's first one too).
  std::vector<UsageRollupRow> before = Rollups(*store);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(Render(before), Render({[&] {
              UsageRollupRow r = MetricRow("alice", kDay, "m1", 1570, 3, 3);
              r.tokens.output = 30;
              r.reported_cost_micros = 900;
              return r;
            }()}));

  UsageEvent s3_event = ModelCall("req:e3", "alice", At(kDay, 13), "m1", "S3");
  MustAppend(*store, Batch({event, only2, next_day, s3_event}));

  UsageRollupRow metrics_today = MetricRow("alice", kDay, "m1", 75, 2, 1);
  metrics_today.tokens.output = 30;
  metrics_today.reported_cost_micros = 900;
  std::vector<UsageRollupRow> expected = ReferenceRollups({event, s3_event});
  expected.push_back(metrics_today);
  expected.push_back(MetricRow("alice", kDay + 1, "m1", 8, 1, 1));
  SortRollups(&expected);
  EXPECT_EQ(Render(Rollups(*store)), Render(expected));
}

TEST_P(StoreConformanceTest, MetricPointsWithoutSessionArbitrateOnActorDayModel) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  using T = Temporality;
  UsageEvent event = ModelCall("req:e1", "alice", At(kDay, 9), "m1", "S1");
  std::vector<UsageEvent> points = {
      MetricPoint("hash:1", "alice", At(kDay, 9), "", "m1", "a", T::kDelta, 0, 500),  // shadowed
      MetricPoint("hash:2", "alice", At(kDay, 9), "", "m2", "b", T::kDelta, 0, 40),
      MetricPoint("hash:3", "bob", At(kDay, 9), "", "m1", "c", T::kDelta, 0, 30),
      MetricPoint("hash:4", "alice", At(kDay + 1, 9), "", "m1", "a", T::kDelta, 0, 20),
  };
  MustAppend(*store, Batch(points));
  MustAppend(*store, Batch({event}));

  std::vector<UsageRollupRow> expected = ReferenceRollups({event});
  expected.push_back(MetricRow("alice", kDay, "m2", 40, 1, 0));
  expected.push_back(MetricRow("bob", kDay, "m1", 30, 1, 0));
  expected.push_back(MetricRow("alice", kDay + 1, "m1", 20, 1, 0));
  SortRollups(&expected);
  EXPECT_EQ(Render(Rollups(*store)), Render(expected));
}

TEST_P(StoreConformanceTest, DeltaPointsAreSummed) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  using T = Temporality;
  std::vector<UsageEvent> points;
  for (int i = 0; i < 5; ++i) {
    UsageEvent p = MetricPoint(fmt::format("hash:{}", i), "alice", At(kDay, 9 + i), "S", "m1",
                               "series", T::kDelta, At(kDay, 8 + i), 10 * (i + 1));
    p.reported_cost_micros = 100;
    p.computed_cost_micros = 90;
    points.push_back(p);
  }
  MustAppend(*store, Batch({points[0], points[1]}));
  MustAppend(*store, Batch({points[2], points[3], points[4], points[1]}));
  UsageRollupRow row = MetricRow("alice", kDay, "m1", 150, 5, 1);
  row.reported_cost_micros = 500;
  row.computed_cost_micros = 450;
  EXPECT_EQ(Render(Rollups(*store)), Render({row}));
}

TEST_P(StoreConformanceTest, CumulativePointsBecomeDeltasWithResets) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  using T = Temporality;
  int64_t start1 = At(kDay, 8), start2 = At(kDay + 1, 3);
  auto point = [](std::string key, int64_t time, int64_t start, int64_t value) {
    return MetricPoint(std::move(key), "alice", time, "S", "m1", "series", T::kCumulative, start,
                       value);
  };
  MustAppend(*store, Batch({point("hash:1", At(kDay, 9), start1, 10),
                            point("hash:2", At(kDay, 10), start1, 25)}));
  MustAppend(*store, Batch({point("hash:3", At(kDay, 11), start1, 40)}));
  // Same start, lower value: the counter was reset; the new value counts in full.
  MustAppend(*store, Batch({point("hash:4", At(kDay, 12), start1, 5)}));
  // The next day: a new start time is a new run, whose first point counts in full.
  MustAppend(*store, Batch({point("hash:5", At(kDay + 1, 4), start2, 7),
                            point("hash:6", At(kDay + 1, 5), start2, 9)}));
  // A cumulative cost series next to the token series.
  UsageEvent cost1 = point("hash:7", At(kDay, 9), start1, 0);
  cost1.series_key = "cost";
  cost1.reported_cost_micros = 100;
  UsageEvent cost2 = cost1;
  cost2.event_key = "hash:8";
  cost2.time_unix_ms = At(kDay, 10);
  cost2.reported_cost_micros = 250;
  MustAppend(*store, Batch({cost1, cost2}));

  UsageRollupRow today = MetricRow("alice", kDay, "m1", 40 + 5, 6, 1);
  today.reported_cost_micros = 250;
  UsageRollupRow tomorrow = MetricRow("alice", kDay + 1, "m1", 9, 2, 1);
  EXPECT_EQ(Render(Rollups(*store)), Render({today, tomorrow}));
}

TEST_P(StoreConformanceTest, CumulativePointsOutOfOrderAndRetriedCountOnce) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  using T = Temporality;
  int64_t run_a = At(kDay, 1), run_b = At(kDay, 6);
  auto point = [](std::string key, int64_t time, int64_t start, int64_t value) {
    return MetricPoint(std::move(key), "alice", time, "S", "m1", "series", T::kCumulative, start,
                       value);
  };
  UsageEvent t1 = point("hash:t1", At(kDay, 2), run_a, 10);
  UsageEvent t2 = point("hash:t2", At(kDay, 3), run_a, 25);
  UsageEvent t3 = point("hash:t3", At(kDay, 4), run_a, 40);
  MustAppend(*store, Batch({t2}));
  MustAppend(*store, Batch({t1}));  // older than t2: already inside t2's cumulative value
  MustAppend(*store, Batch({t3, t2}));
  model::AppendStats retried = MustAppend(*store, Batch({t3, t1, t2}));
  EXPECT_EQ(retried.inserted, 0);
  EXPECT_EQ(retried.duplicates, 3);
  EXPECT_EQ(Render(Rollups(*store)), Render({MetricRow("alice", kDay, "m1", 40, 3, 1)}));

  // A new run starts, then a late point of the old run arrives: each run keeps its own state.
  MustAppend(*store, Batch({point("hash:b1", At(kDay, 7), run_b, 3)}));
  MustAppend(*store, Batch({point("hash:t4", At(kDay, 5), run_a, 55)}));
  EXPECT_EQ(Render(Rollups(*store)), Render({MetricRow("alice", kDay, "m1", 55 + 3, 5, 1)}));
}

TEST_P(StoreConformanceTest, PromptSketchesAndCadenceComeFromPromptEvents) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  UsageEvent p1 = Prompt("seq:a:1", "alice", At(kDay, 10, 5'000), "a");
  UsageEvent p2 = Prompt("seq:a:2", "alice", At(kDay, 9), "a");
  UsageEvent p3 = Prompt("seq:a:3", "alice", At(kDay, 11), "b");
  UsageEvent unsketched = Prompt("seq:a:4", "alice", At(kDay, 10), "b");
  unsketched.prompt_sketch.reset();
  UsageEvent same_time = Prompt("seq:a:5", "alice", At(kDay, 9), "b");
  UsageEvent next_day = Prompt("seq:a:6", "alice", At(kDay + 1, 1), "c");
  UsageEvent bob = Prompt("seq:b:1", "bob", At(kDay, 12), "z");
  UsageEvent call = ModelCall("req:x", "alice", At(kDay, 9, 1));
  call.prompt_sketch = SketchFor(7);  // a sketch on a non-prompt is no prompt
  UsageEvent metric_prompt =
      MetricPoint("hash:p", "alice", At(kDay, 9, 2), "a", "", "p", Temporality::kDelta, 0, 0);
  metric_prompt.kind = UsageKind::kPrompt;
  MustAppend(*store, Batch({p1, call, bob, same_time}));
  MustAppend(*store, Batch({p2, p3, unsketched, next_day, metric_prompt}));

  auto row = [](const UsageEvent& e) {
    return PromptSketchRow{e.actor,        e.time_unix_ms / 86'400'000,
                           e.time_unix_ms, e.session_id,
                           e.event_key,    *e.prompt_sketch};
  };
  std::vector<PromptSketchRow> expected = {row(p1),  row(p2),        row(p3),
                                           row(bob), row(same_time), row(next_day)};
  SortSketches(&expected);
  EXPECT_EQ(Render(Sketches(*store)), Render(expected));
  std::vector<PromptSketchRow> got = Sketches(*store);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(got[i].sketch == expected[i].sketch) << got[i].event_key;

  std::vector<PromptSketchRow> alice_today = {row(p1), row(p2), row(p3), row(same_time)};
  SortSketches(&alice_today);
  EXPECT_EQ(Render(Sketches(*store, {.from_day = kDay, .to_day = kDay, .actor = "alice"})),
            Render(alice_today));

  std::vector<PromptCadenceRow> cadence = {
      {"alice", kDay, {At(kDay, 9), At(kDay, 9), At(kDay, 10), At(kDay, 10, 5'000), At(kDay, 11)}},
      {"alice", kDay + 1, {At(kDay + 1, 1)}},
      {"bob", kDay, {At(kDay, 12)}},
  };
  EXPECT_EQ(Render(Cadence(*store)), Render(cadence));
  EXPECT_EQ(Render(Cadence(*store, {.from_day = kDay + 1, .to_day = kDay + 1})),
            Render({cadence[1]}));
  EXPECT_EQ(Render(Cadence(*store, {.from_day = kDay, .to_day = kDay + 1, .actor = "bob"})),
            Render({cadence[2]}));
}

// Tool calls with a fingerprint and a session become tool steps, once each, ordered by session
// and time; the purge of sketches removes them too.
TEST_P(StoreConformanceTest, ToolStepsComeFromFingerprintedToolCalls) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto step = [](std::string key, std::string actor, int64_t time, std::string session,
                 uint64_t fingerprint) {
    UsageEvent e =
        ModelCall(std::move(key), std::move(actor), time, "claude-sonnet-4-5", std::move(session));
    e.kind = UsageKind::kToolCall;
    e.event_name = "tool_result";
    e.tokens = {};
    e.request_count = 0;
    e.reported_cost_micros.reset();
    e.computed_cost_micros = 0;
    e.tool_name = "Bash";
    e.tool_step_fingerprint = fingerprint;
    return e;
  };
  UsageEvent a2 = step("seq:a:2", "alice", At(kDay, 10), "a", 0xfedcba9876543210);
  UsageEvent a1 = step("seq:a:1", "alice", At(kDay, 9), "a", 7);
  UsageEvent a3 = step("seq:a:3", "alice", At(kDay + 1, 1), "a", 7);
  UsageEvent b1 = step("seq:b:1", "bob", At(kDay, 8), "b", 9);
  UsageEvent unprinted = step("seq:a:4", "alice", At(kDay, 11), "a", 0);
  UsageEvent no_session = step("hash:ns", "alice", At(kDay, 12), "", 7);
  MustAppend(*store, Batch({a2, b1, unprinted}));
  MustAppend(*store, Batch({a1, a3, no_session, a2}));  // a2 again: a duplicate

  auto render = [](const std::vector<store::ToolStepRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
      out.push_back(fmt::format("{} {} {} {} {:x}", r.session_id, r.actor, r.time_unix_ms,
                                r.tool_name, r.fingerprint));
    return out;
  };
  auto query = [&](store::SketchQuery q) {
    auto rows = store->QueryToolSteps(q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? render(*rows) : std::vector<std::string>{};
  };
  auto line = [](const UsageEvent& e) {
    return fmt::format("{} {} {} Bash {:x}", e.session_id, e.actor, e.time_unix_ms,
                       e.tool_step_fingerprint);
  };
  EXPECT_EQ(query({.from_day = kDay - 1, .to_day = kDay + 1}),
            (std::vector<std::string>{line(a1), line(a2), line(a3), line(b1)}));
  EXPECT_EQ(query({.from_day = kDay, .to_day = kDay, .actor = "alice"}),
            (std::vector<std::string>{line(a1), line(a2)}));
  EXPECT_EQ(store->QueryToolSteps({.from_day = 5, .to_day = 4}).status().code(),
            StatusCode::kInvalidArgument);

  auto deleted = store->PurgeSketchesBefore(kDay + 1);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 3);
  EXPECT_EQ(query({.from_day = kDay - 1, .to_day = kDay + 1}),
            (std::vector<std::string>{line(a3)}));
}

TEST_P(StoreConformanceTest, PurgeDeletesOldSketchesAndCadenceOnly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<UsageEvent> events;
  for (int64_t d = 0; d < 3; ++d) {
    events.push_back(Prompt(fmt::format("seq:a:{}", d), "alice", At(kDay - 2 + d, 9)));
    events.push_back(Prompt(fmt::format("seq:b:{}", d), "bob", At(kDay - 2 + d, 10)));
    events.push_back(ModelCall(fmt::format("req:{}", d), "alice", At(kDay - 2 + d, 11)));
  }
  MustAppend(*store, Batch(events));
  std::vector<std::string> rollups_before = Render(Rollups(*store));

  auto deleted = store->PurgeSketchesBefore(kDay);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 4 + 4);  // 4 sketches and 4 cadence rows of kDay-2 and kDay-1

  std::vector<PromptSketchRow> left = Sketches(*store);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].day, kDay);
  EXPECT_EQ(left[1].day, kDay);
  std::vector<PromptCadenceRow> cadence = Cadence(*store);
  ASSERT_EQ(cadence.size(), 2u);
  EXPECT_EQ(cadence[0].day, kDay);
  EXPECT_EQ(cadence[1].day, kDay);
  EXPECT_EQ(AllEvents(*store).size(), events.size());
  EXPECT_EQ(Render(Rollups(*store)), rollups_before);

  // A purged prompt sent again is still a duplicate and does not come back.
  model::AppendStats again = MustAppend(*store, Batch({events[0]}));
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(Sketches(*store).size(), 2u);
  auto none = store->PurgeSketchesBefore(kDay);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->prompt_sketches, 2);
}

TEST_P(StoreConformanceTest, ReopeningKeepsEverythingAndStillDedupes) {
  std::vector<UsageEvent> events = MixedEvents();
  Snapshot before;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    MustAppend(*store, Batch(events));
    before = Take(*store);
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Snapshot after = Take(*store);
  EXPECT_EQ(after.rollups, before.rollups);
  EXPECT_EQ(after.sketches, before.sketches);
  EXPECT_EQ(after.cadence, before.cadence);
  EXPECT_EQ(after.events, before.events);

  model::AppendStats again = MustAppend(*store, Batch(events));
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.duplicates, static_cast<int64_t>(events.size()));

  // The cumulative series continues from its stored state: 160 -> 200 adds 40.
  UsageEvent next = MetricPoint("hash:c3", "dave", At(kDay, 12), "only-metrics", "m1", "cum",
                                Temporality::kCumulative, At(kDay, 9), 200);
  MustAppend(*store, Batch({next}));
  std::vector<UsageRollupRow> rows =
      Rollups(*store, {.from_day = kDay, .to_day = kDay, .actor = "dave"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tokens.input_uncached, 200 + 7);
  EXPECT_EQ(rows[0].events, 4);

  // A new call in a cell and session seen before the reopen: the session is not counted twice.
  UsageEvent repeat = events[0];
  repeat.event_key = "req:after-reopen";
  MustAppend(*store, Batch({repeat}));
  std::vector<UsageEvent> all = events;
  all.push_back(repeat);
  std::vector<UsageRollupRow> bob_rows =
      Rollups(*store, {.from_day = kDay, .to_day = kDay + 1, .actor = "bob"});
  std::vector<UsageRollupRow> reference = ReferenceRollups(all);
  std::erase_if(reference, [](const UsageRollupRow& r) { return r.actor != "bob"; });
  EXPECT_EQ(Render(bob_rows), Render(reference));

  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, static_cast<int64_t>(events.size()) + 2);
}

TEST_P(StoreConformanceTest, StatsCountWhatIsStored) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  MustAppend(*store, Batch(MixedEvents()));
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, 14);
  EXPECT_EQ(stats->prompt_sketches, 2);
  EXPECT_GE(stats->rollup_rows, static_cast<int64_t>(Rollups(*store).size()));
  EXPECT_GE(stats->schema_version, 1);
  EXPECT_GE(stats->bytes_on_disk, 0);
}

TEST_P(StoreConformanceTest, ManyRandomBatchesMatchTheReferenceRollups) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::mt19937_64 rng(20251109);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  std::vector<UsageEvent> sent_first;  // first version of every key, in send order
  std::set<std::string> keys;
  int64_t inserted = 0, duplicates = 0, sent = 0;
  for (int b = 0; b < 30; ++b) {
    std::vector<UsageEvent> batch;
    int n = 1 + pick(200);
    for (int i = 0; i < n; ++i) {
      int id = pick(2500);  // repeats across and within batches
      std::string actor = fmt::format("user{}@example.com", id % 7);
      int64_t time = At(kDay + id % 3, id % 24, id);
      UsageEvent e;
      switch (id % 4) {
        case 0:
          e = Prompt(fmt::format("seq:{}", id), actor, time, fmt::format("s{}", id % 11));
          break;
        case 1:
          e = ModelCall(fmt::format("req:{}", id), actor, time, fmt::format("m{}", id % 3),
                        fmt::format("s{}", id % 11), 1 + id % 5);
          e.kind = UsageKind::kToolCall;
          break;
        default:
          e = ModelCall(fmt::format("req:{}", id), actor, time, fmt::format("m{}", id % 3),
                        id % 9 ? fmt::format("s{}", id % 11) : "", 1 + id % 5);
          if (id % 5 == 0)
            e.reported_cost_micros.reset();
      }
      if (keys.insert(e.event_key).second)
        sent_first.push_back(e);
      batch.push_back(e);
    }
    sent += n;
    model::AppendStats stats = MustAppend(*store, Batch(batch));
    inserted += stats.inserted;
    duplicates += stats.duplicates;
  }
  EXPECT_EQ(inserted, static_cast<int64_t>(keys.size()));
  EXPECT_EQ(inserted + duplicates, sent);
  EXPECT_EQ(Render(Rollups(*store)), Render(ReferenceRollups(sent_first)));
  EXPECT_EQ(AllEvents(*store).size(), keys.size());
}

}  // namespace
}  // namespace goodhart::store::storetest
