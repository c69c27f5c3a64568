// OpenAI organization usage pages (/v1/organization/usage/*) and costs pages
// (/v1/organization/costs); formats.md §5. Buckets carry unix-second bounds.
#include <fmt/format.h>

#include <array>
#include <optional>

#include "goodhart/receivers/file/internal/decoders.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file::internal {
namespace {

using model::MoneyUnit;
using model::TokenCounts;
using model::UsageEvent;
using model::UsageKind;

constexpr std::string_view kUsageSource = "openai_usage";
constexpr std::string_view kCostsSource = "openai_costs";

struct Bucket {
  int64_t start_s = 0, end_s = 0;
};

Result<Bucket> ReadBucket(const Json& bucket) {
  Bucket b;
  GOODHART_ASSIGN_OR_RETURN(b.start_s, ReadCount(bucket, "start_time"));
  GOODHART_ASSIGN_OR_RETURN(b.end_s, ReadCount(bucket, "end_time"));
  if (b.start_s == 0)
    return Status::InvalidArgument("start_time is missing");
  // Seconds past the year 9999 are garbage, and the cap keeps * 1000 in range.
  if (b.start_s > 253'402'300'799 || b.end_s > 253'402'300'799)
    return Status::InvalidArgument("start_time or end_time is past the year 9999");
  return b;
}

// Calls fn(where, bucket, result) for each data[i].results[j] of a page.
template <typename Fn>
Status ForEachResult(std::string_view component, std::string_view content, RecordSink& sink,
                     Fn fn) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseJson(component, StripBom(content)));
  const Json* data = Member(doc, "data");
  if (data == nullptr || !data->is_array())
    return Status::InvalidArgument(fmt::format("{}: data: missing or not an array", component));
  for (size_t i = 0; i < data->size(); ++i) {
    const Json& bucket_json = (*data)[i];
    std::string where = fmt::format("data[{}]", i);
    const Json* results = Member(bucket_json, "results");
    if (results == nullptr)
      results = Member(bucket_json, "result");  // the spec's older singular name
    if (results == nullptr || (results->is_array() && results->empty()))
      continue;
    if (!results->is_array()) {
      sink.Reject(where, Status::InvalidArgument("results: not an array"));
      continue;
    }
    auto bucket = ReadBucket(bucket_json);
    if (!bucket.ok()) {
      sink.Reject(where, bucket.status(), static_cast<int64_t>(results->size()));
      continue;
    }
    for (size_t j = 0; j < results->size(); ++j)
      fn(fmt::format("{}.results[{}]", where, j), *bucket, (*results)[j]);
  }
  return Status::Ok();
}

UsageEvent NewAggregate(const Bucket& bucket) {
  UsageEvent e;
  e.kind = UsageKind::kUsageAggregate;
  e.provider = "openai";
  e.time_unix_ms = bucket.start_s * 1000;
  e.end_unix_ms = bucket.end_s * 1000;
  return e;
}

// "organization.usage.completions.result" -> "completions"; "" when the object is not a usage
// result.
std::string_view UsageType(std::string_view object) {
  constexpr std::string_view kPrefix = "organization.usage.", kSuffix = ".result";
  if (object.size() <= kPrefix.size() + kSuffix.size() || !object.starts_with(kPrefix) ||
      !object.ends_with(kSuffix)) {
    return {};
  }
  return object.substr(kPrefix.size(), object.size() - kPrefix.size() - kSuffix.size());
}

constexpr std::array<std::string_view, 6> kUsageGroupBy = {"project_id", "user_id", "api_key_id",
                                                           "model",      "batch",   "service_tier"};

// nullopt: a result type that carries neither tokens nor requests (vector stores, code
// interpreter sessions, or a type this code does not know yet).
Result<std::optional<UsageEvent>> UsageResult(const Bucket& bucket, const Json& r) {
  if (!r.is_object())
    return Status::InvalidArgument("not an object");
  GOODHART_ASSIGN_OR_RETURN(std::string object, ReadString(r, "object"));
  std::string_view type = object.empty() ? "completions" : UsageType(object);
  UsageEvent e = NewAggregate(bucket);
  e.event_name = fmt::format("usage.{}", type);
  GOODHART_ASSIGN_OR_RETURN(e.request_count, ReadCount(r, "num_model_requests"));
  if (type == "completions") {
    GOODHART_ASSIGN_OR_RETURN(int64_t input, ReadCount(r, "input_tokens"));
    GOODHART_ASSIGN_OR_RETURN(int64_t cached, ReadCount(r, "input_cached_tokens"));
    GOODHART_ASSIGN_OR_RETURN(int64_t output, ReadCount(r, "output_tokens"));
    GOODHART_ASSIGN_OR_RETURN(e.tokens,
                              TokenCounts::FromInclusiveInput(input, cached, 0, output, 0));
  } else if (type == "embeddings" || type == "moderations") {
    GOODHART_ASSIGN_OR_RETURN(e.tokens.input_uncached, ReadCount(r, "input_tokens"));
  } else if (type != "images" && type != "audio_speeches" && type != "audio_transcriptions") {
    return std::optional<UsageEvent>();
  }
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(r, "model"));
  GOODHART_ASSIGN_OR_RETURN(std::string user, ReadString(r, "user_id"));
  GOODHART_ASSIGN_OR_RETURN(std::string api_key, ReadString(r, "api_key_id"));
  if (!user.empty()) {
    e.actor = user;
    e.actor_kind = "user_id";
  } else if (!api_key.empty()) {
    e.actor = api_key;
    e.actor_kind = "api_key";
  }
  RecordId id;
  id.Add(fmt::format("{}", bucket.start_s))
      .Add("end_time", fmt::format("{}", bucket.end_s))
      .Add("type", type);
  for (std::string_view name : kUsageGroupBy) {
    GOODHART_ASSIGN_OR_RETURN(std::string value, ReadString(r, name));
    id.Add(name, value);
  }
  e.event_key = id.Key(kUsageSource);
  e.raw_id = id.raw_id();
  return std::optional<UsageEvent>(std::move(e));
}

Result<UsageEvent> CostResult(const Bucket& bucket, const Json& r) {
  if (!r.is_object())
    return Status::InvalidArgument("not an object");
  const Json* amount = Member(r, "amount");
  if (amount == nullptr || !amount->is_object())
    return Status::InvalidArgument("amount: missing or not an object");
  UsageEvent e = NewAggregate(bucket);
  e.request_count = 0;
  GOODHART_ASSIGN_OR_RETURN(std::string currency, ReadString(*amount, "currency"));
  GOODHART_RETURN_IF_ERROR(CheckCurrency(currency, "usd").WithPrefix("amount"));
  GOODHART_ASSIGN_OR_RETURN(e.reported_cost_micros,
                            ReadMoneyMicros(*amount, "value", MoneyUnit::kUsd, "amount.value"));
  GOODHART_ASSIGN_OR_RETURN(std::string line_item, ReadString(r, "line_item"));
  GOODHART_ASSIGN_OR_RETURN(std::string project, ReadString(r, "project_id"));
  e.event_name = line_item.empty() ? "costs" : line_item;
  RecordId id;
  id.Add(fmt::format("{}", bucket.start_s))
      .Add("end_time", fmt::format("{}", bucket.end_s))
      .Add("line_item", line_item)
      .Add("project_id", project);
  e.event_key = id.Key(kCostsSource);
  e.raw_id = id.raw_id();
  return e;
}

}  // namespace

Status DecodeOpenAiUsage(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kUsageSource, out);
  return ForEachResult(kUsageSource, content, sink,
                       [&](const std::string& where, const Bucket& b, const Json& r) {
                         auto e = UsageResult(b, r);
                         if (!e.ok()) {
                           sink.Reject(where, e.status());
                         } else if (!e->has_value()) {
                           sink.Ignore();
                         } else {
                           sink.Add(where, std::move(**e));
                         }
                       });
}

Status DecodeOpenAiCosts(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kCostsSource, out);
  return ForEachResult(kCostsSource, content, sink,
                       [&](const std::string& where, const Bucket& b, const Json& r) {
                         sink.Add(where, CostResult(b, r));
                       });
}

}  // namespace goodhart::receivers::file::internal
