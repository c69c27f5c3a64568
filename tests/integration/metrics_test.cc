// GET /metrics through the real binary: ingest counters, store gauges and request latency
// histograms reflect what was actually sent, in Prometheus text format.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

// "name{labels} value" lines into a map; comments skipped.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

TEST(MetricsTest, CountersAndHistogramsFollowTheTraffic) {
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  auto client = server.Client();
  std::string body = ClaudeCodeApiRequestLogs({.count = 25});
  ASSERT_EQ(client->Post("/v1/logs", body, "application/json")->status, 200);
  ASSERT_EQ(client->Post("/v1/logs", body, "application/json")->status, 200);  // a retry
  ASSERT_EQ(client->Post("/v1/logs", "{not json", "application/json")->status, 400);

  // A request is timed once its response is written, so the client may ask before the last
  // observation lands: wait for it (bounded), then check everything.
  const std::string ok_count =
      "goodhart_http_request_duration_seconds_count{route=\"/v1/logs\",code=\"2xx\"}";
  const std::string bad_count =
      "goodhart_http_request_duration_seconds_count{route=\"/v1/logs\",code=\"4xx\"}";
  std::map<std::string, double> m;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto res = client->Get("/metrics");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4");
    m = Samples(res->body);
    if (m[ok_count] == 2 && m[bad_count] == 1)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(m["goodhart_ingest_requests_total{receiver=\"otlp_logs\",outcome=\"ok\"}"], 2);
  EXPECT_EQ(m["goodhart_ingest_requests_total{receiver=\"otlp_logs\",outcome=\"failed\"}"], 1);
  EXPECT_EQ(m["goodhart_ingest_records_total{receiver=\"otlp_logs\",outcome=\"stored\"}"], 25);
  EXPECT_EQ(m["goodhart_ingest_records_total{receiver=\"otlp_logs\",outcome=\"duplicate\"}"], 25);
  EXPECT_EQ(m["goodhart_store_records{kind=\"usage_events\"}"], 25);
  EXPECT_EQ(m.count("goodhart_store_records{kind=\"directory_versions\"}"), 1u);  // every count
  EXPECT_EQ(m.count("goodhart_store_records{kind=\"schema_version\"}"), 0u);      // not a count
  EXPECT_GT(m["goodhart_store_bytes"], 0);
  EXPECT_EQ(m["goodhart_http_request_duration_seconds_count{route=\"/v1/logs\",code=\"2xx\"}"], 2);
  EXPECT_EQ(m["goodhart_http_request_duration_seconds_count{route=\"/v1/logs\",code=\"4xx\"}"], 1);
  EXPECT_EQ(m["goodhart_http_request_duration_seconds_bucket{route=\"/v1/"
              "logs\",code=\"2xx\",le=\"+Inf\"}"],
            2);
}

}  // namespace
}  // namespace goodhart::testing
