// otlp_load: a bounded load generator for goodhart's OTLP/HTTP receiver on loopback. It builds
// `--bodies` Claude Code /v1/logs bodies of `--events` api_request records each (distinct request
// ids), posts them over `--connections` keep-alive connections, and prints one JSON line with
// events/s and MB/s measured from the first request to the last answer.
// With --jsoneachrow FILE it instead writes the same events as JSONEachRow lines (for ClickHouse).
#include <fmt/format.h>
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/otlp_bodies.h"

int main(int argc, char** argv) {
  CLI::App app{"otlp_load: post Claude Code OTLP bodies to a goodhart server"};
  std::string host = "127.0.0.1", jsoneachrow;
  int port = 4318, connections = 2;
  int64_t bodies = 200, events = 1000, first = 0;
  app.add_option("--host", host);
  app.add_option("--port", port);
  app.add_option("--bodies", bodies);
  app.add_option("--events", events, "api_request records per body");
  app.add_option("--connections", connections);
  app.add_option("--first", first, "first request number (to avoid duplicates across runs)");
  app.add_option("--jsoneachrow", jsoneachrow, "write the events as JSONEachRow to this file");
  CLI11_PARSE(app, argc, argv);

  if (!jsoneachrow.empty()) {
    std::ofstream out(jsoneachrow, std::ios::binary);
    for (int64_t b = 0; b < bodies; ++b) {
      out << goodhart::testing::ClaudeCodeApiRequestJsonEachRow(
          {.first_request = first + b * events, .count = events});
    }
    return out ? 0 : 1;
  }

  std::vector<std::string> payloads;
  payloads.reserve(static_cast<size_t>(bodies));
  int64_t total_bytes = 0;
  for (int64_t b = 0; b < bodies; ++b) {
    payloads.push_back(goodhart::testing::ClaudeCodeApiRequestLogs(
        {.first_request = first + b * events, .count = events}));
    total_bytes += static_cast<int64_t>(payloads.back().size());
  }
  std::atomic<int64_t> next{0}, failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      client.set_read_timeout(60, 0);
      client.set_tcp_nodelay(true);
      for (int64_t i = next++; i < bodies; i = next++) {
        auto res = client.Post("/v1/logs", payloads[static_cast<size_t>(i)], "application/json");
        if (!res || res->status != 200 || res->body != "{}")
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
      "\"connections\":{},\"failures\":{}}}\n",
      total_events, total_bytes, seconds, static_cast<double>(total_events) / seconds,
      static_cast<double>(total_bytes) / seconds / 1e6, connections, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
