// OTLP/gRPC through the real binary (`goodhart serve --grpc-listen`): a gRPC client sends
// libprotobuf-encoded Export requests, as OTEL_EXPORTER_OTLP_PROTOCOL=grpc exporters do, and
// reads the answers and gRPC status codes the OTLP specification defines.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "goodhart/base/testing/testdata.h"
#include "testdata/otlp_test.pb.h"  // protoc writes it into the build tree (otlp_http)
#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

constexpr char kLogsExport[] = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
constexpr char kMetricsExport[] = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
constexpr char kTraceExport[] = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

struct Answer {
  grpc::Status status;
  std::string body;
};

// One unary call of `method` with `request` as its message.
Answer Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
            const std::string& request,
            grpc_compression_algorithm compression = GRPC_COMPRESS_NONE) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  context.set_compression_algorithm(compression);
  grpc::Slice slice(request);
  grpc::ByteBuffer message(&slice, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &message, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  Answer answer{done.get_future().get(), ""};
  std::vector<grpc::Slice> slices;
  if (answer.status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices)
      answer.body.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return answer;
}

// A streaming call of `method` that sends `messages` and then, with `half_close`, says it is
// done; without, it waits for the server's answer. Returns the call's status.
grpc::Status StreamingCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                           const std::vector<std::string>& messages, bool half_close) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(&context, method, &queue);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int id) {
    EXPECT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(tag, reinterpret_cast<void*>(static_cast<intptr_t>(id)));
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  for (const std::string& m : messages) {
    grpc::Slice slice(m);
    grpc::ByteBuffer message(&slice, 1);
    call->Write(message, reinterpret_cast<void*>(2));
    step(2);
  }
  if (half_close) {
    call->WritesDone(reinterpret_cast<void*>(3));
    step(3);
  }
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

std::shared_ptr<grpc::Channel> Insecure(int port) {
  return grpc::CreateChannel(fmt::format("127.0.0.1:{}", port), grpc::InsecureChannelCredentials());
}

json IngestStatus(const ServerProcess& server) {
  auto res = server.Client()->Get("/api/v1/ingest/status");
  EXPECT_TRUE(res);
  return json::parse(res ? res->body : "{}");
}

std::string LogsRequest(const std::string& otlp_json) {
  goodhart_test::otlp::ExportLogsServiceRequest request;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(otlp_json, &request).ok());
  return request.SerializeAsString();
}

TEST(OtlpGrpcTest, ExportsAreStoredOnceAndAnswered) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--grpc-listen", "127.0.0.1:0"});
  ASSERT_NE(server.grpc_port(), 0) << "no OTLP/gRPC listening line";
  auto channel = Insecure(server.grpc_port());

  // A retried export stores nothing new; the answer is an empty ExportLogsServiceResponse.
  const std::string body = LogsRequest(ClaudeCodeApiRequestLogs({.first_request = 0, .count = 50}));
  for (int attempt = 0; attempt < 2; ++attempt) {
    Answer a =
        Call(channel, kLogsExport, body, attempt == 1 ? GRPC_COMPRESS_GZIP : GRPC_COMPRESS_NONE);
    ASSERT_TRUE(a.status.ok()) << a.status.error_code() << " " << a.status.error_message();
    EXPECT_EQ(a.body, "");
  }
  // The same events over OTLP/HTTP JSON are the same events: stored already.
  auto res = server.Client()->Post(
      "/v1/logs", ClaudeCodeApiRequestLogs({.first_request = 0, .count = 50}), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  json status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 50);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["requests"], 3);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_stored"], 50);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["records_duplicate"], 100);

  // A record rejected: OK with partial_success, the rest stored.
  json two = json::parse(ClaudeCodeApiRequestLogs({.first_request = 100, .count = 2}));
  for (auto& attribute : two["resourceLogs"][0]["scopeLogs"][0]["logRecords"][1]["attributes"]) {
    if (attribute["key"] == "input_tokens")
      attribute["value"] = {{"intValue", "-4"}};
  }
  Answer partial = Call(channel, kLogsExport, LogsRequest(two.dump()));
  ASSERT_TRUE(partial.status.ok()) << partial.status.error_message();
  goodhart_test::otlp::ExportLogsServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(partial.body));
  EXPECT_EQ(response.partial_success().rejected_log_records(), 1);
  EXPECT_NE(response.partial_success().error_message().find("input_tokens is negative"),
            std::string::npos)
      << response.partial_success().error_message();
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 51);

  // Metrics and traces: the OTLP examples.
  goodhart_test::otlp::ExportMetricsServiceRequest metrics;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadCorpus("opentelemetry-proto/examples/metrics.json"), &metrics)
                  .ok());
  Answer m = Call(channel, kMetricsExport, metrics.SerializeAsString(), GRPC_COMPRESS_DEFLATE);
  EXPECT_TRUE(m.status.ok()) << m.status.error_message();
  goodhart_test::otlp::ExportTraceServiceRequest traces;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadCorpus("opentelemetry-proto/examples/trace.json"), &traces)
                  .ok());
  Answer t = Call(channel, kTraceExport, traces.SerializeAsString());
  EXPECT_TRUE(t.status.ok()) << t.status.error_message();
  status = IngestStatus(server);
  EXPECT_EQ(status["receivers"]["otlp_metrics"]["requests"], 1);
  EXPECT_EQ(status["receivers"]["otlp_metrics"]["requests_failed"], 0);
  EXPECT_EQ(status["receivers"]["otlp_traces"]["requests"], 1);
  EXPECT_EQ(status["receivers"]["otlp_traces"]["requests_failed"], 0);
}

TEST(OtlpGrpcTest, BadCallsGetTheirStatusCodes) {
  TempDir config_dir, dir;
  const std::string config = config_dir.path() + "/goodhart.yaml";
  std::ofstream(config) << "server: {decompressed_limit_bytes: 4096, body_limit_bytes: 65536}\n";
  ServerProcess server(dir.path(), {"--config", config, "--grpc-listen", "127.0.0.1:0"});
  ASSERT_NE(server.grpc_port(), 0);
  auto channel = Insecure(server.grpc_port());

  // Not protobuf: INVALID_ARGUMENT (not retried), with goodhart's message.
  Answer bad = Call(channel, kLogsExport, std::string("\x0a\x05\x01", 3));
  EXPECT_EQ(bad.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.status.error_message().rfind("otlp_http: protobuf: body: ", 0), 0u)
      << bad.status.error_message();

  // Over the decompressed limit, sent compressed: RESOURCE_EXHAUSTED.
  const std::string large =
      LogsRequest(ClaudeCodeApiRequestLogs({.first_request = 0, .count = 20}));
  ASSERT_GT(large.size(), 4096u);
  Answer over = Call(channel, kLogsExport, large, GRPC_COMPRESS_GZIP);
  EXPECT_EQ(over.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << over.status.error_message();
  EXPECT_EQ(over.status.error_message(),
            "otlp_grpc: request: larger than 4096 bytes after "
            "decompression");
  // A gzip bomb (16 MiB of zeros in ~16 KiB) is inflated by goodhart only up to the limit.
  Answer bomb = Call(channel, kLogsExport, std::string(16 << 20, '\0'), GRPC_COMPRESS_GZIP);
  EXPECT_EQ(bomb.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(bomb.status.error_message(), over.status.error_message());
  // Over the limit as sent (body_limit_bytes): gRPC refuses the message before goodhart reads it.
  std::string noise(70'000, '\0');
  for (size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  Answer as_sent = Call(channel, kLogsExport, noise);
  EXPECT_EQ(as_sent.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << as_sent.status.error_message();

  // Another service's method: UNIMPLEMENTED.
  Answer other = Call(channel,
                      "/opentelemetry.proto.collector.profiles.v1development."
                      "ProfilesService/Export",
                      "");
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(other.status.error_message().find("is not an OTLP export"), std::string::npos)
      << other.status.error_message();

  // Nothing was stored, and the failures are counted.
  json status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 0);
  // The one gRPC refused as sent counts too: its call reached goodhart without a message.
  EXPECT_EQ(status["receivers"]["otlp_logs"]["requests_failed"], 4);

  // A listen address in use stops serve with a clear error.
  CommandResult taken =
      RunGoodhart({"serve", "--data", dir.path() + "/second", "--listen", "127.0.0.1:0",
                   "--grpc-listen", fmt::format("127.0.0.1:{}", server.grpc_port())});
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_NE(taken.err.find("otlp_grpc: listen: cannot listen on 127.0.0.1:"), std::string::npos)
      << taken.err;
  CommandResult invalid = RunGoodhart({"serve", "--data", dir.path() + "/third", "--listen",
                                       "127.0.0.1:0", "--grpc-listen", "nowhere"});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_NE(invalid.err.find("config: server.grpc_listen: 'nowhere' is not HOST:PORT"),
            std::string::npos)
      << invalid.err;
}

// Export is unary: a second message is refused. A call that sends nothing, or no end, is
// cancelled after server.read_timeout_seconds, and while it holds the only read slot
// (server.threads: 1) the next call waits for it, then is served; past the waiting calls' bound
// a call is refused at once. serve stops cleanly with a call open.
TEST(OtlpGrpcTest, CallsAreReadOneAtATimeAndIdleOnesAreCancelled) {
  TempDir config_dir, dir;
  const std::string config = config_dir.path() + "/goodhart.yaml";
  std::ofstream(config) << "server: {threads: 1, read_timeout_seconds: 2}\n";
  ServerProcess server(dir.path(), {"--config", config, "--grpc-listen", "127.0.0.1:0"});
  ASSERT_NE(server.grpc_port(), 0);
  auto channel = Insecure(server.grpc_port());
  const std::string body = LogsRequest(ClaudeCodeApiRequestLogs({.first_request = 0, .count = 5}));

  grpc::Status twice = StreamingCall(channel, kLogsExport, {body, body}, /*half_close=*/true);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(twice.error_message(),
            "otlp_grpc: request: more than one message; Export is a unary call");
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 0);

  auto idle = std::async(std::launch::async, [&] {
    return StreamingCall(channel, kLogsExport, {}, /*half_close=*/false);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // lets it take the slot first
  Answer served = Call(channel, kLogsExport, body);
  EXPECT_TRUE(served.status.ok()) << served.status.error_message();
  EXPECT_EQ(idle.get().error_code(), grpc::StatusCode::CANCELLED);
  json status = IngestStatus(server);
  EXPECT_EQ(status["store"]["usage_events"], 5);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["requests"], 3);
  EXPECT_EQ(status["receivers"]["otlp_logs"]["requests_failed"], 2);

  // A message without its end: cancelled at the timeout too, and not stored.
  grpc::Status unended =
      StreamingCall(channel, kLogsExport,
                    {LogsRequest(ClaudeCodeApiRequestLogs({.first_request = 10, .count = 2}))},
                    /*half_close=*/false);
  EXPECT_EQ(unended.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(IngestStatus(server)["store"]["usage_events"], 5);

  // One call read and 4 waiting (4 per read slot): a sixth at once is told to retry later.
  std::vector<std::future<grpc::Status>> idle_calls;
  for (int i = 0; i < 6; ++i) {
    idle_calls.push_back(std::async(std::launch::async, [&] {
      return StreamingCall(channel, kLogsExport, {}, /*half_close=*/false);
    }));
  }
  int cancelled = 0, busy = 0;
  for (auto& call : idle_calls) {
    grpc::Status s = call.get();
    cancelled += s.error_code() == grpc::StatusCode::CANCELLED;
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      ++busy;
      EXPECT_EQ(s.error_message().rfind("otlp_grpc: busy: 4 calls wait", 0), 0u)
          << s.error_message();
    }
  }
  EXPECT_EQ(busy, 1);
  EXPECT_EQ(cancelled, 5);

  auto open = std::async(std::launch::async, [&] {
    return StreamingCall(channel, kLogsExport, {}, /*half_close=*/false);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server.Terminate(), 0);
  EXPECT_FALSE(open.get().ok());
}

// With server.tls_cert_file and tls_key_file, the gRPC listener speaks TLS too.
TEST(OtlpGrpcTest, ServesTlsWithTheConfiguredCertificate) {
  TempDir dir;
  CertificateFiles files;
  ASSERT_TRUE(MakeSelfSignedCertificate(dir.path(), &files));
  const std::string &cert = files.cert, &key = files.key;
  std::string config = dir.path() + "/goodhart.yaml";
  std::ofstream(config) << fmt::format("server: {{tls_cert_file: {}, tls_key_file: {}}}\n", cert,
                                       key);
  ServerProcess server(dir.path() + "/data", {"--config", config, "--grpc-listen", "127.0.0.1:0"});
  ASSERT_NE(server.grpc_port(), 0);
  std::stringstream pem;
  pem << std::ifstream(cert).rdbuf();
  grpc::SslCredentialsOptions trust;
  trust.pem_root_certs = pem.str();
  auto tls = grpc::CreateChannel(fmt::format("127.0.0.1:{}", server.grpc_port()),
                                 grpc::SslCredentials(trust));
  Answer a = Call(tls, kLogsExport,
                  LogsRequest(ClaudeCodeApiRequestLogs({.first_request = 0, .count = 3})));
  EXPECT_TRUE(a.status.ok()) << a.status.error_code() << " " << a.status.error_message();
  Answer plain = Call(Insecure(server.grpc_port()), kLogsExport, "");
  EXPECT_EQ(plain.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  httplib::SSLClient https("127.0.0.1", server.port());
  https.set_ca_cert_path(cert.c_str());
  auto res = https.Get("/api/v1/ingest/status");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(json::parse(res->body)["store"]["usage_events"], 3);
}

}  // namespace
}  // namespace goodhart::testing
