// otlp_decode_bench: DecodeLogs on bodies shaped like the Claude Code 2.1.294 capture (N
// api_request records with distinct request ids and sessions, ~27 attributes each), the same
// records as protobuf (ProtobufToJson, then DecodeLogs; the body encoded by libprotobuf), plus
// DecodeMetrics on Claude Code token counters. Reports bytes/s (of the body as sent) and events/s.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <string>

#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/protobuf.h"
#include "testdata/otlp_test.pb.h"  // protoc writes it into the build tree

namespace goodhart::receivers::otlp {
namespace {

std::string Str(const char* key, const std::string& value) {
  return fmt::format(R"({{"key":"{}","value":{{"stringValue":"{}"}}}})", key, value);
}
std::string Int(const char* key, int64_t value) {
  return fmt::format(R"({{"key":"{}","value":{{"intValue":{}}}}})", key, value);
}

constexpr const char* kResource =
    R"({"resource":{"attributes":[{"key":"org.role","value":{"stringValue":"worker-probe"}},)"
    R"({"key":"org.pane","value":{"stringValue":"probe-pane"}},)"
    R"({"key":"host.arch","value":{"stringValue":"amd64"}},)"
    R"({"key":"os.type","value":{"stringValue":"linux"}},)"
    R"({"key":"os.version","value":{"stringValue":"7.0.0-38-generic"}},)"
    R"({"key":"service.name","value":{"stringValue":"claude-code"}},)"
    R"({"key":"service.version","value":{"stringValue":"2.1.294"}}],"droppedAttributesCount":0},)";

std::string ApiRequestLogs(int64_t count) {
  std::string body = R"({"resourceLogs":[)";
  body += kResource;
  body +=
      R"("scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.294"},"logRecords":[)";
  for (int64_t n = 0; n < count; ++n) {
    const int64_t t_ms = 1791447318137 + n * 37;
    if (n > 0)
      body += ',';
    body += fmt::format(
        R"({{"timeUnixNano":"{}000000","observedTimeUnixNano":"{}000000","body":{{"stringValue":"claude_code.api_request"}},"attributes":[)",
        t_ms, t_ms);
    body += Str("org.role", "worker-probe") + ",";
    body += Str("org.pane", "probe-pane") + ",";
    body += Str("user.id", fmt::format("{:064x}", n % 200)) + ",";
    body += Str("session.id", fmt::format("eec3945a-5a85-4c3c-9aa2-{:012x}", n / 50)) + ",";
    body += Str("organization.id", "6f1d0c1e-0000-4000-8000-000000000001") + ",";
    body += Str("user.email", fmt::format("user{}@example.com", n % 200)) + ",";
    body += Str("user.account_uuid", fmt::format("00000000-0000-4000-8000-{:012x}", n % 200)) + ",";
    body += Str("user.account_id", fmt::format("user_01{:020}", n % 200)) + ",";
    body += Str("terminal.type", "xterm-256color") + ",";
    body += Str("event.name", "api_request") + ",";
    body += Str("event.timestamp", "2026-10-08T08:15:18.137Z") + ",";
    body += Int("event.sequence", n) + ",";
    body += Str("prompt.id", fmt::format("a50257c3-696f-46fc-9f50-{:012x}", n / 5)) + ",";
    body += Str("model", "claude-haiku-5-5") + ",";
    body += Int("input_tokens", 2 + n % 17) + ",";
    body += Int("output_tokens", 4 + n % 301) + ",";
    body += Int("cache_read_tokens", 9179 + n % 1000) + ",";
    body += Int("cache_creation_tokens", 13356) + ",";
    body += R"({"key":"cost_usd","value":{"doubleValue":0.0027651900000000003}},)";
    body += Int("cost_usd_micros", 2765) + ",";
    body += Int("duration_ms", 742) + ",";
    body += Int("ttft_ms", 729) + ",";
    body += Str("request_id", fmt::format("req_011C{:020}", n)) + ",";
    body += Str("client_request_id", fmt::format("6c711657-a9c5-4866-a954-{:012x}", n)) + ",";
    body += Str("speed", "normal") + ",";
    body += Str("query_source", "sdk") + ",";
    body += Str("effort", "medium");
    body += R"(],"droppedAttributesCount":0})";
  }
  body += "]}]}]}";
  return body;
}

std::string TokenUsageMetrics(int64_t count) {
  static constexpr const char* kTypes[] = {"input", "output", "cacheRead", "cacheCreation"};
  std::string body = R"({"resourceMetrics":[)";
  body += kResource;
  body +=
      R"("scopeMetrics":[{"scope":{"name":"com.anthropic.claude_code","version":"2.1.294"},)"
      R"("metrics":[{"name":"claude_code.token.usage","unit":"tokens","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[)";
  for (int64_t n = 0; n < count; ++n) {
    if (n > 0)
      body += ',';
    body += R"({"attributes":[)";
    body += Str("user.email", fmt::format("user{}@example.com", n % 200)) + ",";
    body += Str("session.id", fmt::format("eec3945a-5a85-4c3c-9aa2-{:012x}", n / 4)) + ",";
    body += Str("organization.id", "6f1d0c1e-0000-4000-8000-000000000001") + ",";
    body += Str("model", "claude-haiku-5-5") + ",";
    body += Str("query_source", "main") + ",";
    body += Str("type", kTypes[n % 4]);
    body += fmt::format(
        R"(],"startTimeUnixNano":"1791447300000000000","timeUnixNano":"1791447360000000000","asInt":"{}"}})",
        100 + n);
  }
  body += "]}}]}]}]}";
  return body;
}

void BM_DecodeLogsApiRequest(benchmark::State& state) {
  const std::string body = ApiRequestLogs(state.range(0));
  size_t events = 0;
  for (auto _ : state) {
    auto result = DecodeLogs(body, {});
    if (!result.ok() || result->batch.usage.size() != static_cast<size_t>(state.range(0))) {
      state.SkipWithError("decode failed");
      break;
    }
    events = result->batch.usage.size();
    benchmark::DoNotOptimize(result->batch.usage.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(events));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_DecodeLogsApiRequest)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000);

// ApiRequestLogs(count) as protobuf, encoded by libprotobuf; "" if it could not be.
std::string ApiRequestLogsProtobuf(int64_t count) {
  goodhart_test::otlp::ExportLogsServiceRequest request;
  if (!google::protobuf::util::JsonStringToMessage(ApiRequestLogs(count), &request).ok())
    return "";
  return request.SerializeAsString();
}

void BM_DecodeLogsApiRequestProtobuf(benchmark::State& state) {
  const std::string body = ApiRequestLogsProtobuf(state.range(0));
  if (body.empty()) {
    state.SkipWithError("libprotobuf could not encode the body");
    return;
  }
  for (auto _ : state) {
    auto json = ProtobufToJson(body, OtlpSignal::kLogs);
    auto result = json.ok() ? DecodeLogs(*json, {}) : Result<DecodeResult>(json.status());
    if (!result.ok() || result->batch.usage.size() != static_cast<size_t>(state.range(0))) {
      state.SkipWithError("decode failed");
      break;
    }
    benchmark::DoNotOptimize(result->batch.usage.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_DecodeLogsApiRequestProtobuf)->Arg(100)->Arg(1000);

// The protobuf path's first step alone: the request rewritten as OTLP JSON.
void BM_ProtobufToJsonApiRequest(benchmark::State& state) {
  const std::string body = ApiRequestLogsProtobuf(state.range(0));
  if (body.empty()) {
    state.SkipWithError("libprotobuf could not encode the body");
    return;
  }
  size_t json_bytes = 0;
  for (auto _ : state) {
    auto json = ProtobufToJson(body, OtlpSignal::kLogs);
    if (!json.ok()) {
      state.SkipWithError("transcoding failed");
      break;
    }
    json_bytes = json->size();
    benchmark::DoNotOptimize(json->data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["json_bytes"] = static_cast<double>(json_bytes);
}
BENCHMARK(BM_ProtobufToJsonApiRequest)->Arg(1000);

void BM_DecodeMetricsTokenUsage(benchmark::State& state) {
  const std::string body = TokenUsageMetrics(state.range(0));
  for (auto _ : state) {
    auto result = DecodeMetrics(body, {});
    if (!result.ok() || result->batch.usage.size() != static_cast<size_t>(state.range(0))) {
      state.SkipWithError("decode failed");
      break;
    }
    benchmark::DoNotOptimize(result->batch.usage.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_DecodeMetricsTokenUsage)->Arg(1000);

}  // namespace
}  // namespace goodhart::receivers::otlp

BENCHMARK_MAIN();
