// Anthropic Admin API reports (usage_report/messages, cost_report, usage_report/claude_code) and
// Analytics API reports (usage/cost, organisation buckets or per-user rows); formats.md §5.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "goodhart/base/time.h"
#include "goodhart/receivers/file/internal/decoders.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file::internal {
namespace {

using model::MoneyUnit;
using model::TokenCounts;
using model::UsageEvent;
using model::UsageKind;

constexpr std::string_view kUsageSource = "anthropic_usage_report";
constexpr std::string_view kCostSource = "anthropic_cost_report";
constexpr std::string_view kClaudeCodeSource = "claude_code_report";
constexpr std::string_view kAnalyticsSource = "anthropic_analytics";

// The parsed document and its `data` array.
Result<Json> ParseDataDocument(std::string_view component, std::string_view content) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseJson(component, StripBom(content)));
  if (!doc.is_object())
    return Status::InvalidArgument(fmt::format("{}: not a JSON object", component));
  const Json* data = Member(doc, "data");
  if (data == nullptr || !data->is_array())
    return Status::InvalidArgument(fmt::format("{}: data: missing or not an array", component));
  return doc;
}

struct Bucket {
  int64_t start_ms = 0, end_ms = 0;
  // Keys use the parsed instants, so "Z" and "+00:00" spellings of a bucket are the same bucket.
  void AddTo(RecordId& id) const {
    id.Add(FormatMillis(start_ms)).Add("ending_at", FormatMillis(end_ms));
  }
};

Result<Bucket> ReadBucket(const Json& object) {
  Bucket b;
  GOODHART_ASSIGN_OR_RETURN(b.start_ms, ReadTime(object, "starting_at"));
  GOODHART_ASSIGN_OR_RETURN(b.end_ms, ReadTime(object, "ending_at"));
  return b;
}

// Calls fn(where, bucket, result) for each data[i].results[j]. A bucket whose times are bad
// rejects all its results; an empty bucket produces nothing.
template <typename Fn>
void ForEachBucketResult(const Json& data, RecordSink& sink, Fn fn) {
  for (size_t i = 0; i < data.size(); ++i) {
    const Json& bucket_json = data[i];
    std::string where = fmt::format("data[{}]", i);
    const Json* results = Member(bucket_json, "results");
    if (!bucket_json.is_object() || (results != nullptr && !results->is_array())) {
      sink.Reject(where, Status::InvalidArgument("not a bucket with a results array"));
      continue;
    }
    if (results == nullptr || results->empty())
      continue;
    auto bucket = ReadBucket(bucket_json);
    if (!bucket.ok()) {
      sink.Reject(where, bucket.status(), static_cast<int64_t>(results->size()));
      continue;
    }
    for (size_t j = 0; j < results->size(); ++j)
      fn(fmt::format("{}.results[{}]", where, j), *bucket, (*results)[j]);
  }
}

// Anthropic's disjoint buckets; cache_creation is the 5m + 1h split, or the older flat total.
Result<TokenCounts> ReadTokens(const Json& r) {
  GOODHART_ASSIGN_OR_RETURN(int64_t uncached, ReadCount(r, "uncached_input_tokens"));
  GOODHART_ASSIGN_OR_RETURN(int64_t cache_read, ReadCount(r, "cache_read_input_tokens"));
  GOODHART_ASSIGN_OR_RETURN(int64_t output, ReadCount(r, "output_tokens"));
  int64_t cache_write = 0;
  if (const Json* cc = Member(r, "cache_creation"); cc != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(int64_t m5, ReadCount(*cc, "ephemeral_5m_input_tokens",
                                                    "cache_creation.ephemeral_5m_input_tokens"));
    GOODHART_ASSIGN_OR_RETURN(int64_t h1, ReadCount(*cc, "ephemeral_1h_input_tokens",
                                                    "cache_creation.ephemeral_1h_input_tokens"));
    cache_write = m5 + h1;
  } else {
    GOODHART_ASSIGN_OR_RETURN(cache_write, ReadCount(r, "cache_creation_input_tokens"));
  }
  return TokenCounts::FromAnthropic(uncached, cache_read, cache_write, output);
}

UsageEvent NewAggregate(const Bucket& bucket) {
  UsageEvent e;
  e.kind = UsageKind::kUsageAggregate;
  e.provider = "anthropic";
  e.time_unix_ms = bucket.start_ms;
  e.end_unix_ms = bucket.end_ms;
  e.request_count = 0;  // unless the report gives a count
  return e;
}

Status FillIds(const Json& r, std::span<const std::string_view> names, std::string_view source,
               RecordId& id, UsageEvent& e) {
  for (std::string_view name : names) {
    GOODHART_ASSIGN_OR_RETURN(std::string value, ReadString(r, name));
    id.Add(name, value);
  }
  e.event_key = id.Key(source);
  e.raw_id = id.raw_id();
  return Status::Ok();
}

// --- usage_report/messages --------------------------------------------------------------------

constexpr std::array<std::string_view, 9> kUsageGroupBy = {
    "model",         "api_key_id", "workspace_id",       "service_tier", "context_window",
    "inference_geo", "account_id", "service_account_id", "speed"};

Result<UsageEvent> UsageResult(const Bucket& bucket, const Json& r) {
  if (!r.is_object())
    return Status::InvalidArgument("not an object");
  UsageEvent e = NewAggregate(bucket);
  e.event_name = "usage_report.messages";
  GOODHART_ASSIGN_OR_RETURN(e.tokens, ReadTokens(r));
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(r, "model"));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kActors = {
      {{"account_id", "account_id"},
       {"api_key_id", "api_key"},
       {"service_account_id", "service_account"}}};
  for (auto [field, kind] : kActors) {
    GOODHART_ASSIGN_OR_RETURN(std::string actor, ReadString(r, field));
    if (!actor.empty()) {
      e.actor = std::move(actor);
      e.actor_kind = kind;
      break;
    }
  }
  RecordId id;
  bucket.AddTo(id);
  GOODHART_RETURN_IF_ERROR(FillIds(r, kUsageGroupBy, kUsageSource, id, e));
  return e;
}

// --- cost_report ------------------------------------------------------------------------------

constexpr std::array<std::string_view, 9> kCostGroupBy = {
    "cost_type",     "token_type",   "model", "service_tier", "context_window",
    "inference_geo", "workspace_id", "speed", "currency"};

Result<UsageEvent> CostResult(const Bucket& bucket, const Json& r) {
  if (!r.is_object())
    return Status::InvalidArgument("not an object");
  UsageEvent e = NewAggregate(bucket);
  GOODHART_ASSIGN_OR_RETURN(std::string currency, ReadString(r, "currency"));
  GOODHART_RETURN_IF_ERROR(CheckCurrency(currency, "USD"));
  GOODHART_ASSIGN_OR_RETURN(e.reported_cost_micros,
                            ReadMoneyMicros(r, "amount", MoneyUnit::kCents));
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(r, "model"));
  GOODHART_ASSIGN_OR_RETURN(e.event_name, ReadString(r, "cost_type"));
  RecordId id;
  bucket.AddTo(id);
  GOODHART_RETURN_IF_ERROR(FillIds(r, kCostGroupBy, kCostSource, id, e));
  return e;
}

// --- usage_report/claude_code -----------------------------------------------------------------

struct Actor {
  std::string id, kind, type;
};

// Claude Code rows: {type: user_actor, email_address} or {type: api_actor, api_key_name};
// Analytics rows: {type, user_id, email, name}.
Result<Actor> ReadActor(const Json& row) {
  const Json* actor = Member(row, "actor");
  if (actor == nullptr)
    return Actor{};
  if (!actor->is_object())
    return Status::InvalidArgument("actor: not an object");
  Actor a;
  GOODHART_ASSIGN_OR_RETURN(a.type, ReadString(*actor, "type"));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kIds = {
      {{"email_address", "email"},
       {"email", "email"},
       {"api_key_name", "api_key"},
       {"user_id", "user_id"}}};
  for (auto [field, kind] : kIds) {
    GOODHART_ASSIGN_OR_RETURN(std::string value, ReadString(*actor, field));
    if (!value.empty()) {
      a.id = std::move(value);
      a.kind = kind;
      return a;
    }
  }
  return Status::InvalidArgument("actor: no email_address, email, api_key_name or user_id");
}

struct ClaudeCodeDay {
  int64_t day_ms = 0;
  std::string organization, terminal_type, customer_type;
  Actor actor;
};

Result<ClaudeCodeDay> ReadClaudeCodeDay(const Json& row) {
  if (!row.is_object())
    return Status::InvalidArgument("not an object");
  ClaudeCodeDay d;
  GOODHART_ASSIGN_OR_RETURN(int64_t t, ReadTime(row, "date"));
  d.day_ms = DayOfMillis(t) * kMillisPerDay;
  GOODHART_ASSIGN_OR_RETURN(d.actor, ReadActor(row));
  if (d.actor.id.empty())
    return Status::InvalidArgument("actor: missing");
  GOODHART_ASSIGN_OR_RETURN(d.organization, ReadString(row, "organization_id"));
  GOODHART_ASSIGN_OR_RETURN(d.terminal_type, ReadString(row, "terminal_type"));
  GOODHART_ASSIGN_OR_RETURN(d.customer_type, ReadString(row, "customer_type"));
  return d;
}

Result<UsageEvent> ClaudeCodeModel(const ClaudeCodeDay& day, const Json& m) {
  if (!m.is_object())
    return Status::InvalidArgument("not an object");
  UsageEvent e;
  e.kind = UsageKind::kUsageAggregate;
  e.event_name = "usage_report.claude_code";
  e.provider = "anthropic";
  e.tool = "claude-code";
  e.time_unix_ms = day.day_ms;
  e.end_unix_ms = day.day_ms + kMillisPerDay;
  e.request_count = 0;  // the report counts sessions, not requests
  e.actor = day.actor.id;
  e.actor_kind = day.actor.kind;
  e.organization = day.organization;
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(m, "model"));
  const Json* tokens = Member(m, "tokens");
  if (tokens != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(int64_t input, ReadCount(*tokens, "input", "tokens.input"));
    GOODHART_ASSIGN_OR_RETURN(int64_t output, ReadCount(*tokens, "output", "tokens.output"));
    GOODHART_ASSIGN_OR_RETURN(int64_t read, ReadCount(*tokens, "cache_read", "tokens.cache_read"));
    GOODHART_ASSIGN_OR_RETURN(int64_t write,
                              ReadCount(*tokens, "cache_creation", "tokens.cache_creation"));
    e.tokens = TokenCounts::FromAnthropic(input, read, write, output);
  }
  if (const Json* cost = Member(m, "estimated_cost"); cost != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(std::string currency, ReadString(*cost, "currency"));
    GOODHART_RETURN_IF_ERROR(CheckCurrency(currency, "USD").WithPrefix("estimated_cost"));
    GOODHART_ASSIGN_OR_RETURN(
        e.reported_cost_micros,
        ReadMoneyMicros(*cost, "amount", MoneyUnit::kCents, "estimated_cost.amount"));
  }
  RecordId id;
  id.Add(FormatDay(DayOfMillis(day.day_ms)))
      .Add("actor_type", day.actor.type)
      .Add("actor", day.actor.id)
      .Add("organization_id", day.organization)
      .Add("customer_type", day.customer_type)
      .Add("terminal_type", day.terminal_type)
      .Add("model", e.model);
  e.event_key = id.Key(kClaudeCodeSource);
  e.raw_id = id.raw_id();
  return e;
}

// --- Analytics API ----------------------------------------------------------------------------

constexpr std::array<std::string_view, 10> kAnalyticsGroupBy = {
    "product",          "model",     "rbac_group_id", "context_window", "inference_geo", "speed",
    "slack_channel_id", "cost_type", "token_type",    "currency"};

// Organisation reports hold data[].results[] buckets, per-user reports flat data[] rows with
// their own starting_at/ending_at and actor; both go through here.
Result<UsageEvent> AnalyticsRow(bool cost, const Bucket& bucket, const Json& r,
                                std::string_view organization) {
  if (!r.is_object())
    return Status::InvalidArgument("not an object");
  UsageEvent e = NewAggregate(bucket);
  e.organization = organization;
  GOODHART_ASSIGN_OR_RETURN(Actor actor, ReadActor(r));
  e.actor = actor.id;
  e.actor_kind = actor.kind;
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(r, "model"));
  GOODHART_ASSIGN_OR_RETURN(std::string product, ReadString(r, "product"));
  e.tool = product;
  std::replace(e.tool.begin(), e.tool.end(), '_', '-');  // claude_code -> claude-code
  if (cost) {
    GOODHART_ASSIGN_OR_RETURN(std::string currency, ReadString(r, "currency"));
    GOODHART_RETURN_IF_ERROR(CheckCurrency(currency, "USD"));
    GOODHART_ASSIGN_OR_RETURN(e.reported_cost_micros,
                              ReadMoneyMicros(r, "amount", MoneyUnit::kCents));
    GOODHART_ASSIGN_OR_RETURN(e.event_name, ReadString(r, "cost_type"));
  } else {
    e.event_name = "analytics.usage_report";
    GOODHART_ASSIGN_OR_RETURN(e.tokens, ReadTokens(r));
    GOODHART_ASSIGN_OR_RETURN(e.request_count, ReadCount(r, "requests"));
  }
  RecordId id;
  bucket.AddTo(id);
  id.Add("report", cost ? "cost" : "usage").Add("actor", actor.id);
  GOODHART_RETURN_IF_ERROR(FillIds(r, kAnalyticsGroupBy, kAnalyticsSource, id, e));
  return e;
}

Status DecodeAnalytics(bool cost, std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kAnalyticsSource, out);
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseDataDocument(kAnalyticsSource, content));
  GOODHART_ASSIGN_OR_RETURN(std::string organization, ReadString(doc, "organization_id"));
  const Json& data = doc["data"];
  for (size_t i = 0; i < data.size(); ++i) {
    const Json& row = data[i];
    std::string where = fmt::format("data[{}]", i);
    if (const Json* results = Member(row, "results"); results != nullptr) {
      if (!results->is_array() || results->empty()) {
        if (!results->is_array())
          sink.Reject(where, Status::InvalidArgument("results: not an array"));
        continue;
      }
      auto bucket = ReadBucket(row);
      if (!bucket.ok()) {
        sink.Reject(where, bucket.status(), static_cast<int64_t>(results->size()));
        continue;
      }
      for (size_t j = 0; j < results->size(); ++j) {
        sink.Add(fmt::format("{}.results[{}]", where, j),
                 AnalyticsRow(cost, *bucket, (*results)[j], organization));
      }
      continue;
    }
    auto bucket = ReadBucket(row);
    if (!bucket.ok()) {
      sink.Reject(where, bucket.status());
      continue;
    }
    sink.Add(where, AnalyticsRow(cost, *bucket, row, organization));
  }
  return Status::Ok();
}

}  // namespace

Status DecodeAnthropicUsageReport(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kUsageSource, out);
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseDataDocument(kUsageSource, content));
  ForEachBucketResult(doc["data"], sink,
                      [&](const std::string& where, const Bucket& b, const Json& r) {
                        sink.Add(where, UsageResult(b, r));
                      });
  return Status::Ok();
}

Status DecodeAnthropicCostReport(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kCostSource, out);
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseDataDocument(kCostSource, content));
  ForEachBucketResult(doc["data"], sink,
                      [&](const std::string& where, const Bucket& b, const Json& r) {
                        sink.Add(where, CostResult(b, r));
                      });
  return Status::Ok();
}

Status DecodeClaudeCodeUsageReport(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kClaudeCodeSource, out);
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseDataDocument(kClaudeCodeSource, content));
  const Json& data = doc["data"];
  for (size_t i = 0; i < data.size(); ++i) {
    std::string where = fmt::format("data[{}]", i);
    const Json* models = Member(data[i], "model_breakdown");
    if (models != nullptr && !models->is_array()) {
      sink.Reject(where, Status::InvalidArgument("model_breakdown: not an array"));
      continue;
    }
    size_t n = models == nullptr ? 0 : models->size();
    auto day = ReadClaudeCodeDay(data[i]);
    if (!day.ok()) {
      sink.Reject(where, day.status(), std::max<int64_t>(1, static_cast<int64_t>(n)));
      continue;
    }
    if (n == 0) {
      sink.Ignore();  // an actor-day with sessions but no model usage
      continue;
    }
    for (size_t k = 0; k < n; ++k) {
      sink.Add(fmt::format("{}.model_breakdown[{}]", where, k),
               ClaudeCodeModel(*day, (*models)[k]));
    }
  }
  return Status::Ok();
}

Status DecodeAnthropicAnalyticsUsage(std::string_view content, FileDecodeResult* out) {
  return DecodeAnalytics(/*cost=*/false, content, out);
}

Status DecodeAnthropicAnalyticsCost(std::string_view content, FileDecodeResult* out) {
  return DecodeAnalytics(/*cost=*/true, content, out);
}

}  // namespace goodhart::receivers::file::internal
