// Claude Code logs: the real 2.1.294 capture and hand-written variants (tool_result commits,
// cost_usd fallback, negative tokens, missing times, identity inheritance).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadCorpus;
using goodhart::testing::ReadTestdata;
using model::TokenCounts;
using model::UsageKind;
using testing::Decoded;
using testing::FindByKey;

constexpr char kSession[] = "eec3945a-5a85-4c3c-9aa2-39e4b8445cef";

TEST(ClaudeCodeLogsTest, CaptureApiRequest) {
  DecodeResult r =
      Decoded(DecodeLogs(ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.error_message, "");
  EXPECT_EQ(r.ignored, 0);
  ASSERT_EQ(r.batch.usage.size(), 4u);

  const model::UsageEvent& call = r.batch.usage[0];
  EXPECT_EQ(call.event_key, "req:req_011CfpSK96NthX9vPNsW9X2b");
  EXPECT_EQ(call.raw_id, "req_011CfpSK96NthX9vPNsW9X2b");
  EXPECT_EQ(call.request_id, "req_011CfpSK96NthX9vPNsW9X2b");
  EXPECT_EQ(call.source, "otlp_logs");
  EXPECT_EQ(call.kind, UsageKind::kModelCall);
  EXPECT_EQ(call.signal, model::Signal::kEvent);
  EXPECT_EQ(call.event_name, "api_request");
  EXPECT_EQ(call.time_unix_ms, 1791447318137);
  EXPECT_EQ(call.tokens, (TokenCounts{.input_uncached = 2,
                                      .cache_read = 9179,
                                      .cache_write = 13356,
                                      .output = 4,
                                      .reasoning = 0}));
  EXPECT_EQ(call.reported_cost_micros, 2765);
  EXPECT_EQ(call.request_count, 1);
  EXPECT_EQ(call.duration_ms, 742);
  EXPECT_EQ(call.model, "claude-haiku-5-5");
  EXPECT_EQ(call.session_id, kSession);
  EXPECT_EQ(call.prompt_id, "a50257c3-696f-46fc-9f50-5483556d2fac");
  EXPECT_EQ(call.query_source, "sdk");
  EXPECT_EQ(call.provider, "anthropic");
  EXPECT_EQ(call.tool, "claude-code");
  EXPECT_EQ(call.tool_version, "2.1.294");
  // The capture's identities were scrubbed to "REDACTED": a placeholder is no identity.
  EXPECT_EQ(call.actor, "");
  EXPECT_EQ(call.actor_kind, "");
  EXPECT_EQ(call.organization, "");

  const model::UsageEvent& response = r.batch.usage[1];
  EXPECT_EQ(response.event_key, std::string("seq:") + kSession + ":16");
  EXPECT_EQ(response.raw_id, std::string(kSession) + ":16");
  EXPECT_EQ(response.kind, UsageKind::kOther);
  EXPECT_EQ(response.event_name, "assistant_response");
  EXPECT_EQ(response.model, "claude-haiku-5-5");
  EXPECT_EQ(response.request_id, "");  // only api_request claims the request id
  EXPECT_EQ(response.request_count, 0);
  EXPECT_EQ(response.tokens, TokenCounts{});

  // duration_ms arrives as the string "1493" on mcp_server_connection.
  const model::UsageEvent& mcp1 = r.batch.usage[2];
  EXPECT_EQ(mcp1.event_key, std::string("seq:") + kSession + ":17");
  EXPECT_EQ(mcp1.event_name, "mcp_server_connection");
  EXPECT_EQ(mcp1.time_unix_ms, 1791447318146);
  EXPECT_EQ(mcp1.duration_ms, 1493);
  EXPECT_EQ(r.batch.usage[3].event_key, std::string("seq:") + kSession + ":18");
  EXPECT_EQ(r.batch.usage[3].duration_ms, 1113);
}

TEST(ClaudeCodeLogsTest, CaptureUserPrompt) {
  DecodeResult r =
      Decoded(DecodeLogs(ReadCorpus("claude-code-otlp-capture/logs-request.user_prompt.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const model::UsageEvent& hook = r.batch.usage[0];
  EXPECT_EQ(hook.event_key, std::string("seq:") + kSession + ":2");
  EXPECT_EQ(hook.event_name, "hook_registered");
  EXPECT_EQ(hook.kind, UsageKind::kOther);
  EXPECT_EQ(hook.time_unix_ms, 1791447316602);

  const model::UsageEvent& prompt = r.batch.usage[1];
  EXPECT_EQ(prompt.event_key, std::string("seq:") + kSession + ":14");
  EXPECT_EQ(prompt.kind, UsageKind::kPrompt);
  EXPECT_EQ(prompt.event_name, "user_prompt");
  EXPECT_EQ(prompt.prompt_length, 30);  // sent as the string "30"
  EXPECT_EQ(prompt.prompt_id, "a50257c3-696f-46fc-9f50-5483556d2fac");
  EXPECT_EQ(prompt.time_unix_ms, 1791447317355);
  EXPECT_FALSE(prompt.prompt_sketch.has_value());  // "<REDACTED>" is not text
  EXPECT_EQ(prompt.request_count, 0);
}

TEST(ClaudeCodeLogsTest, RetriedBodyMapsToTheSameKeys) {
  std::string body = ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json");
  DecodeResult first = Decoded(DecodeLogs(body, {}));
  DecodeResult second = Decoded(DecodeLogs(body, {}));
  EXPECT_EQ(first.batch.usage, second.batch.usage);
}

TEST(ClaudeCodeLogsTest, ToolResultCommitApiErrorAndCostUsdFallback) {
  DecodeResult r =
      Decoded(DecodeLogs(ReadTestdata("logs_claude_code_tool_result_commit.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 3u);

  const model::UsageEvent* tool = FindByKey(r, "seq:sess-git:41");  // sequence sent as "41"
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool->kind, UsageKind::kToolCall);
  EXPECT_EQ(tool->git_commit_id, "3f9a2c1d7e8b6a5f4c3d2e1f0a9b8c7d6e5f4a3b");
  EXPECT_EQ(tool->actor, "user_01ABC");
  EXPECT_EQ(tool->actor_kind, "account_id");
  EXPECT_EQ(tool->duration_ms, 1210);
  EXPECT_EQ(tool->time_unix_ms, 1791447400000);

  const model::UsageEvent* error = FindByKey(r, "seq:sess-git:42");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->kind, UsageKind::kOther);
  EXPECT_EQ(error->event_name, "api_error");
  EXPECT_EQ(error->actor, "3b6c0000aaaa");
  EXPECT_EQ(error->actor_kind, "user_id");
  EXPECT_EQ(error->model, "claude-sonnet-4-5");
  EXPECT_EQ(error->git_commit_id, "");

  const model::UsageEvent* call = FindByKey(r, "req:req_cost_usd_only");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->reported_cost_micros, 12346);  // 0.0123455 USD, rounded half away from zero
  EXPECT_EQ(call->tokens, (TokenCounts{.input_uncached = 100, .output = 50}));
  EXPECT_EQ(call->agent, "reviewer");
  EXPECT_EQ(call->query_source, "subagent");
}

TEST(ClaudeCodeLogsTest, NegativeTokensRejectOnlyThatRecord) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_negative_input_tokens.json"), {}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceLogs[0].scopeLogs[0].logRecords[1]: input_tokens is negative (-4)");
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.batch.usage[0].event_key, "req:req_a1");
  EXPECT_EQ(r.batch.usage[0].tokens, (TokenCounts{.input_uncached = 10, .output = 20}));
  EXPECT_EQ(r.batch.usage[0].actor, "ana@example.com");
  EXPECT_EQ(r.batch.usage[0].actor_kind, "email");
  EXPECT_EQ(r.batch.usage[1].event_key, "req:req_a3");
  EXPECT_EQ(r.batch.usage[1].tokens, (TokenCounts{.input_uncached = 7, .output = 8}));
}

TEST(ClaudeCodeLogsTest, TimeFallsBackToObservedThenEventTimestamp) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_missing_time.json"), {}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceLogs[0].scopeLogs[0].logRecords[0]: time is missing (no "
            "timeUnixNano, observedTimeUnixNano or event.timestamp)");
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.batch.usage[0].event_key, "req:req_observed");
  EXPECT_EQ(r.batch.usage[0].time_unix_ms, 1791447318999);
  EXPECT_EQ(r.batch.usage[1].event_key, "req:req_event_timestamp");
  EXPECT_EQ(r.batch.usage[1].time_unix_ms, 1791447318137);
}

TEST(ClaudeCodeLogsTest, IntegersBeyond2Pow53AreExact) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_ints_beyond_2_pow_53.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.tokens.input_uncached, 9007199254740993);  // a string
  EXPECT_EQ(e.tokens.cache_read, 9007199254740995);      // a bare number
  EXPECT_EQ(e.reported_cost_micros, INT64_MAX);
  EXPECT_EQ(e.time_unix_ms, 1791447318137);  // timeUnixNano as a bare number
  EXPECT_EQ(e.tool, "claude-code");          // no resource: the default tool name
}

TEST(ClaudeCodeLogsTest, ResourceAttributesAreInheritedAndRecordsWin) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_two_resources.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 3u);
  const model::UsageEvent* b1 = FindByKey(r, "req:req_b1");
  ASSERT_NE(b1, nullptr);
  EXPECT_EQ(b1->actor, "bob@example.com");
  EXPECT_EQ(b1->organization, "org-1");
  EXPECT_EQ(b1->tool, "claude-code");
  EXPECT_EQ(b1->tool_version, "2.1.294");
  const model::UsageEvent* b2 = FindByKey(r, "req:req_b2");
  ASSERT_NE(b2, nullptr);
  EXPECT_EQ(b2->actor, "team-default@example.com");
  EXPECT_EQ(b2->tokens.input_uncached, 2);
  const model::UsageEvent* c1 = FindByKey(r, "req:req_c1");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->actor, "7a1c0b5e-0000-4000-8000-000000000002");
  EXPECT_EQ(c1->actor_kind, "account_uuid");
  EXPECT_EQ(c1->organization, "");
  EXPECT_EQ(c1->tool, "claude-code-desktop");
  EXPECT_EQ(c1->tool_version, "2.1.300");
}

TEST(ClaudeCodeLogsTest, EventNameAttributeAndScopeIdentifyBodylessEvents) {
  // No body: the event.name attribute under Claude Code's scope names the event.
  std::string body =
      R"({"resourceLogs":[{"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},
    "logRecords":[{"timeUnixNano":"1791447318137000000","attributes":[
      {"key":"event.name","value":{"stringValue":"api_request"}},
      {"key":"request_id","value":{"stringValue":"req_no_body"}},
      {"key":"output_tokens","value":{"intValue":9}}]}]}]}]})";
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].event_key, "req:req_no_body");
  EXPECT_EQ(r.batch.usage[0].tokens.output, 9);
}

TEST(ClaudeCodeLogsTest, EventsWithoutSequenceGetAStableHashKey) {
  std::string body =
      R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},
    "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[
      {"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.tool_decision"},"attributes":[
        {"key":"decision","value":{"stringValue":"accept"}}]},
      {"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.tool_decision"},"attributes":[
        {"key":"decision","value":{"stringValue":"reject"}}]}]}]}]})";
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const std::string& key = r.batch.usage[0].event_key;
  EXPECT_EQ(key.substr(0, 5), "hash:");
  EXPECT_EQ(key.size(), 5u + 32u);
  EXPECT_EQ(r.batch.usage[0].raw_id, key.substr(5));
  EXPECT_NE(r.batch.usage[1].event_key, key);  // different content, different key
  // The same record in a body with other neighbours keeps its key.
  std::string alone = testing::Replace(body, R"(,
      {"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.tool_decision"},"attributes":[
        {"key":"decision","value":{"stringValue":"reject"}}]})",
                                       "");
  DecodeResult single = Decoded(DecodeLogs(alone, {}));
  ASSERT_EQ(single.batch.usage.size(), 1u);
  EXPECT_EQ(single.batch.usage[0].event_key, key);
}

// tool_result steps get a fingerprint of (tool, arguments, result): the same failing step sent
// twice (different sequence numbers) has one fingerprint; a different result size or outcome
// changes it; with neither parameters nor sizes there is nothing to compare, so no fingerprint.
TEST(ClaudeCodeLogsTest, ToolResultStepFingerprint) {
  auto step = [](int sequence, const std::string& extra) {
    return fmt::format(
        R"({{"timeUnixNano":"179144740{}000000000","body":{{"stringValue":"claude_code.tool_result"}},"attributes":[
        {{"key":"session.id","value":{{"stringValue":"sess-loop"}}}},
        {{"key":"event.sequence","value":{{"intValue":{}}}}},
        {{"key":"tool_name","value":{{"stringValue":"Bash"}}}}{}]}})",
        sequence, sequence, extra);
  };
  const std::string failing =
      R"(,{"key":"success","value":{"stringValue":"false"}},
        {"key":"error_type","value":{"stringValue":"exit_code"}},
        {"key":"tool_input_size_bytes","value":{"intValue":"31"}},
        {"key":"tool_result_size_bytes","value":{"intValue":"2048"}})";
  std::string body =
      R"({"resourceLogs":[{"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[)" +
      step(1, failing) + "," + step(2, failing) + "," +
      step(3, testing::Replace(failing, "2048", "2049")) + "," +
      step(4, testing::Replace(failing, R"("false")", R"("true")")) + "," + step(5, "") + "]}]}]}";
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 5u) << r.error_message;
  for (const auto& e : r.batch.usage) {
    EXPECT_EQ(e.kind, UsageKind::kToolCall);
    EXPECT_EQ(e.tool_name, "Bash");
  }
  const auto& u = r.batch.usage;
  EXPECT_NE(u[0].tool_step_fingerprint, 0u);
  EXPECT_EQ(u[0].tool_step_fingerprint, u[1].tool_step_fingerprint);
  EXPECT_NE(u[0].tool_step_fingerprint, u[2].tool_step_fingerprint);
  EXPECT_NE(u[0].tool_step_fingerprint, u[3].tool_step_fingerprint);
  EXPECT_EQ(u[4].tool_step_fingerprint, 0u);
}

// With OTEL_LOG_TOOL_DETAILS=1 the parameters decide: two different commands differ even at
// equal sizes.
TEST(ClaudeCodeLogsTest, ToolResultFingerprintUsesParameters) {
  std::string body = ReadTestdata("logs_claude_code_tool_result_commit.json");
  DecodeResult first = Decoded(DecodeLogs(body, {}));
  DecodeResult other =
      Decoded(DecodeLogs(testing::Replace(body, "fix: ledger", "fix: ledgers"), {}));
  const model::UsageEvent* a = FindByKey(first, "seq:sess-git:41");
  const model::UsageEvent* b = FindByKey(other, "seq:sess-git:41");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a->tool_step_fingerprint, 0u);
  EXPECT_NE(a->tool_step_fingerprint, b->tool_step_fingerprint);
}

}  // namespace
}  // namespace goodhart::receivers::otlp
