#include "goodhart/api/request_metrics.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "goodhart/base/clock.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::api {
namespace {

// Prefix templates, most specific first; an entry ending in "/" matches an id after it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTemplates = {{
    {"/v1/logs", "/v1/logs"},
    {"/v1/metrics", "/v1/metrics"},
    {"/v1/traces", "/v1/traces"},
    {"/hooks/github", "/hooks/github"},
    {"/hooks/gitlab", "/hooks/gitlab"},
    {"/hooks/cdevents", "/hooks/cdevents"},
    {"/api/v1/deployments", "/api/v1/deployments"},
    {"/api/v1/incidents", "/api/v1/incidents"},
    {"/api/v1/report", "/api/v1/report"},
    {"/api/v1/flags/", "/api/v1/flags/{id}"},
    {"/api/v1/flags", "/api/v1/flags"},
    {"/api/v1/directory", "/api/v1/directory"},
    {"/api/v1/ingest/status", "/api/v1/ingest/status"},
    {"/api/v1/openapi.json", "/api/v1/openapi.json"},
    {"/api/v1/", "/api/v1/other"},
    {"/metrics", "/metrics"},
    {"/healthz", "/healthz"},
    {"/readyz", "/readyz"},
    {"/", "other"},
}};

size_t RouteIndex(std::string_view path) {
  for (size_t i = 0; i < kTemplates.size(); ++i) {
    std::string_view prefix = kTemplates[i].first;
    bool match = prefix.back() == '/' ? path.size() > prefix.size() && path.starts_with(prefix)
                                      : path == prefix;
    if (match)
      return i;
  }
  return kTemplates.size() - 1;
}

thread_local std::chrono::steady_clock::time_point request_start;

}  // namespace

std::string_view RequestMetrics::RouteTemplate(std::string_view path) {
  return kTemplates[RouteIndex(path)].second;
}

void RequestMetrics::Install(HttpServer& server, bool access_log) {
  server.OnRequestStart([] { request_start = std::chrono::steady_clock::now(); });
  server.routes().set_logger(
      [this, access_log](const httplib::Request& req, const httplib::Response& res) {
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - request_start;
        Observe(req.path, res.status, elapsed.count());
        if (access_log) {
          nlohmann::json line = {{"time", FormatMillis(SystemClock::Get().NowMillis())},
                                 {"level", res.status >= 500 ? "error" : "info"},
                                 {"msg", "request"},
                                 {"method", req.method},
                                 {"path", req.path},
                                 {"route", RouteTemplate(req.path)},
                                 {"status", res.status},
                                 {"duration_ms", elapsed.count() * 1e3},
                                 {"bytes_in", req.body.size()},
                                 {"bytes_out", res.body.size()},
                                 {"remote", req.remote_addr}};
          std::string text = JsonText(line);
          text += '\n';
          std::fwrite(text.data(), 1, text.size(), stderr);
        }
      });
}

void RequestMetrics::Observe(std::string_view path, int status, double seconds) {
  size_t route = RouteIndex(path);
  size_t cls = status >= 500 ? 3 : status >= 400 ? 2 : status >= 300 ? 1 : 0;
  Series& s = series_[route][cls];
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b])
    ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string RequestMetrics::Exposition() const {
  static constexpr std::array<std::string_view, kClasses> kClassNames = {"2xx", "3xx", "4xx",
                                                                         "5xx"};
  std::string out =
      "# HELP goodhart_http_request_duration_seconds HTTP request latency by route and status "
      "class.\n# TYPE goodhart_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < kTemplates.size(); ++r) {
    for (size_t c = 0; c < kClasses; ++c) {
      const Series& s = series_[r][c];
      int64_t count = s.count.load(std::memory_order_relaxed);
      if (count == 0)
        continue;
      std::string labels =
          fmt::format("route=\"{}\",code=\"{}\"", kTemplates[r].second, kClassNames[c]);
      int64_t cumulative = 0;
      for (size_t b = 0; b <= kBuckets.size(); ++b) {
        cumulative += s.buckets[b].load(std::memory_order_relaxed);
        std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
        out += fmt::format("goodhart_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                           labels, le, cumulative);
      }
      out += fmt::format("goodhart_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                         static_cast<double>(s.sum_micros.load(std::memory_order_relaxed)) / 1e6);
      out += fmt::format("goodhart_http_request_duration_seconds_count{{{}}} {}\n", labels, count);
    }
  }
  return out;
}

}  // namespace goodhart::api
