#include "goodhart/receivers/file/provider_usage.h"

#include <fmt/format.h>

#include <functional>
#include <string>

#include "goodhart/receivers/file/internal/json_fields.h"

namespace goodhart::receivers::file {
namespace {

using internal::Json;
using internal::Member;
using internal::ReadCount;
using internal::ReadString;
using model::TokenCounts;

Result<Json> ParseObject(std::string_view component, std::string_view text) {
  GOODHART_ASSIGN_OR_RETURN(Json j, internal::ParseJson(component, internal::StripBom(text)));
  if (!j.is_object())
    return Status::InvalidArgument(fmt::format("{}: not a JSON object", component));
  return j;
}

// "type (message)" of an error object, without the message text beyond a short excerpt.
std::string ErrorSummary(const Json& error) {
  auto type = ReadString(error, "type");
  auto message = ReadString(error, "message");
  std::string text = message.ok() ? message->substr(0, 80) : "";
  return fmt::format("{} ({})", type.ok() && !type->empty() ? *type : "error", text);
}

Status WithComponent(std::string_view component, const Status& s) {
  return s.WithPrefix(component);
}

Result<TokenCounts> AnthropicFromUsage(const Json& u) {
  GOODHART_ASSIGN_OR_RETURN(int64_t input, ReadCount(u, "input_tokens"));
  GOODHART_ASSIGN_OR_RETURN(int64_t read, ReadCount(u, "cache_read_input_tokens"));
  GOODHART_ASSIGN_OR_RETURN(int64_t output, ReadCount(u, "output_tokens"));
  int64_t write = 0;
  if (Member(u, "cache_creation_input_tokens") != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(write, ReadCount(u, "cache_creation_input_tokens"));
  } else if (const Json* cc = Member(u, "cache_creation"); cc != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(int64_t m5, ReadCount(*cc, "ephemeral_5m_input_tokens",
                                                    "cache_creation.ephemeral_5m_input_tokens"));
    GOODHART_ASSIGN_OR_RETURN(int64_t h1, ReadCount(*cc, "ephemeral_1h_input_tokens",
                                                    "cache_creation.ephemeral_1h_input_tokens"));
    write = m5 + h1;
  }
  return TokenCounts::FromAnthropic(input, read, write, output);
}

// Both OpenAI shapes; Chat Completions names first.
Result<TokenCounts> OpenAiFromUsage(const Json& u) {
  bool chat = Member(u, "prompt_tokens") != nullptr || Member(u, "completion_tokens") != nullptr;
  std::string_view in = chat ? "prompt_tokens" : "input_tokens";
  std::string_view out = chat ? "completion_tokens" : "output_tokens";
  std::string in_details = fmt::format("{}_details", in);
  std::string out_details = fmt::format("{}_details", out);
  GOODHART_ASSIGN_OR_RETURN(int64_t input, ReadCount(u, in));
  GOODHART_ASSIGN_OR_RETURN(int64_t output, ReadCount(u, out));
  int64_t cached = 0, reasoning = 0;
  if (const Json* d = Member(u, in_details); d != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(cached,
                              ReadCount(*d, "cached_tokens", in_details + ".cached_tokens"));
  }
  if (const Json* d = Member(u, out_details); d != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(reasoning,
                              ReadCount(*d, "reasoning_tokens", out_details + ".reasoning_tokens"));
  }
  return TokenCounts::FromInclusiveInput(input, cached, 0, output, reasoning);
}

bool LooksLikeAnthropicUsage(const Json& j) {
  return Member(j, "input_tokens") != nullptr || Member(j, "output_tokens") != nullptr;
}

bool LooksLikeOpenAiUsage(const Json& j) {
  return Member(j, "prompt_tokens") != nullptr || Member(j, "completion_tokens") != nullptr ||
         Member(j, "input_tokens") != nullptr || Member(j, "output_tokens") != nullptr;
}

// Calls fn(event, data) for each event of a server-sent-event stream: `event:` names it, `data:`
// lines (joined by newlines) carry the payload, a blank line ends it. fn returns false to stop.
void ForEachSseEvent(std::string_view text,
                     const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::string event, data;
  bool has_data = false;
  auto dispatch = [&] {
    bool go_on = true;
    if (has_data)
      go_on = fn(event, data);
    event.clear();
    data.clear();
    has_data = false;
    return go_on;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.empty()) {
      if (!dispatch())
        return;
      continue;
    }
    if (line.front() == ':')
      continue;  // comment
    size_t colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    if (field == "event") {
      event = value;
    } else if (field == "data") {
      if (has_data)
        data += '\n';
      data += value;
      has_data = true;
    }
  }
  dispatch();
}

}  // namespace

Result<TokenCounts> NormalizeAnthropicUsage(std::string_view usage_json) {
  constexpr std::string_view kComponent = "anthropic_usage";
  GOODHART_ASSIGN_OR_RETURN(Json j, ParseObject(kComponent, usage_json));
  auto type = ReadString(j, "type");
  if ((type.ok() && *type == "error") || Member(j, "error") != nullptr) {
    const Json* error = Member(j, "error");
    return Status::InvalidArgument(fmt::format("{}: the response is an API error: {}", kComponent,
                                               ErrorSummary(error ? *error : j)));
  }
  const Json* usage = Member(j, "usage");
  if (usage == nullptr) {
    if (!LooksLikeAnthropicUsage(j))
      return Status::InvalidArgument(fmt::format("{}: no usage", kComponent));
    usage = &j;
  }
  auto tokens = AnthropicFromUsage(*usage);
  if (!tokens.ok())
    return WithComponent(kComponent, tokens.status());
  return tokens;
}

Result<TokenCounts> NormalizeOpenAiUsage(std::string_view usage_json) {
  constexpr std::string_view kComponent = "openai_usage";
  GOODHART_ASSIGN_OR_RETURN(Json j, ParseObject(kComponent, usage_json));
  if (const Json* error = Member(j, "error"); error != nullptr) {
    return Status::InvalidArgument(
        fmt::format("{}: the response is an API error: {}", kComponent, ErrorSummary(*error)));
  }
  const Json* usage = Member(j, "usage");
  if (usage == nullptr) {
    if (!LooksLikeOpenAiUsage(j))
      return Status::InvalidArgument(fmt::format("{}: no usage", kComponent));
    usage = &j;
  }
  auto tokens = OpenAiFromUsage(*usage);
  if (!tokens.ok())
    return WithComponent(kComponent, tokens.status());
  return tokens;
}

Result<TokenCounts> UsageFromAnthropicStream(std::string_view sse_text) {
  constexpr std::string_view kComponent = "anthropic_stream";
  Json merged;  // message_start's usage, overlaid by each message_delta's fields
  bool started = false;
  Status failure;
  int index = 0;
  ForEachSseEvent(sse_text, [&](std::string_view event, std::string_view data) {
    std::string where = fmt::format("event {}", index++);
    Json j = Json::parse(data.begin(), data.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      failure = Status::InvalidArgument(
          fmt::format("{}: {}: data is not a JSON object", kComponent, where));
      return false;
    }
    auto type = ReadString(j, "type");
    std::string_view kind = type.ok() && !type->empty() ? std::string_view(*type) : event;
    if (kind == "error") {
      const Json* error = Member(j, "error");
      failure =
          Status::InvalidArgument(fmt::format("{}: {}: the stream reports an error: {}", kComponent,
                                              where, ErrorSummary(error ? *error : j)));
      return false;
    }
    const Json* usage = nullptr;
    if (kind == "message_start") {
      started = true;
      if (const Json* message = Member(j, "message"); message != nullptr)
        usage = Member(*message, "usage");
    } else if (kind == "message_delta") {
      usage = Member(j, "usage");
    }
    if (usage != nullptr && usage->is_object()) {
      if (!merged.is_object())
        merged = Json::object();
      for (const auto& [key, value] : usage->items()) {
        if (!value.is_null())
          merged[key] = value;
      }
    }
    return true;
  });
  if (!failure.ok())
    return failure;
  if (!started || !merged.is_object())
    return Status::NotFound(fmt::format("{}: no message_start with usage", kComponent));
  auto tokens = AnthropicFromUsage(merged);
  if (!tokens.ok())
    return WithComponent(kComponent, tokens.status());
  return tokens;
}

Result<TokenCounts> UsageFromOpenAiStream(std::string_view sse_text) {
  constexpr std::string_view kComponent = "openai_stream";
  Json last_usage;
  Status failure;
  int index = 0;
  ForEachSseEvent(sse_text, [&](std::string_view event, std::string_view data) {
    std::string where = fmt::format("event {}", index++);
    if (data == "[DONE]")
      return false;
    Json j = Json::parse(data.begin(), data.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      failure = Status::InvalidArgument(
          fmt::format("{}: {}: data is not a JSON object", kComponent, where));
      return false;
    }
    auto type = ReadString(j, "type");
    const Json* error = Member(j, "error");
    if (event == "error" || (type.ok() && (*type == "error" || *type == "response.failed")) ||
        error != nullptr) {
      const Json* response = Member(j, "response");
      const Json* response_error = response ? Member(*response, "error") : nullptr;
      const Json* detail = error ? error : (response_error ? response_error : &j);
      failure = Status::InvalidArgument(fmt::format("{}: {}: the stream reports an error: {}",
                                                    kComponent, where, ErrorSummary(*detail)));
      return false;
    }
    if (const Json* usage = Member(j, "usage"); usage != nullptr && usage->is_object()) {
      last_usage = *usage;  // Chat Completions: the final chunk
    } else if (const Json* response = Member(j, "response"); response != nullptr) {
      if (const Json* u = Member(*response, "usage"); u != nullptr && u->is_object())
        last_usage = *u;  // Responses: response.completed / response.incomplete
    }
    return true;
  });
  if (!failure.ok())
    return failure;
  if (!last_usage.is_object()) {
    return Status::NotFound(
        fmt::format("{}: no usage in the stream (Chat Completions sends it only with "
                    "stream_options.include_usage)",
                    kComponent));
  }
  auto tokens = OpenAiFromUsage(last_usage);
  if (!tokens.ok())
    return WithComponent(kComponent, tokens.status());
  return tokens;
}

}  // namespace goodhart::receivers::file
