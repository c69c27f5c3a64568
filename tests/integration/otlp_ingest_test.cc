// The real goodhart binary on 127.0.0.1, driven over HTTP: idempotent retries, crash safety
// (SIGKILL mid-stream), prompt privacy on disk, and bad input answered with 4xx.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/store/embedded/embedded_store.h"
#include "testdata/otlp_test.pb.h"  // protoc writes it into the build tree (otlp_http)
#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

json IngestStatus(const ServerProcess& server) {
  auto res = server.Client()->Get("/api/v1/ingest/status");
  EXPECT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  return json::parse(res->body);
}

httplib::Result PostLogs(httplib::Client& client, const std::string& body) {
  return client.Post("/v1/logs", body, "application/json");
}

// Every request_id stored, read back with `goodhart store export`.
std::multiset<std::string> StoredRequestIds(const std::string& data_dir) {
  auto r = RunGoodhart({"store", "export", "--data", data_dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::multiset<std::string> ids;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty())
      continue;
    auto j = json::parse(line);
    if (j.contains("request_id"))
      ids.insert(j["request_id"].get<std::string>());
  }
  return ids;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(OtlpIngestTest, SameBodyTwiceIsStoredOnce) {
  TempDir dir;
  ServerProcess server(dir.path());
  auto client = server.Client();
  std::string body = ClaudeCodeApiRequestLogs({.first_request = 0, .count = 100});
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto res = PostLogs(*client, body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->body, "{}");
  }
  json status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 100);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_stored"], 100);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_duplicate"], 100);
  server.Terminate();
  auto ids = StoredRequestIds(dir.path());
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 100u);
}

TEST(OtlpIngestTest, GzipBodiesAreAccepted) {
  TempDir dir;
  ServerProcess server(dir.path());
  auto client = server.Client();
  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  auto res = client->Post("/v1/logs", headers,
                          Gzip(ClaudeCodeApiRequestLogs({.first_request = 7, .count = 3})),
                          "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 3);
}

TEST(OtlpIngestTest, BadInputGetsA4xxAndNothingIsStored) {
  TempDir dir;
  ServerProcess server(dir.path(), {});
  auto client = server.Client();

  auto res = PostLogs(*client, "{not json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("otlp_http"), std::string::npos) << res->body;

  res = PostLogs(*client, R"({"resourceLogs":{"oops":1}})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;

  res = client->Post("/v1/logs", "resourceLogs=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  EXPECT_EQ(json::parse(res->body)["code"], 3) << res->body;
  EXPECT_NE(res->body.find("http/protobuf"), std::string::npos) << res->body;

  // A gzip body that expands past the decompressed limit (64 MiB by default) is refused.
  std::string bomb = Gzip(std::string(65 << 20, ' '));
  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  res = client->Post("/v1/logs", headers, bomb, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413) << res->body;
  EXPECT_EQ(json::parse(res->body)["code"], 8) << res->body;  // RESOURCE_EXHAUSTED

  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 0);
}

// The two limits are told apart: the body as sent (server.body_limit_bytes, enforced while it is
// read) and after decompression (server.decompressed_limit_bytes).
TEST(OtlpIngestTest, EachBodyLimitIsNamedInItsAnswer) {
  TempDir config_dir, dir;
  const std::string config = config_dir.path() + "/goodhart.yaml";
  std::ofstream(config) << "server: {body_limit_bytes: 2000, decompressed_limit_bytes: 4000}\n";
  ServerProcess server(dir.path(), {"--config", config});
  auto client = server.Client();
  auto res = PostLogs(*client, std::string(3000, ' '));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["message"], "otlp_http: body: larger than 2000 bytes as sent")
      << res->body;
  res = client->Post("/v1/logs", {{"Content-Encoding", "gzip"}}, Gzip(std::string(5000, ' ')),
                     "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["message"],
            "otlp_http: body: larger than 4000 bytes after decompression")
      << res->body;
}

// `goodhart ingest` of a file with one OTLP request per line (the OpenTelemetry Collector's file
// exporter): each line is decoded on its own; a line that is not OTLP is rejected alone.
TEST(OtlpIngestTest, IngestTakesAFileOfOneRequestPerLine) {
  TempDir dir;
  const std::string first = ClaudeCodeApiRequestLogs({.first_request = 0, .count = 3});
  const std::string second = ClaudeCodeApiRequestLogs({.first_request = 3, .count = 2});
  ASSERT_EQ(first.find('\n'), std::string::npos);
  const std::string path = dir.path() + "/collector-export.json";
  // Logs, metrics (no AI usage in them: accepted, nothing stored), a blank line, logs, a line
  // that is JSON but not OTLP, and one that is OTLP but malformed.
  std::ofstream(path) << first << "\n"
                      << json::parse(ReadCorpus("opentelemetry-proto/examples/metrics.json")).dump()
                      << "\n\n"
                      << second << "\n"
                      << R"({"nope":1})"
                      << "\n"
                      << R"({"resourceLogs":{"oops":1}})"
                      << "\n";
  CommandResult r =
      RunGoodhart({"ingest", "--format", "json", "--data", dir.path() + "/data", path});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // two lines rejected
  json outcome = json::parse(r.out)[0];
  EXPECT_EQ(outcome["format"], "otlp_logs");
  EXPECT_EQ(outcome["stored"], 5);
  EXPECT_EQ(outcome["rejected"], 2);
  ASSERT_EQ(outcome["errors"].size(), 2u) << outcome.dump();
  EXPECT_EQ(outcome["errors"][0].get<std::string>().rfind("line 5: not an OTLP export request", 0),
            0u)
      << outcome.dump();
  EXPECT_EQ(outcome["errors"][1].get<std::string>().rfind("line 6: otlp_http: ", 0), 0u)
      << outcome.dump();
  // Again: every record is there already.
  r = RunGoodhart({"ingest", "--format", "json", "--data", dir.path() + "/data", path});
  EXPECT_EQ(json::parse(r.out)[0]["duplicates"], 5) << r.out;
}

// A file read as lines only when its first line is a whole JSON object: a pretty-printed or
// truncated request fails as one, with the decoder's message, not one error per line. A UTF-8
// byte order mark before either form is skipped.
TEST(OtlpIngestTest, IngestReadsLinesOnlyWhenTheFileIsLines) {
  TempDir dir;
  const std::string first = ClaudeCodeApiRequestLogs({.first_request = 0, .count = 3});
  const std::string second = ClaudeCodeApiRequestLogs({.first_request = 3, .count = 2});
  auto ingest = [&](const std::string& name, const std::string& content) {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    CommandResult r =
        RunGoodhart({"ingest", "--format", "json", "--data", dir.path() + "/data", path});
    return std::make_pair(r.exit_code, json::parse(r.out.empty() ? "[{}]" : r.out)[0]);
  };
  auto [bom_code, bom] = ingest("bom-lines.json", "\xEF\xBB\xBF" + first + "\n" + second + "\n");
  EXPECT_EQ(bom_code, 0) << bom.dump();
  EXPECT_EQ(bom["stored"], 5) << bom.dump();
  auto [one_code, one] = ingest("bom-one.json", "\xEF\xBB\xBF" + json::parse(second).dump(2));
  EXPECT_EQ(one_code, 0) << one.dump();
  EXPECT_EQ(one["duplicates"], 2) << one.dump();

  const std::string pretty_bad = json{{"resourceLogs", {{"oops", 1}}}}.dump(2);
  const std::string truncated = json::parse(first).dump(2).substr(0, 400);
  for (const std::string& content : {pretty_bad, truncated}) {
    auto [code, outcome] = ingest("bad.json", content);
    EXPECT_EQ(code, 1) << outcome.dump();
    ASSERT_EQ(outcome["errors"].size(), 1u) << outcome.dump();
    const std::string error = outcome["errors"][0];
    EXPECT_NE(error.rfind("line ", 0), 0u) << error;
    EXPECT_NE(error.find("otlp_http: "), std::string::npos) << error;
  }
}

// OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf: the same events as JSON, answered in protobuf.
TEST(OtlpIngestTest, ProtobufBodiesAreStoredOnceAndAnsweredInProtobuf) {
  TempDir dir;
  ServerProcess server(dir.path(), {});
  auto client = server.Client();
  goodhart_test::otlp::ExportLogsServiceRequest request;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ClaudeCodeApiRequestLogs({.first_request = 0, .count = 50}), &request)
                  .ok());
  const std::string body = request.SerializeAsString();
  for (int attempt = 0; attempt < 2; ++attempt) {  // a retry stores nothing new
    auto res = client->Post("/v1/logs", body, "application/x-protobuf");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-protobuf");
    EXPECT_EQ(res->body, "");  // an empty ExportLogsServiceResponse: all accepted
  }
  // The same events as JSON are the same events: stored already.
  auto res = PostLogs(*client, ClaudeCodeApiRequestLogs({.first_request = 0, .count = 50}));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  json status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 50);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_stored"], 50);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_duplicate"], 100);

  // Malformed protobuf: 400 with a google.rpc.Status in protobuf.
  res = client->Post("/v1/logs", std::string("\x0a\x05\x01", 3), "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-protobuf");
  goodhart_test::otlp::RpcStatus error;
  ASSERT_TRUE(error.ParseFromString(res->body));
  EXPECT_EQ(error.code(), 3);  // INVALID_ARGUMENT
  EXPECT_EQ(error.message().rfind("otlp_http: protobuf: body: ", 0), 0u) << error.message();

  // A record rejected: partial success in protobuf, the rest stored.
  json one = json::parse(ClaudeCodeApiRequestLogs({.first_request = 100, .count = 2}));
  auto& records = one["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
  for (auto& attribute : records[1]["attributes"]) {
    if (attribute["key"] == "input_tokens")
      attribute["value"] = {{"intValue", "-4"}};
  }
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(one.dump(), &request).ok());
  res = client->Post("/v1/logs", request.SerializeAsString(), "application/x-protobuf");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  goodhart_test::otlp::ExportLogsServiceResponse partial;
  ASSERT_TRUE(partial.ParseFromString(res->body));
  EXPECT_EQ(partial.partial_success().rejected_log_records(), 1);
  EXPECT_NE(partial.partial_success().error_message().find("input_tokens is negative"),
            std::string::npos)
      << partial.partial_success().error_message();
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 51);
}

// The other signals, gzip, a Content-Type with parameters, a body keyed by its content, and the
// limit on the JSON a protobuf body may become.
TEST(OtlpIngestTest, ProtobufOnEverySignalAndItsLimit) {
  TempDir config_dir, dir;
  const std::string config = config_dir.path() + "/goodhart.yaml";
  std::ofstream(config) << "server: {decompressed_limit_bytes: 4096}\n";
  ServerProcess server(dir.path(), {"--config", config});
  auto client = server.Client();
  auto post = [&](const std::string& path, const std::string& body,
                  const httplib::Headers& headers = {}) {
    auto res = client->Post(path, headers, body, "application/x-protobuf; proto=otlp");
    EXPECT_TRUE(res);
    return res;
  };
  goodhart_test::otlp::ExportMetricsServiceRequest metrics;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadCorpus("opentelemetry-proto/examples/metrics.json"), &metrics)
                  .ok());
  auto res = post("/v1/metrics", Gzip(metrics.SerializeAsString()), {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-protobuf");
  goodhart_test::otlp::ExportTraceServiceRequest traces;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadCorpus("opentelemetry-proto/examples/trace.json"), &traces)
                  .ok());
  res = post("/v1/traces", traces.SerializeAsString());
  EXPECT_EQ(res->status, 200) << res->body;
  json status = IngestStatus(server);
  EXPECT_EQ(status["receivers"]["otlp_metrics"]["requests"], 1);
  EXPECT_EQ(status["receivers"]["otlp_traces"]["requests"], 1);
  EXPECT_EQ(status["receivers"]["otlp_traces"]["requests_failed"], 0);

  // A record with no request id or sequence is keyed by its content: a retry is a duplicate.
  std::string example = ReadCorpus("opentelemetry-proto/examples/logs.json");
  const std::string name = "\"Example log record\"";
  ASSERT_NE(example.find(name), std::string::npos);
  example.replace(example.find(name), name.size(), "\"claude_code.tool_result\"");
  goodhart_test::otlp::ExportLogsServiceRequest logs;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(example, &logs).ok());
  for (int attempt = 0; attempt < 2; ++attempt)
    EXPECT_EQ(post("/v1/logs", logs.SerializeAsString())->status, 200);
  status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 1);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_duplicate"], 1);

  // 3,000 control characters: 3 KB of protobuf, under the 4 KB limit, but 18 KB of JSON.
  logs.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0)->set_event_name(
      std::string(3000, '\x01'));
  res = post("/v1/logs", logs.SerializeAsString());
  EXPECT_EQ(res->status, 413);
  goodhart_test::otlp::RpcStatus error;
  ASSERT_TRUE(error.ParseFromString(res->body));
  EXPECT_EQ(error.code(), 8);  // RESOURCE_EXHAUSTED
  EXPECT_NE(error.message().find("its JSON form is larger than"), std::string::npos)
      << error.message();
}

// An empty body as the first request a server thread reads wrote the decoder's padding through a
// null buffer and killed the server (found by OpenApiTest's nonsense requests).
TEST(OtlpIngestTest, AnEmptyBodyIsA400AndTheServerStaysUp) {
  TempDir dir;
  ServerProcess server(dir.path(), {});
  auto client = server.Client();
  for (const char* path : {"/v1/logs", "/v1/metrics", "/v1/traces"}) {
    auto res = client->Post(path, "", "application/json");
    ASSERT_TRUE(res) << path << ": no answer";
    EXPECT_EQ(res->status, 400) << path << ": " << res->body;
    // OTLP/HTTP's error body is a google.rpc.Status: code 3 is INVALID_ARGUMENT.
    EXPECT_EQ(json::parse(res->body)["code"], 3) << res->body;
  }
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(OtlpIngestTest, InvalidRecordsArePartialSuccess) {
  TempDir dir;
  ServerProcess server(dir.path());
  std::string body = ClaudeCodeApiRequestLogs({.first_request = 0, .count = 3});
  // Make the second record's output_tokens negative.
  auto at = body.find(R"("output_tokens","value":{"intValue":)",
                      body.find("req_000000000000000000000001") - 400);
  ASSERT_NE(at, std::string::npos);
  body.insert(at + std::string(R"("output_tokens","value":{"intValue":)").size(), "-");
  auto res = PostLogs(*server.Client(), body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  json reply = json::parse(res->body);
  EXPECT_EQ(reply["partialSuccess"]["rejectedLogRecords"], "1");
  EXPECT_NE(reply["partialSuccess"]["errorMessage"].get<std::string>().find("output_tokens"),
            std::string::npos);
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 2);
}

TEST(OtlpIngestTest, PromptTextNeverReachesDiskButItsSketchDoes) {
  const std::string prompt =
      "Refactor the quokka-zeppelin-9137 billing reconciler so that ledger entries are grouped by "
      "merchant before settlement";
  TempDir dir;
  // An hour ago: the server's retention pass purges sketches older than 30 days.
  const int64_t an_hour_ago = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count() -
                              3'600'000;
  {
    ServerProcess server(dir.path());
    auto res = PostLogs(*server.Client(),
                        ClaudeCodeUserPromptLogs("sess-privacy", 3, prompt, an_hour_ago));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(IngestStatus(server)["store"]["prompt_sketches"], 1);
    server.Kill();  // no clean shutdown: WAL and journal files stay as they are
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file())
      continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("quokka-zeppelin-9137"), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find("reconciler"), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 2);
  // The sketch is there, and it is the keyed sketch of that text.
  std::ifstream key_file(std::filesystem::path(dir.path()) / "sketch.key");
  std::string key;
  std::getline(key_file, key);
  auto expected = processors::PromptSketcher(key).Sketch(prompt);
  auto opened = store::OpenEmbeddedStore({.data_dir = dir.path()});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto sketches = (*opened)->QueryPromptSketches({.from_day = 0, .to_day = 100000});
  ASSERT_TRUE(sketches.ok());
  ASSERT_EQ(sketches->size(), 1u);
  EXPECT_EQ((*sketches)[0].sketch, expected);
  EXPECT_EQ((*sketches)[0].actor, "alice@example.com");
}

// Two client threads stream requests; the server is SIGKILLed mid-stream. After a restart every
// request that got a 200 is in the store, and nothing is stored twice.
TEST(OtlpIngestTest, AcknowledgedRequestsSurviveSigkillExactlyOnce) {
  TempDir dir;
  constexpr int kEventsPerRequest = 50;
  std::mutex mu;
  std::vector<int64_t> acknowledged;  // first request index of each acknowledged body
  std::atomic<int64_t> next_body{0};
  std::atomic<bool> stop{false};
  {
    ServerProcess server(dir.path());
    auto sender = [&] {
      auto client = server.Client();
      while (!stop) {
        int64_t b = next_body++;
        auto res =
            PostLogs(*client, ClaudeCodeApiRequestLogs({.first_request = b * kEventsPerRequest,
                                                        .count = kEventsPerRequest}));
        if (res && res->status == 200) {
          std::lock_guard lock(mu);
          acknowledged.push_back(b);
        }
      }
    };
    std::thread a(sender), b(sender);
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(mu);
      if (acknowledged.size() >= 40)
        break;
    }
    server.Kill();
    stop = true;
    a.join();
    b.join();
  }
  ASSERT_GE(acknowledged.size(), 40u);
  // Restart on the same data directory: it opens and serves.
  {
    ServerProcess server(dir.path());
    EXPECT_GE(IngestStatus(server)["store"]["usage_events"].get<int64_t>(),
              static_cast<int64_t>(acknowledged.size()) * kEventsPerRequest);
  }
  auto ids = StoredRequestIds(dir.path());
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << "an event was stored twice";
  for (int64_t b : acknowledged) {
    for (int64_t i = 0; i < kEventsPerRequest; ++i) {
      std::string id = fmt::format("req_{:024}", b * kEventsPerRequest + i);
      ASSERT_TRUE(unique.count(id)) << "acknowledged " << id << " is missing";
    }
  }
}

}  // namespace
}  // namespace goodhart::testing
