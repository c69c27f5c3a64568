#include "goodhart/store/storetest/test_events.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace goodhart::store::storetest {

model::PromptSketch SketchFor(uint64_t seed) {
  model::PromptSketch sketch;
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  auto next = [&x] {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 29;
    return x;
  };
  sketch.simhash = next();
  for (uint64_t& h : sketch.minhash)
    h = next();
  sketch.token_estimate = static_cast<int32_t>(seed % 500) + 1;
  return sketch;
}

model::UsageEvent ModelCall(std::string key, std::string actor, int64_t time_ms, std::string model,
                            std::string session, int64_t scale) {
  model::UsageEvent e;
  e.event_key = std::move(key);
  e.source = "otlp_logs";
  e.raw_id = e.event_key;
  e.kind = model::UsageKind::kModelCall;
  e.event_name = "api_request";
  e.time_unix_ms = time_ms;
  e.actor = std::move(actor);
  e.actor_kind = "email";
  e.session_id = std::move(session);
  e.tool = "claude-code";
  e.provider = "anthropic";
  e.model = std::move(model);
  e.tokens = {.input_uncached = 3 * scale,
              .cache_read = 900 * scale,
              .cache_write = 120 * scale,
              .output = 40 * scale,
              .reasoning = 5 * scale};
  e.reported_cost_micros = 2700 * scale;
  e.computed_cost_micros = 2650 * scale;
  e.request_id = "req_" + e.event_key;
  return e;
}

model::UsageEvent Prompt(std::string key, std::string actor, int64_t time_ms, std::string session) {
  model::UsageEvent e;
  e.event_key = std::move(key);
  e.source = "otlp_logs";
  e.kind = model::UsageKind::kPrompt;
  e.event_name = "user_prompt";
  e.time_unix_ms = time_ms;
  e.actor = std::move(actor);
  e.session_id = std::move(session);
  e.tool = "claude-code";
  e.request_count = 0;
  e.prompt_length = 30;
  e.prompt_sketch = SketchFor(static_cast<uint64_t>(time_ms));
  return e;
}

model::UsageEvent MetricPoint(std::string key, std::string actor, int64_t time_ms,
                              std::string session, std::string model, std::string series,
                              model::Temporality temporality, int64_t series_start, int64_t input) {
  model::UsageEvent e;
  e.event_key = std::move(key);
  e.source = "otlp_metrics";
  e.kind = model::UsageKind::kUsageAggregate;
  e.signal = model::Signal::kMetric;
  e.event_name = "token.usage";
  e.time_unix_ms = time_ms;
  e.actor = std::move(actor);
  e.session_id = std::move(session);
  e.tool = "claude-code";
  e.provider = "anthropic";
  e.model = std::move(model);
  e.tokens.input_uncached = input;
  e.request_count = 0;
  e.series_key = std::move(series);
  e.temporality = temporality;
  e.series_start_unix_ms = series_start;
  return e;
}

std::vector<UsageRollupRow> ReferenceRollups(const std::vector<model::UsageEvent>& events) {
  using Key = std::tuple<std::string, int64_t, std::string, std::string, std::string, std::string>;
  std::map<Key, UsageRollupRow> rows;
  std::map<Key, std::set<std::string>> sessions;
  for (const model::UsageEvent& e : events) {
    if (e.signal != model::Signal::kEvent)
      continue;
    int64_t day = e.time_unix_ms / 86'400'000;
    Key key{e.actor, day, e.provider, e.model, e.tool, e.source};
    UsageRollupRow& r = rows[key];
    r.actor = e.actor;
    r.day = day;
    r.provider = e.provider;
    r.model = e.model;
    r.tool = e.tool;
    r.source = e.source;
    r.tokens += e.tokens;
    if (e.kind == model::UsageKind::kModelCall || e.kind == model::UsageKind::kUsageAggregate)
      r.requests += e.request_count;
    if (e.kind == model::UsageKind::kPrompt)
      r.prompts += 1;
    r.events += 1;
    r.reported_cost_micros += e.reported_cost_micros.value_or(0);
    r.computed_cost_micros += e.computed_cost_micros;
    if (!e.session_id.empty())
      sessions[key].insert(e.session_id);
  }
  std::vector<UsageRollupRow> out;
  for (auto& [key, row] : rows) {
    row.sessions = static_cast<int64_t>(sessions[key].size());
    out.push_back(row);
  }
  SortRollups(&out);
  return out;
}

void SortRollups(std::vector<UsageRollupRow>* rows) {
  std::sort(rows->begin(), rows->end(), [](const UsageRollupRow& a, const UsageRollupRow& b) {
    return std::tie(a.actor, a.day, a.provider, a.model, a.tool, a.source) <
           std::tie(b.actor, b.day, b.provider, b.model, b.tool, b.source);
  });
}

void SortSketches(std::vector<PromptSketchRow>* rows) {
  std::sort(rows->begin(), rows->end(), [](const PromptSketchRow& a, const PromptSketchRow& b) {
    return std::tie(a.actor, a.day, a.time_unix_ms, a.event_key) <
           std::tie(b.actor, b.day, b.time_unix_ms, b.event_key);
  });
}

void SortCadence(std::vector<PromptCadenceRow>* rows) {
  std::sort(rows->begin(), rows->end(), [](const PromptCadenceRow& a, const PromptCadenceRow& b) {
    return std::tie(a.actor, a.day) < std::tie(b.actor, b.day);
  });
}

std::vector<std::string> Render(const std::vector<UsageRollupRow>& rows) {
  std::vector<std::string> out;
  for (const UsageRollupRow& r : rows) {
    out.push_back(fmt::format(
        "{}|{}|{}|{}|{}|{} tokens={}/{}/{}/{}/{} requests={} prompts={} events={} reported={} "
        "computed={} sessions={}",
        r.actor, r.day, r.provider, r.model, r.tool, r.source, r.tokens.input_uncached,
        r.tokens.cache_read, r.tokens.cache_write, r.tokens.output, r.tokens.reasoning, r.requests,
        r.prompts, r.events, r.reported_cost_micros, r.computed_cost_micros, r.sessions));
  }
  return out;
}

namespace {
std::string RenderSketch(const model::PromptSketch& s) {
  uint64_t mix = 0;
  for (uint64_t h : s.minhash)
    mix = mix * 31 + h;
  return fmt::format("simhash={:x} minhash~{:x} (first {:x}, last {:x}) tokens={}", s.simhash, mix,
                     s.minhash.front(), s.minhash.back(), s.token_estimate);
}
}  // namespace

std::vector<std::string> Render(const std::vector<PromptSketchRow>& rows) {
  std::vector<std::string> out;
  for (const PromptSketchRow& r : rows) {
    out.push_back(fmt::format("{}|{}|{}|{}|{} {}", r.actor, r.day, r.time_unix_ms, r.session_id,
                              r.event_key, RenderSketch(r.sketch)));
  }
  return out;
}

std::vector<std::string> Render(const std::vector<PromptCadenceRow>& rows) {
  std::vector<std::string> out;
  for (const PromptCadenceRow& r : rows)
    out.push_back(
        fmt::format("{}|{} [{}]", r.actor, r.day, fmt::join(r.prompt_times_unix_ms, ",")));
  return out;
}

std::string Render(const model::UsageEvent& e) {
  return fmt::format(
      "key={} source={} raw_id={} kind={} signal={} name={} time={} end={} actor={} "
      "actor_kind={} org={} session={} prompt_id={} tool={} tool_version={} agent={} "
      "query_source={} provider={} model={} tokens={}/{}/{}/{}/{} request_count={} "
      "reported={} computed={} duration={} request_id={} prompt_length={} sketch={} series={} "
      "temporality={} series_start={} git_commit_id={}",
      e.event_key, e.source, e.raw_id, model::UsageKindName(e.kind), static_cast<int>(e.signal),
      e.event_name, e.time_unix_ms, e.end_unix_ms, e.actor, e.actor_kind, e.organization,
      e.session_id, e.prompt_id, e.tool, e.tool_version, e.agent, e.query_source, e.provider,
      e.model, e.tokens.input_uncached, e.tokens.cache_read, e.tokens.cache_write, e.tokens.output,
      e.tokens.reasoning, e.request_count,
      e.reported_cost_micros ? fmt::format("{}", *e.reported_cost_micros) : "none",
      e.computed_cost_micros, e.duration_ms, e.request_id, e.prompt_length,
      e.prompt_sketch ? RenderSketch(*e.prompt_sketch) : "none", e.series_key,
      static_cast<int>(e.temporality), e.series_start_unix_ms, e.git_commit_id);
}

std::vector<std::string> Render(const std::vector<model::UsageEvent>& events) {
  std::vector<std::string> out;
  for (const model::UsageEvent& e : events)
    out.push_back(Render(e));
  return out;
}

}  // namespace goodhart::store::storetest
