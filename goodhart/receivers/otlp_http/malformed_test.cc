// Bodies that are not OTLP JSON, and records that are not valid: whole-body errors are
// InvalidArgument, record errors are partial success, and no input crashes the decoder.
#include <gtest/gtest.h>

#include <random>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadCorpus;
using goodhart::testing::ReadTestdata;
using goodhart::testing::StatusIs;
using testing::Decoded;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(MalformedBodyTest, WholeBodyProblemsAreInvalidArgument) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {"", "otlp_http: body: is empty"},
      {"{not json", "otlp_http: body: is not valid JSON"},
      {"[]", "otlp_http: body: is not a JSON object"},
      {"\"resourceLogs\"", "otlp_http: body: is not a JSON object"},
      {R"({"resourceLogs":{"oops":1}})", "otlp_http: resourceLogs: is not an array"},
      {R"({"resourceLogs":"x"})", "otlp_http: resourceLogs: is not an array"},
      {R"({"resourceLogs":[1]})", "otlp_http: resourceLogs[0]"},
      {R"({"resourceLogs":[{"scopeLogs":{}}]})",
       "otlp_http: resourceLogs[0].scopeLogs: is not an array"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":7}]}]})",
       "otlp_http: resourceLogs[0].scopeLogs[0].logRecords: is not an array"},
      {R"({"resourceLogs":[{"resource":{"attributes":5}}]})",
       "otlp_http: resourceLogs[0].resource: attributes are malformed"},
      {R"({"resourceLogs":[]} trailing)", "otlp_http: body"},
      {R"({"resourceLogs":[],})", "otlp_http: body"},
  };
  for (const Case& c : cases) {
    auto result = DecodeLogs(c.body, {});
    EXPECT_THAT(result.status(), StatusIs(StatusCode::kInvalidArgument, StartsWith(c.message)))
        << c.body;
  }
}

TEST(MalformedBodyTest, TruncatedCaptureIsInvalidArgument) {
  std::string body = ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json");
  auto result = DecodeLogs(std::string_view(body).substr(0, body.size() / 2), {});
  EXPECT_THAT(result.status(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("otlp_http")));
}

TEST(MalformedBodyTest, WrongTopLevelTypesForMetricsAndTraces) {
  EXPECT_THAT(DecodeMetrics(R"({"resourceMetrics":{}})", {}).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       StartsWith("otlp_http: resourceMetrics: is not an array")));
  EXPECT_THAT(DecodeTraces(R"({"resourceSpans":3})", {}).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       StartsWith("otlp_http: resourceSpans: is not an array")));
  EXPECT_THAT(DecodeTraces("null", {}).status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(MalformedRecordTest, BadRecordsAreRejectedAndTheRestKept) {
  const std::string good =
      R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},"attributes":[{"key":"request_id","value":{"stringValue":"req_good"}}]})";
  struct Case {
    std::string record;
    const char* message;
  };
  const Case cases[] = {
      {"7", "is not an object"},
      {R"({"timeUnixNano":"soon","body":{"stringValue":"claude_code.api_request"}})",
       "timeUnixNano is not an int64"},
      {R"({"timeUnixNano":{"ns":1},"body":{"stringValue":"claude_code.api_request"}})",
       "timeUnixNano is not an int64"},
      {R"({"timeUnixNano":"1791447318137000000","attributes":{"a":1}})", "attributes is malformed"},
      {R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},"attributes":[{"key":"input_tokens","value":{"intValue":"12abc"}}]})",
       "input_tokens is not an integer"},
      {R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},"attributes":[{"key":"input_tokens","value":{"intValue":1.5}}]})",
       "input_tokens is not an integer"},
      {R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},"attributes":[{"key":"output_tokens","value":{"intValue":1e30}}]})",
       "output_tokens is not an integer"},
      {R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.api_request"},"attributes":[{"key":"cost_usd","value":{"doubleValue":-0.5}}]})",
       "cost_usd is negative (-0.5)"},
      {R"({"timeUnixNano":"1791447318137000000","body":{"stringValue":"claude_code.user_prompt"},"attributes":[{"key":"prompt_length","value":{"stringValue":"thirty"}}]})",
       "prompt_length is not an integer"},
      {R"({"timeUnixNano":"-5","body":{"stringValue":"claude_code.api_error"}})",
       "time is missing"},
  };
  for (const Case& c : cases) {
    std::string body = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[)";
    body.append(good).append(",").append(c.record).append(",").append(good).append("]}]}]}");
    DecodeResult r = Decoded(DecodeLogs(body, {}));
    EXPECT_EQ(r.rejected, 1) << c.record;
    EXPECT_THAT(r.error_message,
                StartsWith(std::string("otlp_http: resourceLogs[0].scopeLogs[0].logRecords[1]: ") +
                           c.message))
        << c.record;
    EXPECT_EQ(r.batch.usage.size(), 2u) << c.record;
  }
}

TEST(MalformedRecordTest, AnIgnoredAttributeWithABadValueIsNotAnError) {
  std::string body =
      R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1791447318137000000",
    "body":{"stringValue":"claude_code.api_request"},"attributes":[
    {"key":"request_id","value":{"stringValue":"req_x"}},
    {"key":"ttft_ms","value":{"intValue":"not a number"}},
    {"key":"weird","value":[1,2,3]}]}]}]}]})";
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.batch.usage.size(), 1u);
}

TEST(MalformedRecordTest, ErrorMessagesNeverEchoValues) {
  std::string body =
      R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1791447318137000000",
    "body":{"stringValue":"claude_code.api_request"},"attributes":[
    {"key":"input_tokens","value":{"stringValue":"secret-token-sk-live-123"}}]}]}]}]})";
  DecodeResult r = Decoded(DecodeLogs(body, {}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.error_message.find("secret"), std::string::npos) << r.error_message;
}

// Every prefix of real bodies, and random byte flips, decode or fail cleanly (run under ASan).
TEST(MalformedBodyTest, NoPrefixOrCorruptionCrashes) {
  const std::string bodies[] = {
      ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"),
      ReadTestdata("metrics_claude_code_delta_asint.json"),
      ReadTestdata("traces_genai_old_names.json"),
  };
  std::mt19937 rng(42);
  for (int which = 0; which < 3; ++which) {
    const std::string& body = bodies[which];
    for (size_t length = 0; length <= body.size(); length += 7) {
      std::string_view prefix(body.data(), length);
      (void)DecodeLogs(prefix, {});
      (void)DecodeMetrics(prefix, {});
      (void)DecodeTraces(prefix, {});
    }
    for (int round = 0; round < 300; ++round) {
      std::string corrupt = body;
      for (int flips = 0; flips < 3; ++flips) {
        size_t at = rng() % corrupt.size();
        corrupt[at] = "{}[]\":,0-e.\\ax"[rng() % 15];
      }
      (void)DecodeLogs(corrupt, {});
      (void)DecodeMetrics(corrupt, {});
      (void)DecodeTraces(corrupt, {});
    }
  }
}

}  // namespace
}  // namespace goodhart::receivers::otlp
