// Prompt privacy: real prompt text becomes a keyed sketch and appears nowhere in the decoded
// batch (every string of every event, and the rejection message).
#include <gtest/gtest.h>

#include <string>

#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using testing::Decoded;

constexpr char kPrompt[] =
    "Refactor the quokka-zeppelin-9137 billing reconciler so ledger entries group by merchant";

std::string ClaudePromptBody(const std::string& prompt_length) {
  return std::string(
             R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},
    "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[
    {"timeUnixNano":"1791447317355000000","body":{"stringValue":"claude_code.user_prompt"},"attributes":[
      {"key":"session.id","value":{"stringValue":"sess-privacy"}},
      {"key":"user.email","value":{"stringValue":"alice@example.com"}},
      {"key":"event.sequence","value":{"intValue":3}},
      {"key":"prompt_length","value":{"stringValue":")") +
         prompt_length + R"("}},
      {"key":"prompt","value":{"stringValue":")" +
         kPrompt + R"("}}]}]}]}]})";
}

void ExpectTextNowhere(const DecodeResult& result) {
  for (const model::UsageEvent& event : result.batch.usage) {
    for (std::string_view field : testing::StringFields(event)) {
      EXPECT_EQ(field.find("quokka"), std::string_view::npos) << field;
      EXPECT_EQ(field.find("reconciler"), std::string_view::npos) << field;
    }
  }
  EXPECT_EQ(result.error_message.find("quokka"), std::string::npos) << result.error_message;
}

TEST(PromptPrivacyTest, ClaudeCodePromptIsSketchedAndDropped) {
  processors::PromptSketcher sketcher("privacy-test-key");
  DecodeResult r = Decoded(DecodeLogs(ClaudePromptBody("88"), {.sketcher = &sketcher}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.kind, model::UsageKind::kPrompt);
  EXPECT_EQ(e.event_key, "seq:sess-privacy:3");
  EXPECT_EQ(e.actor, "alice@example.com");
  EXPECT_EQ(e.prompt_length, 88);
  ASSERT_TRUE(e.prompt_sketch.has_value());
  EXPECT_EQ(*e.prompt_sketch, sketcher.Sketch(kPrompt));
  ExpectTextNowhere(r);
}

TEST(PromptPrivacyTest, WithoutASketcherThePromptIsStillDropped) {
  DecodeResult r = Decoded(DecodeLogs(ClaudePromptBody("88"), {}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_FALSE(r.batch.usage[0].prompt_sketch.has_value());
  ExpectTextNowhere(r);
}

TEST(PromptPrivacyTest, RejectedPromptLeavesNoTextInTheMessage) {
  processors::PromptSketcher sketcher("privacy-test-key");
  DecodeResult r = Decoded(DecodeLogs(ClaudePromptBody("-1"), {.sketcher = &sketcher}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_TRUE(r.batch.usage.empty());
  ExpectTextNowhere(r);
}

TEST(PromptPrivacyTest, CodexAndGenAiPromptsAreSketchedAndDropped) {
  processors::PromptSketcher sketcher("privacy-test-key");
  std::string codex = std::string(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
    {"timeUnixNano":"1791447501000000000","attributes":[
      {"key":"event.name","value":{"stringValue":"codex.user_prompt"}},
      {"key":"conversation.id","value":{"stringValue":"conv-p"}},
      {"key":"prompt","value":{"stringValue":")") +
                      kPrompt + R"("}}]}]}]}]})";
  DecodeResult r = Decoded(DecodeLogs(codex, {.sketcher = &sketcher}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  ASSERT_TRUE(r.batch.usage[0].prompt_sketch.has_value());
  EXPECT_EQ(*r.batch.usage[0].prompt_sketch, sketcher.Sketch(kPrompt));
  EXPECT_EQ(r.batch.usage[0].prompt_length, 88);  // measured, as the sender gave none
  ExpectTextNowhere(r);

  std::string span = std::string(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"aa","spanId":"bb","name":"chat x","startTimeUnixNano":"1791447600000000000",
     "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}],
     "events":[{"name":"gen_ai.user.message","timeUnixNano":"1791447600000000001",
       "attributes":[{"key":"content","value":{"stringValue":")") +
                     kPrompt + R"("}}]}]}]}]}]})";
  DecodeResult spans = Decoded(DecodeTraces(span, {.sketcher = &sketcher}));
  ASSERT_EQ(spans.batch.usage.size(), 2u);
  ASSERT_TRUE(spans.batch.usage[1].prompt_sketch.has_value());
  EXPECT_EQ(*spans.batch.usage[1].prompt_sketch, sketcher.Sketch(kPrompt));
  ExpectTextNowhere(spans);
}

}  // namespace
}  // namespace goodhart::receivers::otlp
