#include "goodhart/store/clickhouse/internal/event_row.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace goodhart::store::clickhouse {

const char* const kEventColumns =
    "day, actor, event_key, time_ms, end_ms, source, raw_id, kind, signal, event_name, "
    "actor_kind, organization, session_id, prompt_id, tool, tool_version, agent, query_source, "
    "provider, model, input_uncached, cache_read, cache_write, output, reasoning, request_count, "
    "has_reported_cost, reported_cost_micros, computed_cost_micros, duration_ms, request_id, "
    "prompt_length, has_sketch, simhash, minhash, token_estimate, series_key, temporality, "
    "series_start_ms, git_commit_id, tool_name, tool_step_fingerprint, arrival";

void AppendEventRow(const model::UsageEvent& e, int64_t day, uint64_t arrival, TsvWriter* out) {
  static const std::array<uint64_t, 0> kNoMinhash{};
  // A prompt's sketch lives in prompt_sketches only, so that purging it (retention) leaves no copy.
  const bool inline_sketch = e.prompt_sketch && !IsPromptEvent(e);
  out->Int(day)
      .Str(e.actor)
      .Str(e.event_key)
      .Int(e.time_unix_ms)
      .Int(e.end_unix_ms)
      .Str(e.source)
      .Str(e.raw_id)
      .Int(static_cast<int64_t>(e.kind))
      .Int(static_cast<int64_t>(e.signal))
      .Str(e.event_name)
      .Str(e.actor_kind)
      .Str(e.organization)
      .Str(e.session_id)
      .Str(e.prompt_id)
      .Str(e.tool)
      .Str(e.tool_version)
      .Str(e.agent)
      .Str(e.query_source)
      .Str(e.provider)
      .Str(e.model)
      .Int(e.tokens.input_uncached)
      .Int(e.tokens.cache_read)
      .Int(e.tokens.cache_write)
      .Int(e.tokens.output)
      .Int(e.tokens.reasoning)
      .Int(e.request_count)
      .Int(e.reported_cost_micros ? 1 : 0)
      .Int(e.reported_cost_micros.value_or(0))
      .Int(e.computed_cost_micros)
      .Int(e.duration_ms)
      .Str(e.request_id)
      .Int(e.prompt_length)
      .Int(inline_sketch ? 1 : 0)
      .UInt(inline_sketch ? e.prompt_sketch->simhash : 0);
  if (inline_sketch)
    out->UIntArray(e.prompt_sketch->minhash);
  else
    out->UIntArray(kNoMinhash);
  out->Int(inline_sketch ? e.prompt_sketch->token_estimate : 0)
      .Str(e.series_key)
      .Int(static_cast<int64_t>(e.temporality))
      .Int(e.series_start_unix_ms)
      .Str(e.git_commit_id)
      .Str(e.tool_name)
      .UInt(e.tool_step_fingerprint)
      .UInt(arrival)
      .EndRow();
}

Result<model::UsageEvent> ReadEventRow(const TsvReader& r) {
  GOODHART_RETURN_IF_ERROR(r.Expect(kEventColumnCount));
  model::UsageEvent e;
  e.actor = r.Str(1);
  e.event_key = r.Str(2);
  GOODHART_ASSIGN_OR_RETURN(e.time_unix_ms, r.Int(3));
  GOODHART_ASSIGN_OR_RETURN(e.end_unix_ms, r.Int(4));
  e.source = r.Str(5);
  e.raw_id = r.Str(6);
  GOODHART_ASSIGN_OR_RETURN(int64_t kind, r.Int(7));
  GOODHART_ASSIGN_OR_RETURN(int64_t signal, r.Int(8));
  if (kind < 0 || kind > static_cast<int64_t>(model::UsageKind::kOther) || signal < 0 ||
      signal > 1) {
    return Status::DataLoss(
        fmt::format("clickhouse_store: usage_events: {}: kind {} or signal {} out of range",
                    e.event_key, kind, signal));
  }
  e.kind = static_cast<model::UsageKind>(kind);
  e.signal = static_cast<model::Signal>(signal);
  e.event_name = r.Str(9);
  e.actor_kind = r.Str(10);
  e.organization = r.Str(11);
  e.session_id = r.Str(12);
  e.prompt_id = r.Str(13);
  e.tool = r.Str(14);
  e.tool_version = r.Str(15);
  e.agent = r.Str(16);
  e.query_source = r.Str(17);
  e.provider = r.Str(18);
  e.model = r.Str(19);
  GOODHART_ASSIGN_OR_RETURN(e.tokens.input_uncached, r.Int(20));
  GOODHART_ASSIGN_OR_RETURN(e.tokens.cache_read, r.Int(21));
  GOODHART_ASSIGN_OR_RETURN(e.tokens.cache_write, r.Int(22));
  GOODHART_ASSIGN_OR_RETURN(e.tokens.output, r.Int(23));
  GOODHART_ASSIGN_OR_RETURN(e.tokens.reasoning, r.Int(24));
  GOODHART_ASSIGN_OR_RETURN(e.request_count, r.Int(25));
  GOODHART_ASSIGN_OR_RETURN(int64_t has_reported, r.Int(26));
  GOODHART_ASSIGN_OR_RETURN(int64_t reported, r.Int(27));
  if (has_reported != 0)
    e.reported_cost_micros = reported;
  GOODHART_ASSIGN_OR_RETURN(e.computed_cost_micros, r.Int(28));
  GOODHART_ASSIGN_OR_RETURN(e.duration_ms, r.Int(29));
  e.request_id = r.Str(30);
  GOODHART_ASSIGN_OR_RETURN(e.prompt_length, r.Int(31));
  GOODHART_ASSIGN_OR_RETURN(int64_t has_sketch, r.Int(32));
  if (has_sketch != 0) {
    model::PromptSketch sketch;
    GOODHART_ASSIGN_OR_RETURN(sketch.simhash, r.UInt(33));
    GOODHART_ASSIGN_OR_RETURN(std::vector<uint64_t> minhash, r.UIntArray(34));
    if (minhash.size() != sketch.minhash.size()) {
      return Status::DataLoss(
          fmt::format("clickhouse_store: usage_events: {}: minhash has {} values", e.event_key,
                      minhash.size()));
    }
    std::copy(minhash.begin(), minhash.end(), sketch.minhash.begin());
    GOODHART_ASSIGN_OR_RETURN(int64_t tokens, r.Int(35));
    sketch.token_estimate = static_cast<int32_t>(tokens);
    e.prompt_sketch = sketch;
  }
  e.series_key = r.Str(36);
  GOODHART_ASSIGN_OR_RETURN(int64_t temporality, r.Int(37));
  if (temporality < 0 || temporality > 2) {
    return Status::DataLoss(
        fmt::format("clickhouse_store: usage_events: {}: temporality {} out of range", e.event_key,
                    temporality));
  }
  e.temporality = static_cast<model::Temporality>(temporality);
  GOODHART_ASSIGN_OR_RETURN(e.series_start_unix_ms, r.Int(38));
  e.git_commit_id = r.Str(39);
  e.tool_name = r.Str(40);
  GOODHART_ASSIGN_OR_RETURN(e.tool_step_fingerprint, r.UInt(41));
  return e;
}

}  // namespace goodhart::store::clickhouse
