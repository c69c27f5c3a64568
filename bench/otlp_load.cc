// otlp_load: a bounded load generator for goodhart's OTLP/HTTP receiver on loopback. It builds
// `--bodies` Claude Code /v1/logs bodies of `--events` api_request records each (distinct request
// ids), posts them over `--connections` keep-alive connections, and prints one JSON line with
// events/s and MB/s measured from the first request to the last answer. `--rate` holds a steady
// number of bodies per second (ingest running beside another benchmark) instead of the most the
// server takes. With several `--port`s (several goodhart nodes) body i goes to port i % ports and
// connection c to port c % ports, so the bodies are split evenly between the nodes.
// With --jsoneachrow FILE it instead writes the same events as JSONEachRow lines (for ClickHouse).
// With --protobuf it sends the same bodies as OTLP protobuf, encoded by libprotobuf; with --grpc
// it sends those as OTLP/gRPC LogsService/Export calls (--port is then the gRPC listener's), one
// channel per connection.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "testdata/otlp_test.pb.h"  // protoc writes it into the build tree (otlp_http)
#include "tests/integration/otlp_bodies.h"

namespace {

// Rewrites the session ids of a body (or JSONEachRow lines) whose first request is `first` so each
// session holds `span` consecutive requests of one user; the builder's own ids give every request
// a new session. The k-th session id belongs to request first + k.
std::string WithSessionSpan(const std::string& in, int64_t first, int64_t span) {
  const int64_t users = goodhart::testing::ClaudeCodeBodyOptions{}.users;
  std::string out;
  out.reserve(in.size());
  size_t pos = 0;
  for (int64_t n = first;; ++n) {
    size_t at = in.find("\"sess-", pos);
    if (at == std::string::npos)
      break;
    size_t end = in.find('"', at + 1);
    out.append(in, pos, at - pos);
    out += fmt::format("\"sess-{:08x}-{}\"", n / (span * users), n % users);
    pos = end + 1;
  }
  out.append(in, pos);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"otlp_load: post Claude Code OTLP bodies to a goodhart server"};
  std::string host = "127.0.0.1", jsoneachrow;
  std::vector<int> ports = {4318};
  int connections = 2;
  int64_t bodies = 200, events = 1000, first = 0;
  app.add_option("--host", host);
  app.add_option("--port", ports,
                 "one or more ports (--port A --port B, or A,B): bodies split evenly")
      ->delimiter(',');
  app.add_option("--bodies", bodies);
  app.add_option("--events", events, "api_request records per body");
  app.add_option("--connections", connections);
  app.add_option("--first", first, "first request number (to avoid duplicates across runs)");
  app.add_option("--jsoneachrow", jsoneachrow, "write the events as JSONEachRow to this file");
  double rate = 0;
  app.add_option("--rate", rate, "bodies per second over all connections (default 0: no limit)");
  int64_t session_span = 0;
  app.add_option("--session-span", session_span,
                 "diagnostic: rewrite session ids so each session holds this many consecutive "
                 "requests of one user (default 0: the builder's ids, a new session per request)");
  bool protobuf = false;
  app.add_flag("--protobuf", protobuf,
               "send the bodies as OTLP protobuf (application/x-protobuf, encoded by libprotobuf)");
  bool grpc = false;
  app.add_flag("--grpc", grpc,
               "send the protobuf bodies as OTLP/gRPC Export calls (--port: the gRPC listener)");
  CLI11_PARSE(app, argc, argv);
  protobuf = protobuf || grpc;

  if (!jsoneachrow.empty()) {
    std::ofstream out(jsoneachrow, std::ios::binary);
    for (int64_t b = 0; b < bodies; ++b) {
      std::string rows = goodhart::testing::ClaudeCodeApiRequestJsonEachRow(
          {.first_request = first + b * events, .count = events});
      out << (session_span > 0 ? WithSessionSpan(rows, first + b * events, session_span) : rows);
    }
    return out ? 0 : 1;
  }

  std::vector<std::string> payloads;
  payloads.reserve(static_cast<size_t>(bodies));
  int64_t total_bytes = 0;
  for (int64_t b = 0; b < bodies; ++b) {
    payloads.push_back(goodhart::testing::ClaudeCodeApiRequestLogs(
        {.first_request = first + b * events, .count = events}));
    if (session_span > 0)
      payloads.back() = WithSessionSpan(payloads.back(), first + b * events, session_span);
    if (protobuf) {
      goodhart_test::otlp::ExportLogsServiceRequest request;
      if (!google::protobuf::util::JsonStringToMessage(payloads.back(), &request).ok()) {
        fmt::print(stderr, "otlp_load: libprotobuf could not encode body {}\n", b);
        return 2;
      }
      payloads.back() = request.SerializeAsString();
    }
    total_bytes += static_cast<int64_t>(payloads.back().size());
  }
  const int64_t nports = static_cast<int64_t>(ports.size());
  if (connections < nports) {
    fmt::print(stderr, "otlp_load: --connections must be at least the number of ports\n");
    return 2;
  }
  // next[p]: the next body of port p is body next[p]++ * nports + p.
  std::vector<std::atomic<int64_t>> next(ports.size());
  std::atomic<int64_t> failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      const int64_t p = c % nports;
      if (grpc) {
        // Its own channel (and so its own connection) per load connection.
        grpc::ChannelArguments args;
        args.SetInt("otlp_load.connection", c);
        auto channel =
            grpc::CreateCustomChannel(fmt::format("{}:{}", host, ports[static_cast<size_t>(p)]),
                                      grpc::InsecureChannelCredentials(), args);
        grpc::GenericStub stub(channel);
        for (int64_t i = next[p]++ * nports + p; i < bodies; i = next[p]++ * nports + p) {
          if (rate > 0) {
            std::this_thread::sleep_until(
                start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(i) / rate)));
          }
          grpc::ClientContext context;
          grpc::Slice slice(payloads[static_cast<size_t>(i)]);
          grpc::ByteBuffer request(&slice, 1), response;
          std::promise<grpc::Status> done;
          stub.UnaryCall(&context, "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
                         grpc::StubOptions(), &request, &response,
                         [&](grpc::Status s) { done.set_value(std::move(s)); });
          // Everything accepted: OK with an empty ExportLogsServiceResponse.
          if (!done.get_future().get().ok() || response.Length() != 0)
            failures++;
        }
        return;
      }
      httplib::Client client(host, ports[static_cast<size_t>(p)]);
      client.set_keep_alive(true);
      client.set_read_timeout(60, 0);
      client.set_tcp_nodelay(true);
      for (int64_t i = next[p]++ * nports + p; i < bodies; i = next[p]++ * nports + p) {
        if (rate > 0) {
          std::this_thread::sleep_until(
              start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(static_cast<double>(i) / rate)));
        }
        auto res = client.Post("/v1/logs", payloads[static_cast<size_t>(i)],
                               protobuf ? "application/x-protobuf" : "application/json");
        // Everything accepted: "{}", or an empty ExportLogsServiceResponse.
        if (!res || res->status != 200 || res->body != (protobuf ? "" : "{}"))
          failures++;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t total_events = bodies * events;
  fmt::print(
      "{{\"events\":{},\"bytes\":{},\"seconds\":{:.3f},\"events_per_s\":{:.0f},\"mb_per_s\":{:.1f},"
      "\"connections\":{},\"ports\":{},\"failures\":{}}}\n",
      total_events, total_bytes, seconds, static_cast<double>(total_events) / seconds,
      static_cast<double>(total_bytes) / seconds / 1e6, connections, nports, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
