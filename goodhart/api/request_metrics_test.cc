#include "goodhart/api/request_metrics.h"

#include <gtest/gtest.h>

namespace goodhart::api {
namespace {

TEST(RequestMetricsTest, RoutesAreTemplated) {
  EXPECT_EQ(RequestMetrics::RouteTemplate("/api/v1/flags/f-0123"), "/api/v1/flags/{id}");
  EXPECT_EQ(RequestMetrics::RouteTemplate("/api/v1/flags"), "/api/v1/flags");
  EXPECT_EQ(RequestMetrics::RouteTemplate("/v1/logs"), "/v1/logs");
  EXPECT_EQ(RequestMetrics::RouteTemplate("/api/v1/whatever"), "/api/v1/other");
  EXPECT_EQ(RequestMetrics::RouteTemplate("/wp-admin.php"), "other");
}

TEST(RequestMetricsTest, HistogramIsCumulative) {
  RequestMetrics m;
  m.Observe("/v1/logs", 200, 0.0007);  // le 0.001
  m.Observe("/v1/logs", 200, 0.03);    // le 0.05
  m.Observe("/v1/logs", 200, 9.0);     // +Inf only
  m.Observe("/v1/logs", 413, 0.0001);
  std::string text = m.Exposition();
  const std::string ok = "route=\"/v1/logs\",code=\"2xx\"";
  EXPECT_NE(text.find("goodhart_http_request_duration_seconds_bucket{" + ok + ",le=\"0.0005\"} 0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("goodhart_http_request_duration_seconds_bucket{" + ok + ",le=\"0.001\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("goodhart_http_request_duration_seconds_bucket{" + ok + ",le=\"0.05\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("goodhart_http_request_duration_seconds_bucket{" + ok + ",le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("goodhart_http_request_duration_seconds_count{" + ok + "} 3"),
            std::string::npos);
  EXPECT_NE(text.find("code=\"4xx\"} 1"), std::string::npos);
  EXPECT_EQ(text.find("/api/v1/report"), std::string::npos);  // no series without requests
}

}  // namespace
}  // namespace goodhart::api
