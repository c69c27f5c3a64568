// Provider usage normalisation, checked against every recorded exchange in the
// otel-python-contrib cassettes (real Anthropic and OpenAI responses, JSON and SSE), with the
// expected buckets read off each cassette by hand.
#include "goodhart/receivers/file/provider_usage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::CorpusPath;
using ::goodhart::testing::StatusIs;
using model::TokenCounts;
using ::testing::HasSubstr;

struct Exchange {
  std::string uri, content_type, body;
  int status = 0;
};

// The first (and, in this corpus, only) interaction of a VCR.py cassette.
Exchange ReadCassette(const std::filesystem::path& path) {
  YAML::Node doc = YAML::LoadFile(path.string());
  YAML::Node interaction = doc["interactions"][0];
  Exchange x;
  x.uri = interaction["request"]["uri"].as<std::string>();
  YAML::Node response = interaction["response"];
  x.status = response["status"]["code"].as<int>();
  YAML::Node body = response["body"];
  x.body = body.IsMap() ? body["string"].as<std::string>() : body.as<std::string>();
  for (const auto& header : response["headers"]) {
    std::string name = header.first.as<std::string>();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "content-type") {
      x.content_type = header.second.IsSequence() ? header.second[0].as<std::string>()
                                                  : header.second.as<std::string>();
    }
  }
  return x;
}

Result<TokenCounts> Normalize(const Exchange& x) {
  bool anthropic = x.uri.find("api.anthropic.com") != std::string::npos;
  bool stream = x.content_type.starts_with("text/event-stream");
  if (anthropic)
    return stream ? UsageFromAnthropicStream(x.body) : NormalizeAnthropicUsage(x.body);
  return stream ? UsageFromOpenAiStream(x.body) : NormalizeOpenAiUsage(x.body);
}

TokenCounts T(int64_t input_uncached, int64_t output) {
  return {.input_uncached = input_uncached, .output = output};
}

TEST(ProviderUsageTest, EveryCassetteNormalisesToTheNumbersItHolds) {
  // nullopt: the exchange is an error response or a stream without usage.
  const std::map<std::string, std::optional<TokenCounts>> expected = {
      // Anthropic Messages API (input_tokens excludes cache; all these recordings had no cache).
      {"test_stream_wrapper_finalize_idempotent.yaml", T(13, 5)},
      {"test_sync_messages_create_aggregates_cache_tokens.yaml", T(13, 5)},
      {"test_sync_messages_create_api_error.yaml", std::nullopt},
      {"test_sync_messages_create_basic.yaml", T(13, 5)},
      {"test_sync_messages_create_captures_content.yaml", T(13, 5)},
      {"test_sync_messages_create_captures_thinking_content.yaml", T(46, 417)},
      {"test_sync_messages_create_captures_tool_use_content.yaml", T(386, 34)},
      {"test_sync_messages_create_event_only_no_content_in_span.yaml", T(13, 5)},
      {"test_sync_messages_create_instrumentation_error_swallowed.yaml", T(13, 5)},
      {"test_sync_messages_create_stop_reason.yaml", T(10, 11)},
      {"test_sync_messages_create_stream_propagation_error.yaml", T(13, 5)},
      {"test_sync_messages_create_streaming.yaml", T(13, 5)},  // message_start said output 2
      {"test_sync_messages_create_streaming_aggregates_cache_tokens.yaml", T(13, 5)},
      {"test_sync_messages_create_streaming_captures_content.yaml", T(13, 5)},
      {"test_sync_messages_create_streaming_delegates_response_attribute.yaml", T(10, 11)},
      {"test_sync_messages_create_streaming_iteration.yaml", T(10, 11)},  // placeholder 1
      {"test_sync_messages_create_streaming_user_exception.yaml", T(13, 5)},
      {"test_sync_messages_create_token_usage.yaml", T(12, 17)},
      {"test_sync_messages_create_with_all_params.yaml", T(10, 18)},
      {"test_sync_messages_stream.yaml", T(13, 5)},
      {"test_sync_messages_stream_api_error.yaml", std::nullopt},
      {"test_sync_messages_stream_captures_content.yaml", T(13, 5)},
      {"test_sync_messages_stream_closed_early_by_caller.yaml", T(13, 5)},
      {"test_sync_messages_stream_delegates_response_attribute.yaml", T(10, 11)},
      {"test_sync_messages_stream_interrupted_mid_iteration.yaml", T(13, 5)},
      {"test_sync_messages_stream_user_exception.yaml", T(13, 5)},
      // OpenAI Chat Completions and Responses (input includes cached; none cached here).
      {"test_chat_completion_streaming.yaml", T(12, 5)},
      {"test_chat_completion_streaming_not_complete.yaml", std::nullopt},  // no usage chunk
      {"test_chat_completion_with_content.yaml", T(12, 5)},
      {"test_chat_completion_with_content_span_unsampled.yaml", T(12, 5)},
      {"test_responses_create_aggregates_cache_tokens[content_mode0].yaml", T(22, 6)},
      {"test_responses_create_streaming[content_mode0].yaml", T(22, 6)},
      {"test_responses_create_streaming_aggregates_cache_tokens[content_mode0].yaml", T(22, 6)},
      {"test_responses_create_token_usage[content_mode0].yaml", T(22, 22)},
      {"test_responses_create_with_content_shapes[content_mode0].yaml", T(22, 6)},
      {"test_responses_create_with_content_span_unsampled[content_mode0].yaml", T(22, 6)},
  };
  int seen = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           CorpusPath("otel-python-contrib-genai-cassettes"))) {
    if (entry.path().extension() != ".yaml")
      continue;
    ++seen;
    std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    auto want = expected.find(name);
    ASSERT_NE(want, expected.end()) << "a cassette this test does not know";
    Exchange x = ReadCassette(entry.path());
    auto got = Normalize(x);
    if (!want->second) {
      EXPECT_FALSE(got.ok());
      if (x.status >= 400) {
        EXPECT_THAT(got.status(), StatusIs(StatusCode::kInvalidArgument,
                                           HasSubstr("API error: not_found_error")));
      } else {
        EXPECT_THAT(got.status(), StatusIs(StatusCode::kNotFound, HasSubstr("no usage")));
      }
      continue;
    }
    EXPECT_EQ(x.status, 200);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, *want->second);
  }
  EXPECT_EQ(seen, static_cast<int>(expected.size()));
}

TEST(ProviderUsageTest, AnthropicStreamFinalOutputCountWinsOverThePlaceholder) {
  Exchange x =
      ReadCassette(CorpusPath("otel-python-contrib-genai-cassettes/instrumentation-genai/"
                              "opentelemetry-instrumentation-anthropic/tests/cassettes/"
                              "test_sync_messages_create_streaming.yaml"));
  ASSERT_THAT(x.body, HasSubstr("\"output_tokens\":2,"));  // message_start's placeholder
  ASSERT_THAT(x.body, HasSubstr("\"output_tokens\":5}"));  // message_delta's final count
  auto t = UsageFromAnthropicStream(x.body);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->output, 5);  // neither 2 nor 2 + 5
  EXPECT_EQ(t->input_uncached, 13);
}

TEST(ProviderUsageTest, AnthropicCacheBucketsStayDisjoint) {
  auto flat = NormalizeAnthropicUsage(
      R"({"input_tokens": 5, "cache_creation_input_tokens": 1200,
          "cache_read_input_tokens": 3000, "output_tokens": 40})");
  ASSERT_TRUE(flat.ok()) << flat.status().ToString();
  EXPECT_EQ(
      *flat,
      (TokenCounts{.input_uncached = 5, .cache_read = 3000, .cache_write = 1200, .output = 40}));
  auto split = NormalizeAnthropicUsage(
      R"({"type": "message", "usage": {"input_tokens": 5, "cache_read_input_tokens": 0,
          "cache_creation": {"ephemeral_5m_input_tokens": 700, "ephemeral_1h_input_tokens": 500},
          "output_tokens": 40}})");
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(split->cache_write, 1200);
  EXPECT_THAT(NormalizeAnthropicUsage(R"({"input_tokens": -1})").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("anthropic_usage: input_tokens is negative (-1)")));
  EXPECT_THAT(NormalizeAnthropicUsage("{").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not JSON")));
  EXPECT_THAT(NormalizeAnthropicUsage(R"({"id": "msg_1"})").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no usage")));
}

TEST(ProviderUsageTest, AnthropicStreamDeltaFieldsReplaceStartFields) {
  // Newer streams repeat cumulative input and cache counts in message_delta.
  std::string sse =
      "event: message_start\n"
      "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":4,"
      "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}\n\n"
      "event: ping\ndata: {\"type\": \"ping\"}\n\n"
      "event: message_delta\r\n"
      "data: {\"type\":\"message_delta\",\"usage\":{\"input_tokens\":4,"
      "\"cache_read_input_tokens\":900,\"output_tokens\":77}}\r\n\r\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  auto t = UsageFromAnthropicStream(sse);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, (TokenCounts{.input_uncached = 4, .cache_read = 900, .output = 77}));

  std::string error =
      "event: message_start\n"
      "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":4,"
      "\"output_tokens\":1}}}\n\n"
      "event: error\n"
      "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
      "\"Overloaded\"}}\n\n";
  EXPECT_THAT(UsageFromAnthropicStream(error).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("overloaded_error (Overloaded)")));
  EXPECT_THAT(UsageFromAnthropicStream("").status(), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(UsageFromAnthropicStream("data: {not json\n\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("event 0")));
}

TEST(ProviderUsageTest, OpenAiCachedAndReasoningTokens) {
  auto chat = NormalizeOpenAiUsage(
      R"({"id": "chatcmpl-1", "usage": {"prompt_tokens": 1000, "completion_tokens": 500,
          "total_tokens": 1500, "prompt_tokens_details": {"cached_tokens": 800},
          "completion_tokens_details": {"reasoning_tokens": 120}}})");
  ASSERT_TRUE(chat.ok()) << chat.status().ToString();
  EXPECT_EQ(*chat, (TokenCounts{
                       .input_uncached = 200, .cache_read = 800, .output = 500, .reasoning = 120}));
  auto responses = NormalizeOpenAiUsage(
      R"({"input_tokens": 2006, "input_tokens_details": {"cached_tokens": 1920},
          "output_tokens": 300, "output_tokens_details": {"reasoning_tokens": 256}})");
  ASSERT_TRUE(responses.ok()) << responses.status().ToString();
  EXPECT_EQ(
      *responses,
      (TokenCounts{.input_uncached = 86, .cache_read = 1920, .output = 300, .reasoning = 256}));
  EXPECT_THAT(NormalizeOpenAiUsage(
                  R"({"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 20}})")
                  .status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("exceeds total input")));
  EXPECT_THAT(NormalizeOpenAiUsage(R"({"error": {"type": "invalid_request_error",
                                       "message": "bad model"}})")
                  .status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid_request_error")));
}

TEST(ProviderUsageTest, OpenAiStreamResponsesCompletedAndFailed) {
  std::string ok =
      "event: response.created\n"
      "data: {\"type\":\"response.created\",\"response\":{\"error\":null,\"usage\":null}}\n\n"
      "event: response.completed\n"
      "data: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":50,"
      "\"input_tokens_details\":{\"cached_tokens\":10},\"output_tokens\":9,"
      "\"output_tokens_details\":{\"reasoning_tokens\":4}}}}\n\n";
  auto t = UsageFromOpenAiStream(ok);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, (TokenCounts{.input_uncached = 40, .cache_read = 10, .output = 9, .reasoning = 4}));
  std::string failed =
      "event: response.failed\n"
      "data: {\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":\"server_error\","
      "\"message\":\"boom\"},\"usage\":null}}\n\n";
  EXPECT_THAT(UsageFromOpenAiStream(failed).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("reports an error")));
  EXPECT_THAT(UsageFromOpenAiStream("data: [DONE]\n\n").status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("include_usage")));
}

}  // namespace
}  // namespace goodhart::receivers::file
