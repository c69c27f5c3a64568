// Decoded OTLP attribute values and the attribute keys goodhart reads, without simdjson types, so
// the mapping code (claude_code, codex, genai, metrics) stays independent of the JSON parser.
//
// Every string_view points into the decoder's thread-local copy of the body or its parser's string
// buffer: it lives until the Decode* call that produced it returns, and nothing here may outlive
// that call.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace goodhart::receivers::otlp::internal {

enum class ValueType : uint8_t {
  kEmpty,  // no value key at all (an empty AnyValue is legal OTLP)
  kString,
  kBool,
  kInt,
  kDouble,
  kBytes,    // text holds the base64 as sent
  kArray,    // text holds the raw JSON of arrayValue
  kKvlist,   // text holds the raw JSON of kvlistValue
  kInvalid,  // the value was present but malformed; text says how ("intValue is not an int64")
};

// One OTLP AnyValue. intValue arrives as a decimal string or a bare JSON number and is parsed as
// int64 without going through a double.
struct AnyValue {
  ValueType type = ValueType::kEmpty;
  bool bool_value = false;
  int64_t int_value = 0;
  double double_value = 0;
  std::string_view text;
};

// The value as an int64: kInt; kString holding a decimal integer ("30", as Claude Code sends
// prompt_length); kDouble holding an integral value. nullopt for anything else.
std::optional<int64_t> AsInt64(const AnyValue& value);
// The value as a double: kDouble, kInt, or kString holding a decimal number.
std::optional<double> AsDouble(const AnyValue& value);
// The text of a kString value; "" for every other type.
inline std::string_view AsString(const AnyValue& value) {
  return value.type == ValueType::kString ? value.text : std::string_view();
}

// Parses an optionally signed decimal integer that fills the whole text; nullopt on overflow.
std::optional<int64_t> ParseDecimalInt64(std::string_view text);

// Every attribute key the mappers read. Keys not listed here are skipped without decoding their
// values, which keeps the hot path free of work for the many attributes goodhart ignores.
enum class AttrId : uint8_t {
  // Resource and identity.
  kServiceName,
  kServiceVersion,
  kAppVersion,
  kSessionId,
  kUserEmail,
  kUserAccountUuid,
  kUserAccountId,
  kUserId,
  kEnduserId,
  kOrganizationId,
  // Claude Code events and metrics.
  kEventName,
  kEventTimestamp,
  kEventSequence,
  kPromptId,
  kModel,
  kAgentName,
  kQuerySource,
  kDurationMs,
  kRequestId,
  kInputTokens,
  kOutputTokens,
  kCacheReadTokens,
  kCacheCreationTokens,
  kCostUsd,
  kCostUsdMicros,
  kPromptLength,
  kPrompt,
  kToolParameters,
  kType,
  // Tool steps (Claude Code tool_result, codex.tool_result, GenAI execute_tool).
  kToolName,
  kSuccess,
  kErrorType,
  kToolInputSizeBytes,
  kToolResultSizeBytes,
  kArguments,
  kOutput,
  kGenAiToolName,
  kGenAiToolCallArguments,
  kGenAiToolCallResult,
  // Codex.
  kConversationId,
  kInputTokenCount,
  kOutputTokenCount,
  kCachedTokenCount,
  kReasoningTokenCount,
  // GenAI semantic conventions, current and legacy names.
  kGenAiOperationName,
  kGenAiProviderName,
  kGenAiSystem,
  kGenAiRequestModel,
  kGenAiResponseModel,
  kGenAiResponseId,
  kGenAiConversationId,
  kGenAiAgentName,
  kGenAiUsageInputTokens,
  kGenAiUsageOutputTokens,
  kGenAiUsageCacheReadInputTokens,
  kGenAiUsageCacheCreationInputTokens,
  kGenAiUsageReasoningOutputTokens,
  kGenAiUsagePromptTokens,
  kGenAiUsageCompletionTokens,
  kLlmTokenCountPrompt,
  kLlmTokenCountCompletion,
  kGenAiTokenType,
  kGenAiPrompt,
  kContent,
  kCount,   // number of known ids; not a key
  kUnknown  // any other key
};
inline constexpr size_t kNumAttrIds = static_cast<size_t>(AttrId::kCount);
static_assert(kNumAttrIds <= 64, "AttrSet keeps presence in one 64-bit mask");

// The id of a known key, or AttrId::kUnknown. Exact, case-sensitive match.
AttrId LookupAttrId(std::string_view key);
// The key of a known id ("input_tokens").
std::string_view AttrName(AttrId id);

// The known attributes of one record, layered over a parent set (the resource's): record
// attributes win, and a key the record lacks is looked up in the parent. A repeated key keeps its
// last value. Not thread-safe; cheap to Clear() and reuse for every record.
class AttrSet {
 public:
  void Clear() { present_ = 0; }
  void set_parent(const AttrSet* parent) { parent_ = parent; }

  void Set(AttrId id, const AnyValue& value) {
    const auto i = static_cast<size_t>(id);
    values_[i] = value;
    present_ |= uint64_t{1} << i;
  }
  // This set's own value, or null.
  const AnyValue* FindOwn(AttrId id) const {
    const auto i = static_cast<size_t>(id);
    return (present_ >> i) & 1 ? &values_[i] : nullptr;
  }
  // This set's value, else the parent's, else null.
  const AnyValue* Find(AttrId id) const {
    if (const AnyValue* own = FindOwn(id))
      return own;
    return parent_ != nullptr ? parent_->Find(id) : nullptr;
  }
  bool Has(AttrId id) const { return Find(id) != nullptr; }
  // The string value of `id` (own or inherited), "" if absent or not a string.
  std::string_view String(AttrId id) const {
    const AnyValue* v = Find(id);
    return v != nullptr ? AsString(*v) : std::string_view();
  }

 private:
  std::array<AnyValue, kNumAttrIds> values_;
  uint64_t present_ = 0;
  const AttrSet* parent_ = nullptr;
};

// One attribute with its key, for code that needs every attribute (metric series keys).
struct Attribute {
  std::string_view key;
  AnyValue value;
};

// Appends a canonical, type-tagged text of `value` to `out` (ints in decimal whatever their JSON
// encoding, doubles in shortest round-trip form), so equal values hash equally.
void AppendCanonical(const AnyValue& value, std::string* out);

}  // namespace goodhart::receivers::otlp::internal
