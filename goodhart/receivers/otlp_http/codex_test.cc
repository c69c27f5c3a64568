// Codex CLI log events: OpenAI token accounting, string-typed counts, conversation ids.
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadTestdata;
using model::TokenCounts;
using model::UsageKind;
using testing::Decoded;

TEST(CodexLogsTest, EventsMapByName) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_codex.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 5u);
  for (const model::UsageEvent& e : r.batch.usage) {
    EXPECT_EQ(e.session_id, "019a9776-0a34-7842-8627-112b63d66e90");
    EXPECT_EQ(e.provider, "openai");
    EXPECT_EQ(e.tool, "codex");
    EXPECT_EQ(e.tool_version, "0.58.0");
    EXPECT_EQ(e.event_key.substr(0, 5), "hash:");
  }

  const model::UsageEvent& start = r.batch.usage[0];
  EXPECT_EQ(start.kind, UsageKind::kSession);
  EXPECT_EQ(start.event_name, "conversation_starts");
  EXPECT_EQ(start.actor, "acct_123");
  EXPECT_EQ(start.actor_kind, "account_id");
  EXPECT_EQ(start.model, "gpt-5-codex");

  const model::UsageEvent& prompt = r.batch.usage[1];
  EXPECT_EQ(prompt.kind, UsageKind::kPrompt);
  EXPECT_EQ(prompt.prompt_length, 42);
  EXPECT_FALSE(prompt.prompt_sketch.has_value());  // "[REDACTED]"
  EXPECT_EQ(prompt.actor, "dev@example.com");      // email wins over the account id
  EXPECT_EQ(prompt.time_unix_ms, 1791447501000);

  const model::UsageEvent& request = r.batch.usage[2];  // the HTTP call: no counts
  EXPECT_EQ(request.kind, UsageKind::kOther);
  EXPECT_EQ(request.duration_ms, 812);
  EXPECT_EQ(request.request_count, 0);

  const model::UsageEvent& completed = r.batch.usage[3];
  EXPECT_EQ(completed.kind, UsageKind::kModelCall);
  EXPECT_EQ(completed.event_name, "sse_event");
  // 12000 input including 8000 cached; 900 output including 300 reasoning.
  EXPECT_EQ(
      completed.tokens,
      (TokenCounts{.input_uncached = 4000, .cache_read = 8000, .output = 900, .reasoning = 300}));
  EXPECT_EQ(completed.request_count, 1);

  EXPECT_EQ(r.batch.usage[4].kind, UsageKind::kToolCall);
  EXPECT_EQ(r.batch.usage[4].actor, "");
}

TEST(CodexLogsTest, CachedBeyondInputIsRejected) {
  std::string body = testing::Replace(ReadTestdata("logs_codex.json"), "\"12000\"", "\"7000\"");
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceLogs[0].scopeLogs[0].logRecords[3]: tokens: cached input (8000 "
            "read + 0 write) exceeds total input 7000");
  EXPECT_EQ(r.batch.usage.size(), 4u);
}

}  // namespace
}  // namespace goodhart::receivers::otlp
