#include "goodhart/receivers/file/canonical_jsonl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;
using ::goodhart::testing::StatusIs;
using model::TokenCounts;
using model::UsageEvent;
using model::UsageKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

UsageEvent EveryFieldSet() {
  UsageEvent e;
  e.event_key = "seq:s-1:42";
  e.source = "otlp_metrics";
  e.raw_id = "series-7/point-3";
  e.kind = UsageKind::kModelCall;
  e.signal = model::Signal::kMetric;
  e.event_name = "api_request";
  e.time_unix_ms = 1'791'447'318'137;
  e.end_unix_ms = 1'791'447'319'000;
  e.actor = "jane@example.com";
  e.actor_kind = "email";
  e.organization = "org-uuid";
  e.session_id = "s-1";
  e.prompt_id = "p-9";
  e.tool = "claude-code";
  e.tool_version = "2.1.294";
  e.agent = "reviewer";
  e.query_source = "subagent";
  e.provider = "anthropic";
  e.model = "claude-haiku-4-5 \"quoted\" \xC3\xA9";
  e.tokens = {
      .input_uncached = 2, .cache_read = 9179, .cache_write = 13356, .output = 4, .reasoning = 1};
  e.request_count = 3;
  e.reported_cost_micros = 2765;
  e.computed_cost_micros = 2800;
  e.duration_ms = 1493;
  e.request_id = "req_011";
  e.prompt_length = 30;
  model::PromptSketch sketch;
  sketch.simhash = 0xfedcba9876543210ULL;
  for (size_t i = 0; i < sketch.minhash.size(); ++i)
    sketch.minhash[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
  sketch.token_estimate = 6;
  e.prompt_sketch = sketch;
  e.series_key = "hash:abc";
  e.temporality = model::Temporality::kCumulative;
  e.series_start_unix_ms = 1'791'447'000'000;
  e.git_commit_id = "e8bde60164f9ef820068ec36ffe6b7be6bd8fd26";
  e.tool_name = "Bash";
  e.tool_step_fingerprint = 0x0123456789abcdefULL;
  return e;
}

TEST(CanonicalJsonlTest, EveryFieldRoundTripsExactly) {
  // A field added to UsageEvent changes its size: set it in EveryFieldSet() and write it in
  // canonical JSONL (store export and import go through it), then update this size.
  static_assert(sizeof(UsageEvent) == 1792);
  UsageEvent e = EveryFieldSet();
  std::string line = EncodeCanonicalJsonLine(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_THAT(line, HasSubstr("\"time\":\"2026-10-08T08:15:18.137Z\""));
  EXPECT_THAT(line, HasSubstr("\"simhash\":\"fedcba9876543210\""));
  auto back = DecodeCanonicalJsonLine(line);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, e);
  EXPECT_EQ(EncodeCanonicalJsonLine(*back), line);
}

TEST(CanonicalJsonlTest, DefaultsAreLeftOutAndStillRoundTrip) {
  UsageEvent e;
  e.event_key = "hash:1";
  e.source = "canonical";
  e.time_unix_ms = 1'000;
  std::string line = EncodeCanonicalJsonLine(e);
  EXPECT_EQ(line,
            "{\"event_key\":\"hash:1\",\"source\":\"canonical\",\"kind\":\"model_call\","
            "\"time\":\"1970-01-01T00:00:01.000Z\",\"tokens\":{\"input_uncached\":0,"
            "\"cache_read\":0,\"cache_write\":0,\"output\":0,\"reasoning\":0},"
            "\"request_count\":1}");
  auto back = DecodeCanonicalJsonLine(line);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, e);
  e.reported_cost_micros = 0;  // "said zero" differs from "said nothing"
  back = DecodeCanonicalJsonLine(EncodeCanonicalJsonLine(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->reported_cost_micros, 0);
}

TEST(CanonicalJsonlTest, OutOfRangeTimesAreWrittenAsMillis) {
  UsageEvent e;
  e.time_unix_ms = -5;
  EXPECT_THAT(EncodeCanonicalJsonLine(e), HasSubstr("\"time_unix_ms\":-5"));
  e.time_unix_ms = INT64_MAX;
  EXPECT_THAT(EncodeCanonicalJsonLine(e), HasSubstr("\"time_unix_ms\":9223372036854775807"));
  e.model = "bad \xFF utf-8";
  EXPECT_THAT(EncodeCanonicalJsonLine(e), HasSubstr("bad \xEF\xBF\xBD utf-8"));
}

TEST(CanonicalJsonlTest, DecodesAFile) {
  auto r = DecodeFile(FileFormat::kCanonicalJsonl, ReadTestdata("canonical_two_events.jsonl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 0);
  ASSERT_EQ(r->batch.usage.size(), 2u);
  const auto& call = r->batch.usage[0];
  EXPECT_EQ(call.event_key, "req:req_011CYfQNyftvAdchCgU7PwhE");
  EXPECT_EQ(call.source, "otlp_logs");  // a line keeps its own source
  EXPECT_EQ(call.time_unix_ms, CivilToMillis(2026, 3, 3, 3, 3, 22));
  EXPECT_EQ(call.tokens, (TokenCounts{.input_uncached = 13, .output = 5}));
  EXPECT_EQ(call.reported_cost_micros, 2765);
  EXPECT_EQ(call.duration_ms, 911);
  const auto& day = r->batch.usage[1];
  EXPECT_EQ(day.source, "canonical");
  EXPECT_EQ(day.kind, UsageKind::kUsageAggregate);
  EXPECT_EQ(day.time_unix_ms, CivilToMillis(2025, 10, 1));
  EXPECT_EQ(day.end_unix_ms, CivilToMillis(2025, 10, 2));
  EXPECT_EQ(day.request_count, 2);
  EXPECT_THAT(day.event_key, HasSubstr("hash:"));
  EXPECT_FALSE(day.reported_cost_micros.has_value());
}

// A UTF-8 byte order mark before the first line (some editors write one) is not part of it.
TEST(CanonicalJsonlTest, AByteOrderMarkIsSkipped) {
  const std::string text = ReadTestdata("canonical_two_events.jsonl");
  auto plain = DecodeFile(FileFormat::kCanonicalJsonl, text);
  auto marked = DecodeFile(FileFormat::kCanonicalJsonl, "\xEF\xBB\xBF" + text);
  ASSERT_TRUE(plain.ok() && marked.ok());
  EXPECT_EQ(marked->rejected, 0) << (marked->errors.empty() ? "" : marked->errors[0]);
  ASSERT_EQ(marked->batch.usage.size(), 2u);
  EXPECT_EQ(marked->batch.usage[0].event_key, plain->batch.usage[0].event_key);
  EXPECT_EQ(marked->batch.usage[1].event_key, plain->batch.usage[1].event_key);
}

TEST(CanonicalJsonlTest, MissingKeyIsAHashOfTheContentNotOfItsSpelling) {
  auto a = DecodeCanonicalJsonLine(
      R"({"kind":"usage_aggregate","time":"2025-10-01","tokens":{"output":5},"actor":"x"})");
  auto b = DecodeCanonicalJsonLine(
      R"({ "actor" : "x", "time_unix_ms": 1759276800000, "tokens": {"output": 5, "cache_read": 0},
          "kind": "usage_aggregate" })");
  auto c = DecodeCanonicalJsonLine(
      R"({"kind":"usage_aggregate","time":"2025-10-01","tokens":{"output":6},"actor":"x"})");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->event_key, b->event_key);
  EXPECT_NE(a->event_key, c->event_key);
}

TEST(CanonicalJsonlTest, PromptTextIsDropped) {
  std::string content = ReadTestdata("canonical_with_prompt_text.jsonl");
  auto r = DecodeFile(FileFormat::kCanonicalJsonl, content);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 0);
  ASSERT_EQ(r->batch.usage.size(), 1u);
  const auto& e = r->batch.usage[0];
  EXPECT_EQ(e.kind, UsageKind::kPrompt);
  EXPECT_EQ(e.prompt_length, 33);
  EXPECT_THAT(EncodeCanonicalJsonLine(e), Not(HasSubstr("refactor")));
}

TEST(CanonicalJsonlTest, BadLinesAreRejectedOneByOne) {
  auto r = DecodeFile(FileFormat::kCanonicalJsonl, ReadTestdata("canonical_bad_lines.jsonl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->batch.usage.size(), 1u);
  EXPECT_EQ(r->rejected, 5);
  EXPECT_THAT(r->errors, ElementsAre("canonical: line 2: not JSON",
                                     "canonical: line 3: tokens.output is negative (-1)",
                                     "canonical: line 4: kind 'teleport' is unknown",
                                     "canonical: line 5: model: time: missing or before 1970 (0)",
                                     "canonical: line 7: not a JSON object"));
}

TEST(CanonicalJsonlTest, ReportEventsSurviveExportAndReimport) {
  auto decoded =
      DecodeFile(FileFormat::kClaudeCodeUsageReport,
                 ReadCorpus("anthropic-admin-api-docs/usage_report_claude_code.example.json"));
  ASSERT_TRUE(decoded.ok());
  std::string exported;
  for (const auto& e : decoded->batch.usage)
    exported += EncodeCanonicalJsonLine(e) + "\n";
  EXPECT_EQ(DetectFormat("export.jsonl", exported), FileFormat::kCanonicalJsonl);
  auto again = DecodeFile(FileFormat::kCanonicalJsonl, exported);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->batch.usage, decoded->batch.usage);
}

TEST(CanonicalJsonlTest, FieldErrorsNameTheField) {
  EXPECT_THAT(DecodeCanonicalJsonLine(R"({"time":"2025-10-01","tokens":[1]})").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("tokens is not an object")));
  EXPECT_THAT(DecodeCanonicalJsonLine(R"({"time":"2025-10-01","time_unix_ms":1})").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("both time and time_unix_ms")));
  EXPECT_THAT(DecodeCanonicalJsonLine(R"({"time":"soon"})").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("time: time: 'soon'")));
  EXPECT_THAT(DecodeCanonicalJsonLine(R"({"time":"2025-10-01","prompt_sketch":{"minhash":["1"]}})")
                  .status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("prompt_sketch.minhash")));
}

}  // namespace
}  // namespace goodhart::receivers::file
