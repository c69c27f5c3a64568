// GenAI semantic conventions: spans with current and legacy attribute names, span and log
// events, and Claude Code's own spans.
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadTestdata;
using model::TokenCounts;
using model::UsageKind;
using testing::Decoded;
using testing::FindByKey;

TEST(GenAiSpansTest, CurrentAttributeNames) {
  DecodeResult r = Decoded(DecodeTraces(ReadTestdata("traces_genai_new_names.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.ignored, 1);  // GET /weather
  ASSERT_EQ(r.batch.usage.size(), 3u);

  const model::UsageEvent* chat =
      FindByKey(r, "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174");
  ASSERT_NE(chat, nullptr);
  EXPECT_EQ(chat->kind, UsageKind::kModelCall);
  // 1500 input including 1000 cache reads and 200 cache writes; 300 output including 100 reasoning.
  EXPECT_EQ(chat->tokens, (TokenCounts{.input_uncached = 300,
                                       .cache_read = 1000,
                                       .cache_write = 200,
                                       .output = 300,
                                       .reasoning = 100}));
  EXPECT_EQ(chat->request_count, 1);
  EXPECT_EQ(chat->event_name, "chat");
  EXPECT_EQ(chat->provider, "anthropic");
  EXPECT_EQ(chat->model, "claude-sonnet-4-20250514");
  EXPECT_EQ(chat->session_id, "conv-1");
  EXPECT_EQ(chat->request_id, "msg_01XFDUDYJgAACzvnptvVoYEL");
  EXPECT_EQ(chat->time_unix_ms, 1791447600000);
  EXPECT_EQ(chat->duration_ms, 2500);
  EXPECT_EQ(chat->actor, "cust-77");  // enduser.id from the resource
  EXPECT_EQ(chat->actor_kind, "user_id");
  EXPECT_EQ(chat->tool, "support-bot");
  EXPECT_EQ(chat->tool_version, "3.2.0");

  const model::UsageEvent* tool =
      FindByKey(r, "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b175");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool->kind, UsageKind::kToolCall);
  EXPECT_EQ(tool->duration_ms, 100);
  EXPECT_EQ(tool->request_count, 0);

  // invoke_agent carries its children's usage: kept, but its tokens are not counted.
  const model::UsageEvent* agent =
      FindByKey(r, "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b173");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->kind, UsageKind::kOther);
  EXPECT_EQ(agent->tokens, TokenCounts{});
  EXPECT_EQ(agent->agent, "support");
  EXPECT_EQ(agent->event_name, "invoke_agent");
}

TEST(GenAiSpansTest, LegacyAttributeNamesAndPromptEvents) {
  processors::PromptSketcher sketcher("test-key");
  DecodeResult r =
      Decoded(DecodeTraces(ReadTestdata("traces_genai_old_names.json"), {.sketcher = &sketcher}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 4u);  // two spans, each with one prompt event

  const model::UsageEvent& openai = r.batch.usage[0];
  EXPECT_EQ(openai.event_key, "span:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331");
  EXPECT_EQ(openai.kind, UsageKind::kModelCall);  // no operation name, but usage counts
  EXPECT_EQ(openai.tokens, (TokenCounts{.input_uncached = 120, .output = 30}));
  EXPECT_EQ(openai.provider, "openai");  // gen_ai.system
  EXPECT_EQ(openai.model, "gpt-4");
  EXPECT_EQ(openai.session_id, "legacy-session");
  EXPECT_EQ(openai.event_name, "openai.chat");

  const model::UsageEvent& prompt = r.batch.usage[1];
  EXPECT_EQ(prompt.kind, UsageKind::kPrompt);
  EXPECT_EQ(prompt.time_unix_ms, 1791447700000);
  EXPECT_EQ(prompt.prompt_length, 54);
  ASSERT_TRUE(prompt.prompt_sketch.has_value());
  EXPECT_EQ(*prompt.prompt_sketch,
            sketcher.Sketch("Summarise the orbital mechanics of the Kessler cascade"));
  EXPECT_EQ(prompt.event_key.substr(0, 5), "hash:");
  EXPECT_EQ(prompt.session_id, "legacy-session");

  const model::UsageEvent& openinference = r.batch.usage[2];
  EXPECT_EQ(openinference.tokens, (TokenCounts{.input_uncached = 64, .output = 16}));
  EXPECT_EQ(openinference.model, "mistral-large");

  const model::UsageEvent& message = r.batch.usage[3];
  EXPECT_EQ(message.kind, UsageKind::kPrompt);
  EXPECT_EQ(message.prompt_length, 46);
  ASSERT_TRUE(message.prompt_sketch.has_value());
  EXPECT_EQ(*message.prompt_sketch,
            sketcher.Sketch("Which moons of Jupiter have subsurface oceans?"));
}

TEST(GenAiSpansTest, ClaudeCodeSpans) {
  DecodeResult r = Decoded(DecodeTraces(ReadTestdata("traces_claude_code.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 3u);

  const model::UsageEvent* interaction =
      FindByKey(r, "span:11111111111111111111111111111111:2222222222222222");
  ASSERT_NE(interaction, nullptr);
  EXPECT_EQ(interaction->kind, UsageKind::kOther);
  EXPECT_EQ(interaction->event_name, "interaction");
  EXPECT_EQ(interaction->actor, "ana@example.com");
  EXPECT_EQ(interaction->duration_ms, 1000);

  // The api_request event of the same call has this key too, so the store keeps one of them.
  const model::UsageEvent* request = FindByKey(r, "req:req_011CfpSK96NthX9vPNsW9X2b");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->kind, UsageKind::kModelCall);
  EXPECT_EQ(
      request->tokens,
      (TokenCounts{.input_uncached = 2, .cache_read = 9179, .cache_write = 13356, .output = 4}));
  EXPECT_EQ(request->model, "claude-haiku-5-5");
  EXPECT_EQ(request->time_unix_ms, 1791447318100);
  EXPECT_EQ(request->duration_ms, 742);
  EXPECT_EQ(request->source, "otlp_traces");
  EXPECT_EQ(request->session_id, "eec3945a-5a85-4c3c-9aa2-39e4b8445cef");

  // Without a request id it cannot be matched with its event: no tokens, so none are counted twice.
  const model::UsageEvent* unmatched =
      FindByKey(r, "span:11111111111111111111111111111111:4444444444444444");
  ASSERT_NE(unmatched, nullptr);
  EXPECT_EQ(unmatched->kind, UsageKind::kOther);
  EXPECT_EQ(unmatched->tokens, TokenCounts{});
}

TEST(GenAiSpansTest, NegativeUsageRejectsTheSpan) {
  std::string body = testing::Replace(ReadTestdata("traces_genai_new_names.json"),
                                      R"("gen_ai.usage.output_tokens","value":{"intValue":"300"})",
                                      R"("gen_ai.usage.output_tokens","value":{"intValue":"-1"})");
  DecodeResult r = Decoded(DecodeTraces(body, {}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceSpans[0].scopeSpans[0].spans[0]: gen_ai.usage.output_tokens is "
            "negative (-1)");
  EXPECT_EQ(r.batch.usage.size(), 2u);
}

TEST(GenAiEventsTest, OperationDetailsAndMessageEvents) {
  processors::PromptSketcher sketcher("test-key");
  DecodeResult r =
      Decoded(DecodeLogs(ReadTestdata("logs_genai_events.json"), {.sketcher = &sketcher}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.ignored, 1);  // gen_ai.system.message
  ASSERT_EQ(r.batch.usage.size(), 3u);

  const model::UsageEvent& details = r.batch.usage[0];
  EXPECT_EQ(details.event_key, "span:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbb");
  EXPECT_EQ(details.kind, UsageKind::kModelCall);
  EXPECT_EQ(details.tokens, (TokenCounts{.input_uncached = 300, .cache_read = 600, .output = 80}));
  EXPECT_EQ(details.model, "gpt-4.1");
  EXPECT_EQ(details.provider, "openai");
  EXPECT_EQ(details.source, "otlp_logs");

  const model::UsageEvent& message = r.batch.usage[1];
  EXPECT_EQ(message.kind, UsageKind::kPrompt);
  EXPECT_EQ(message.provider, "openai");
  EXPECT_EQ(message.prompt_length, 43);
  ASSERT_TRUE(message.prompt_sketch.has_value());
  EXPECT_EQ(*message.prompt_sketch, sketcher.Sketch("What is the refund policy for annual plans?"));

  const model::UsageEvent& evaluation = r.batch.usage[2];
  EXPECT_EQ(evaluation.kind, UsageKind::kOther);
  EXPECT_EQ(evaluation.event_name, "evaluation.result");
}

TEST(GenAiEventsTest, AnthropicStyleDisjointInputIsNotRejected) {
  // Some instrumentations copy Anthropic's input_tokens (cache excluded) into the semconv name.
  std::string body = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02",
    "startTimeUnixNano":"1791447600000000000","attributes":[
    {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
    {"key":"gen_ai.usage.input_tokens","value":{"intValue":"2"}},
    {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"9179"}},
    {"key":"gen_ai.usage.output_tokens","value":{"intValue":"4"}}]}]}]}]})";
  DecodeResult r = Decoded(DecodeTraces(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].tokens,
            (TokenCounts{.input_uncached = 2, .cache_read = 9179, .output = 4}));
}

}  // namespace
}  // namespace goodhart::receivers::otlp
