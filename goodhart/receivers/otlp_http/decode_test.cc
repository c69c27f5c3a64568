// The canonical OTLP/HTTP JSON examples (opentelemetry-proto/examples) through each decoder, and
// the encoding rules every signal shares: key order, unknown keys, many resources, empty lists.
#include "goodhart/receivers/otlp_http/decode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadCorpus;
using goodhart::testing::ReadTestdata;
using model::UsageKind;
using testing::Decoded;
using testing::Replace;

// --- opentelemetry-proto/examples: accepted as they are, then with their names made AI usage ---

TEST(OtlpExamplesTest, LogsExampleIsAcceptedAndIgnored) {
  DecodeResult r = Decoded(DecodeLogs(ReadCorpus("opentelemetry-proto/examples/logs.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 1);  // "Example log record" from my.service is no AI usage
  EXPECT_TRUE(r.batch.usage.empty());
}

TEST(OtlpExamplesTest, LogsExampleRecordAsAClaudeCodeEvent) {
  // Its body renamed to a Claude Code event, the record decodes with its real fields.
  std::string body = Replace(ReadCorpus("opentelemetry-proto/examples/logs.json"),
                             "\"Example log record\"", "\"claude_code.tool_result\"");
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.kind, UsageKind::kToolCall);
  EXPECT_EQ(e.event_name, "tool_result");
  EXPECT_EQ(e.time_unix_ms, 1544712660300);
  EXPECT_EQ(e.tool, "my.service");
  EXPECT_EQ(e.source, "otlp_logs");
  EXPECT_EQ(e.event_key.substr(0, 5), "hash:");  // no session.id/event.sequence
}

TEST(OtlpExamplesTest, EventsExampleIsAcceptedAndIgnored) {
  DecodeResult r = Decoded(DecodeLogs(ReadCorpus("opentelemetry-proto/examples/events.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 1);  // eventName browser.page_view
  EXPECT_TRUE(r.batch.usage.empty());
}

TEST(OtlpExamplesTest, EventsExampleAsAGenAiUserMessage) {
  // eventName read from the LogRecord field; the prompt from the body's kvlist "content".
  std::string body = ReadCorpus("opentelemetry-proto/examples/events.json");
  body = Replace(body, "\"browser.page_view\"", "\"gen_ai.user.message\"");
  body = Replace(body, "\"key\": \"url\"", "\"key\": \"content\"");
  processors::PromptSketcher sketcher("test-key");
  DecodeResult r = Decoded(DecodeLogs(body, {.sketcher = &sketcher}));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.kind, UsageKind::kPrompt);
  EXPECT_EQ(e.event_name, "user.message");
  EXPECT_EQ(e.time_unix_ms, 1544712660300);
  EXPECT_EQ(e.prompt_length, 56);
  ASSERT_TRUE(e.prompt_sketch.has_value());
  EXPECT_EQ(*e.prompt_sketch,
            sketcher.Sketch("https://www.guidgenerator.com/online-guid-generator.aspx"));
}

TEST(OtlpExamplesTest, MetricsExampleIsAcceptedAndIgnored) {
  DecodeResult r =
      Decoded(DecodeMetrics(ReadCorpus("opentelemetry-proto/examples/metrics.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 4);  // one point each: sum, gauge, histogram, exponential histogram
  EXPECT_TRUE(r.batch.usage.empty());
}

TEST(OtlpExamplesTest, MetricsExampleAsUsageMetrics) {
  std::string body = ReadCorpus("opentelemetry-proto/examples/metrics.json");
  body = Replace(body, "\"my.counter\"", "\"claude_code.cost.usage\"");
  body = Replace(body, "\"my.histogram\"", "\"gen_ai.client.token.usage\"");
  body = Replace(body, "\"my.histogram.attr\"", "\"gen_ai.token.type\"");
  body = Replace(body, "\"some value\"", "\"output\"", "gen_ai.token.type");
  DecodeResult r = Decoded(DecodeMetrics(body, {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.ignored, 2);  // the gauge and the exponential histogram
  ASSERT_EQ(r.batch.usage.size(), 2u);

  const model::UsageEvent& cost = r.batch.usage[0];  // asDouble 5 (USD)
  EXPECT_EQ(cost.signal, model::Signal::kMetric);
  EXPECT_EQ(cost.event_name, "cost.usage");
  EXPECT_EQ(cost.reported_cost_micros, 5'000'000);
  EXPECT_EQ(cost.time_unix_ms, 1544712660300);
  EXPECT_EQ(cost.series_start_unix_ms, 1544712660300);
  EXPECT_EQ(cost.temporality, model::Temporality::kDelta);
  EXPECT_EQ(cost.tool, "my.service");
  EXPECT_EQ(cost.series_key.size(), 32u);

  const model::UsageEvent& tokens = r.batch.usage[1];  // histogram sum 2
  EXPECT_EQ(tokens.event_name, "gen_ai.client.token.usage");
  EXPECT_EQ(tokens.tokens, (model::TokenCounts{.output = 2}));
  EXPECT_EQ(tokens.request_count, 0);
  EXPECT_EQ(tokens.temporality, model::Temporality::kDelta);
  EXPECT_NE(tokens.series_key, cost.series_key);
}

TEST(OtlpExamplesTest, TraceExampleIsAcceptedAndIgnored) {
  DecodeResult r = Decoded(DecodeTraces(ReadCorpus("opentelemetry-proto/examples/trace.json"), {}));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 1);  // a plain server span
  EXPECT_TRUE(r.batch.usage.empty());
}

TEST(OtlpExamplesTest, TraceExampleAsAGenAiChatSpan) {
  std::string body = ReadCorpus("opentelemetry-proto/examples/trace.json");
  body = Replace(body, "\"my.span.attr\"", "\"gen_ai.operation.name\"");
  body = Replace(body, "\"some value\"", "\"chat\"", "gen_ai.operation.name");
  DecodeResult r = Decoded(DecodeTraces(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.kind, UsageKind::kModelCall);
  EXPECT_EQ(e.event_key, "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174");
  EXPECT_EQ(e.raw_id, "5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174");
  EXPECT_EQ(e.time_unix_ms, 1544712660000);
  EXPECT_EQ(e.duration_ms, 1000);
  EXPECT_EQ(e.event_name, "chat");
  EXPECT_EQ(e.tool, "my.service");
  EXPECT_EQ(e.source, "otlp_traces");
}

// --- shared encoding rules ---

TEST(OtlpDecodeTest, EmptyBodiesAndListsAreValid) {
  for (const char* body : {R"({})", R"({"resourceLogs":[]})", R"({"resourceLogs":null})",
                           R"({"resourceLogs":[{}]})", R"({"resourceLogs":[{"scopeLogs":[{}]}]})",
                           R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"logRecords":[]}]}]})",
                           " \n{ \"resourceLogs\" : [ ] }\n "}) {
    DecodeResult r = Decoded(DecodeLogs(body, {}));
    EXPECT_TRUE(r.batch.empty()) << body;
    EXPECT_EQ(r.rejected, 0) << body;
  }
}

TEST(OtlpDecodeTest, UnknownKeysAreIgnoredAtEveryLevel) {
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_unknown_keys.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].event_key, "req:req_unknown_keys");
  EXPECT_EQ(r.batch.usage[0].tokens, (model::TokenCounts{.input_uncached = 3, .output = 5}));
  EXPECT_EQ(r.batch.usage[0].tool, "claude-code");
}

TEST(OtlpDecodeTest, KeysInAnyOrder) {
  // scopeLogs before resource, logRecords before scope, "value" before "key", attributes before
  // body and time: the result is the same as in the usual order.
  DecodeResult r = Decoded(DecodeLogs(ReadTestdata("logs_out_of_order.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const model::UsageEvent& e = r.batch.usage[0];
  EXPECT_EQ(e.event_key, "req:req_ooo");
  EXPECT_EQ(e.tokens, (model::TokenCounts{.input_uncached = 11, .output = 12}));
  EXPECT_EQ(e.actor, "res@example.com");
  EXPECT_EQ(e.session_id, "sess-from-resource");
  EXPECT_EQ(e.tool, "claude-code");
  EXPECT_EQ(e.time_unix_ms, 1791447318137);
}

// Compact bodies take the byte-level attribute fast path, pretty-printed ones the on-demand
// reader: both must give the same events (hash keys aside, as they hash the raw JSON).
TEST(OtlpDecodeTest, CompactAndPrettyBodiesDecodeAlike) {
  struct Body {
    std::string json;
    Result<DecodeResult> (*decode)(std::string_view, const DecodeOptions&);
  };
  const Body bodies[] = {
      {ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"), &DecodeLogs},
      {ReadCorpus("claude-code-otlp-capture/logs-request.user_prompt.json"), &DecodeLogs},
      {ReadTestdata("logs_claude_code_tool_result_commit.json"), &DecodeLogs},
      {ReadTestdata("logs_codex.json"), &DecodeLogs},
      {ReadTestdata("logs_ints_beyond_2_pow_53.json"), &DecodeLogs},
      {ReadTestdata("logs_genai_events.json"), &DecodeLogs},
      {ReadTestdata("metrics_claude_code_delta_asint.json"), &DecodeMetrics},
      {ReadTestdata("metrics_genai_histogram.json"), &DecodeMetrics},
      {ReadTestdata("traces_genai_new_names.json"), &DecodeTraces},
      {ReadTestdata("traces_claude_code.json"), &DecodeTraces},
  };
  for (const Body& body : bodies) {
    nlohmann::json parsed = nlohmann::json::parse(body.json);
    DecodeResult compact = Decoded(body.decode(parsed.dump(), {}));
    DecodeResult pretty = Decoded(body.decode(parsed.dump(2), {}));
    ASSERT_EQ(compact.batch.usage.size(), pretty.batch.usage.size()) << parsed.dump();
    EXPECT_FALSE(compact.batch.usage.empty());
    for (size_t i = 0; i < compact.batch.usage.size(); ++i) {
      model::UsageEvent a = compact.batch.usage[i];
      model::UsageEvent b = pretty.batch.usage[i];
      if (a.event_key.starts_with("hash:") && a.series_key.empty()) {
        a.event_key = b.event_key = a.raw_id = b.raw_id = "";
      }
      EXPECT_EQ(a, b) << "event " << i << " of " << parsed.dump().substr(0, 120);
    }
  }
}

TEST(OtlpDecodeTest, PaddedBodiesDecodeInPlaceLikeCopiedOnes) {
  for (const std::string& json :
       {ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"),
        ReadTestdata("logs_genai_events.json"), std::string(R"({"resourceLogs":[)")}) {
    // The body sits in a buffer of its own, followed by exactly kBodyPaddingBytes zeros.
    std::vector<char> padded(json.size() + kBodyPaddingBytes, '\0');
    std::copy(json.begin(), json.end(), padded.begin());
    std::string_view body(padded.data(), json.size());
    Result<DecodeResult> copied = DecodeLogs(json, {});
    Result<DecodeResult> in_place = DecodeLogs(body, {.body_is_padded = true});
    ASSERT_EQ(copied.ok(), in_place.ok()) << json.substr(0, 80);
    if (!copied.ok()) {
      EXPECT_EQ(copied.status().message(), in_place.status().message());
      continue;
    }
    EXPECT_EQ(copied->rejected, in_place->rejected);
    EXPECT_EQ(copied->batch.usage, in_place->batch.usage);
  }
}

TEST(OtlpDecodeTest, DecodesConcurrentlyOnManyThreads) {
  const std::string body = ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json");
  const std::string metrics = ReadTestdata("metrics_claude_code_delta_asint.json");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto logs = DecodeLogs(body, {});
        auto points = DecodeMetrics(metrics, {});
        if (!logs.ok() || logs->batch.usage.size() != 4 || !points.ok() ||
            points->batch.usage.size() != 5) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(OtlpDecodeTest, LargeBodyThenSmallBodyOnOneThread) {
  // A body past the kept-buffer size releases the thread's buffer; the next decode still works.
  std::string records;
  const std::string record =
      R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},)"
      R"("attributes":[{"key":"padding","value":{"stringValue":")" +
      std::string(4000, 'x') + R"("}}]})";
  for (int i = 0; i < 5000; ++i) {
    records += (i ? "," : "");
    records += record;
  }
  std::string big = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[)" + records + "]}]}]}";
  ASSERT_GT(big.size(), 16u << 20);
  DecodeResult r = Decoded(DecodeLogs(big, {}));
  EXPECT_EQ(r.batch.usage.size(), 5000u);
  DecodeResult small =
      Decoded(DecodeLogs(ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"), {}));
  EXPECT_EQ(small.batch.usage.size(), 4u);
}

}  // namespace
}  // namespace goodhart::receivers::otlp
