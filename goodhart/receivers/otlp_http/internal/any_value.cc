#include "goodhart/receivers/otlp_http/internal/any_value.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "goodhart/base/float_fits.h"

namespace goodhart::receivers::otlp::internal {
namespace {

constexpr std::array<std::string_view, kNumAttrIds> kAttrNames = {
    "service.name",
    "service.version",
    "app.version",
    "session.id",
    "user.email",
    "user.account_uuid",
    "user.account_id",
    "user.id",
    "enduser.id",
    "organization.id",
    "event.name",
    "event.timestamp",
    "event.sequence",
    "prompt.id",
    "model",
    "agent.name",
    "query_source",
    "duration_ms",
    "request_id",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "cost_usd",
    "cost_usd_micros",
    "prompt_length",
    "prompt",
    "tool_parameters",
    "type",
    "tool_name",
    "success",
    "error_type",
    "tool_input_size_bytes",
    "tool_result_size_bytes",
    "arguments",
    "output",
    "gen_ai.tool.name",
    "gen_ai.tool.call.arguments",
    "gen_ai.tool.call.result",
    "conversation.id",
    "input_token_count",
    "output_token_count",
    "cached_token_count",
    "reasoning_token_count",
    "gen_ai.operation.name",
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.response.id",
    "gen_ai.conversation.id",
    "gen_ai.agent.name",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.prompt_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.prompt",
    "llm.token_count.completion",
    "gen_ai.token.type",
    "gen_ai.prompt",
    "content",
};

// Keys bucketed by length: a lookup compares against the few keys of the same length only.
constexpr size_t kMaxKeyLength = 48;
constexpr size_t kMaxPerLength = 8;
struct LengthBuckets {
  std::array<std::array<AttrId, kMaxPerLength>, kMaxKeyLength + 1> ids{};
  std::array<uint8_t, kMaxKeyLength + 1> counts{};
};

constexpr LengthBuckets BuildBuckets() {
  LengthBuckets b;
  for (size_t i = 0; i < kNumAttrIds; ++i) {
    const size_t len = kAttrNames[i].size();
    b.ids[len][b.counts[len]++] = static_cast<AttrId>(i);
  }
  return b;
}
constexpr LengthBuckets kBuckets = BuildBuckets();

constexpr bool BucketsFit() {
  for (auto name : kAttrNames) {
    if (name.size() > kMaxKeyLength)
      return false;
  }
  for (auto count : kBuckets.counts) {
    if (count > kMaxPerLength)
      return false;
  }
  return true;
}
static_assert(BucketsFit(), "raise kMaxKeyLength or kMaxPerLength");

}  // namespace

std::optional<int64_t> ParseDecimalInt64(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+')
    ++first;  // from_chars rejects a leading '+', proto3 JSON allows it
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last)
    return std::nullopt;
  return value;
}

std::optional<int64_t> AsInt64(const AnyValue& value) {
  switch (value.type) {
    case ValueType::kInt:
      return value.int_value;
    case ValueType::kString:
      return ParseDecimalInt64(value.text);
    case ValueType::kDouble: {
      const double d = value.double_value;
      if (std::trunc(d) == d && TruncatesIntoInt64(d)) {
        return static_cast<int64_t>(d);
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> AsDouble(const AnyValue& value) {
  switch (value.type) {
    case ValueType::kDouble:
      return value.double_value;
    case ValueType::kInt:
      return static_cast<double>(value.int_value);
    case ValueType::kString: {
      double d = 0;
      const char* last = value.text.data() + value.text.size();
      auto [ptr, ec] = std::from_chars(value.text.data(), last, d);
      if (value.text.empty() || ec != std::errc() || ptr != last)
        return std::nullopt;
      return d;
    }
    default:
      return std::nullopt;
  }
}

AttrId LookupAttrId(std::string_view key) {
  const size_t len = key.size();
  if (len > kMaxKeyLength)
    return AttrId::kUnknown;
  const auto& ids = kBuckets.ids[len];
  for (size_t i = 0; i < kBuckets.counts[len]; ++i) {
    const std::string_view name = kAttrNames[static_cast<size_t>(ids[i])];
    if (name[0] == key[0] && std::memcmp(name.data(), key.data(), len) == 0)
      return ids[i];
  }
  return AttrId::kUnknown;
}

std::string_view AttrName(AttrId id) {
  const auto i = static_cast<size_t>(id);
  return i < kNumAttrIds ? kAttrNames[i] : std::string_view("?");
}

void AppendCanonical(const AnyValue& value, std::string* out) {
  switch (value.type) {
    case ValueType::kEmpty:
      out->push_back('e');
      return;
    case ValueType::kString:
      out->push_back('s');
      out->append(value.text);
      return;
    case ValueType::kBool:
      out->append(value.bool_value ? "b1" : "b0");
      return;
    case ValueType::kInt:
      fmt::format_to(std::back_inserter(*out), "i{}", value.int_value);
      return;
    case ValueType::kDouble:
      fmt::format_to(std::back_inserter(*out), "d{}", value.double_value);
      return;
    case ValueType::kBytes:
      out->push_back('y');
      out->append(value.text);
      return;
    case ValueType::kArray:
      out->push_back('a');
      out->append(value.text);
      return;
    case ValueType::kKvlist:
      out->push_back('k');
      out->append(value.text);
      return;
    case ValueType::kInvalid:
      out->push_back('x');
      return;
  }
}

}  // namespace goodhart::receivers::otlp::internal
