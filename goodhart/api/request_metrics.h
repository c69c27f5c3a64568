// RequestMetrics: latency histograms of every HTTP request by route and status class, for
// Prometheus (`goodhart_http_request_duration_seconds`). Routes are reduced to a fixed set of
// templates ("/api/v1/flags/{id}", "/v1/logs", ...; anything else is "other") so a scanner
// cannot blow up the series count. Lock-free on the request path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/api/http_server.h"

namespace goodhart::api {

class RequestMetrics {
 public:
  // Bucket upper bounds in seconds (the last is +Inf).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  // Times every request of `server` from routing to the response being written. With
  // `access_log`, also prints one JSON line per request on stderr:
  //   {"time":"...","level":"info","msg":"request","method":"POST","path":"/v1/logs",
  //    "route":"/v1/logs","status":200,"duration_ms":1.2,"bytes_in":5120,"bytes_out":2,
  //    "remote":"127.0.0.1"}
  void Install(HttpServer& server, bool access_log = false);

  void Observe(std::string_view path, int status, double seconds);

  // The Prometheus text exposition of the histograms.
  std::string Exposition() const;

  // "/api/v1/flags/{id}" for "/api/v1/flags/f-12", "other" for an unknown path.
  static std::string_view RouteTemplate(std::string_view path);

 private:
  static constexpr size_t kRoutes = 20;
  static constexpr size_t kClasses = 4;  // 2xx, 3xx, 4xx, 5xx
  struct Series {
    std::array<std::atomic<int64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> sum_micros{0};
  };
  std::array<std::array<Series, kClasses>, kRoutes> series_;
};

}  // namespace goodhart::api
