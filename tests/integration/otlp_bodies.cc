#include "tests/integration/otlp_bodies.h"

#include <fmt/format.h>

namespace goodhart::testing {
namespace {

std::string Str(const char* key, const std::string& value) {
  return fmt::format(R"({{"key":"{}","value":{{"stringValue":"{}"}}}})", key, value);
}
std::string Int(const char* key, int64_t value) {
  return fmt::format(R"({{"key":"{}","value":{{"intValue":{}}}}})", key, value);
}

constexpr const char* kResource =
    R"({"resource":{"attributes":[{"key":"host.arch","value":{"stringValue":"amd64"}},)"
    R"({"key":"os.type","value":{"stringValue":"linux"}},)"
    R"({"key":"service.name","value":{"stringValue":"claude-code"}},)"
    R"({"key":"service.version","value":{"stringValue":"2.1.294"}}],"droppedAttributesCount":0},)"
    R"("scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.294"},"logRecords":[)";

}  // namespace

std::string ClaudeCodeApiRequestLogs(const ClaudeCodeBodyOptions& o) {
  std::string body = R"({"resourceLogs":[)";
  body += kResource;
  for (int64_t i = 0; i < o.count; ++i) {
    int64_t n = o.first_request + i;
    int64_t t_ms = o.start_unix_ms + n * 37;
    std::string user = fmt::format("user{}@example.com", n % o.users);
    std::string session = fmt::format("sess-{:08x}-{}", n / 50, n % o.users);
    if (i > 0)
      body += ',';
    body += fmt::format(
        R"({{"timeUnixNano":"{}000000","observedTimeUnixNano":"{}000000","body":{{"stringValue":"claude_code.api_request"}},"attributes":[)",
        t_ms, t_ms);
    body += Str("user.id", fmt::format("{:064x}", n % o.users)) + ",";
    body += Str("session.id", session) + ",";
    body += Str("organization.id", "6f1d0c1e-0000-4000-8000-000000000001") + ",";
    body += Str("user.email", user) + ",";
    body +=
        Str("user.account_uuid", fmt::format("00000000-0000-4000-8000-{:012x}", n % o.users)) + ",";
    body += Str("terminal.type", "xterm-256color") + ",";
    body += Str("event.name", "api_request") + ",";
    body += Str("event.timestamp", "2026-10-08T08:15:18.137Z") + ",";
    body += Int("event.sequence", n) + ",";
    body += Str("prompt.id", fmt::format("prompt-{}", n / 5)) + ",";
    body += Str("model", fmt::format("claude-sonnet-4-5-{}", n % o.models)) + ",";
    body += Int("input_tokens", 2 + n % 17) + ",";
    body += Int("output_tokens", 4 + n % 301) + ",";
    body += Int("cache_read_tokens", 9179 + n % 1000) + ",";
    body += Int("cache_creation_tokens", 13356 % (1 + n % 7)) + ",";
    body +=
        fmt::format(R"({{"key":"cost_usd","value":{{"doubleValue":{}}}}},)", 0.0027651900000000003);
    body += Int("cost_usd_micros", 2765) + ",";
    body += Int("duration_ms", 742) + ",";
    body += Int("ttft_ms", 729) + ",";
    body += Str("request_id", fmt::format("req_{:024}", n)) + ",";
    body += Str("client_request_id", fmt::format("6c711657-a9c5-4866-a954-{:012x}", n)) + ",";
    body += Str("speed", "normal") + ",";
    body += Str("query_source", "main") + ",";
    body += Str("effort", "medium");
    body += R"(],"droppedAttributesCount":0})";
  }
  body += "]}]}]}";
  return body;
}

std::string ClaudeCodeApiRequestJsonEachRow(const ClaudeCodeBodyOptions& o) {
  std::string out;
  for (int64_t i = 0; i < o.count; ++i) {
    int64_t n = o.first_request + i;
    int64_t t_ms = o.start_unix_ms + n * 37;
    out += fmt::format(
        R"({{"event_key":"req:req_{:024}","time_unix_ms":{},"actor":"user{}@example.com","session_id":"sess-{:08x}-{}","model":"claude-sonnet-4-5-{}","input_tokens":{},"output_tokens":{},"cache_read_tokens":{},"cache_creation_tokens":{},"cost_usd_micros":2765,"duration_ms":742,"request_id":"req_{:024}","tool":"claude-code","query_source":"main"}})",
        n, t_ms, n % o.users, n / 50, n % o.users, n % o.models, 2 + n % 17, 4 + n % 301,
        9179 + n % 1000, 13356 % (1 + n % 7), n);
    out += '\n';
  }
  return out;
}

std::string ClaudeCodeUserPromptLogs(const std::string& session_id, int64_t sequence,
                                     const std::string& prompt_text, int64_t time_unix_ms) {
  std::string body = R"({"resourceLogs":[)";
  body += kResource;
  body += fmt::format(
      R"({{"timeUnixNano":"{}000000","body":{{"stringValue":"claude_code.user_prompt"}},"attributes":[)",
      time_unix_ms);
  body += Str("session.id", session_id) + ",";
  body += Str("user.email", "alice@example.com") + ",";
  body += Str("event.name", "user_prompt") + ",";
  body += Int("event.sequence", sequence) + ",";
  body += Str("prompt.id", fmt::format("prompt-{}", sequence)) + ",";
  body += Str("prompt_length", std::to_string(prompt_text.size())) + ",";
  body += Str("prompt", prompt_text);
  body += "]}]}]}]}";
  return body;
}

}  // namespace goodhart::testing
