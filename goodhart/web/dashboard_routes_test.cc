#include "goodhart/web/dashboard_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>
#include <string>

#include "goodhart/web/dashboard_assets.h"

namespace goodhart::web {
namespace {

const Asset* Find(std::string_view path) {
  for (const Asset& a : DashboardAssets()) {
    if (a.path == path)
      return &a;
  }
  return nullptr;
}

TEST(ContentTypeForTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/index-3f2a1c.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/index-3f2a1c.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("/assets/blob"), "application/octet-stream");
}

// Every file index.html loads was embedded with it.
TEST(DashboardAssetsTest, IndexAndEveryFileItLoadsAreEmbedded) {
  const Asset* index = Find("/index.html");
  ASSERT_NE(index, nullptr);
  std::string html(reinterpret_cast<const char*>(index->data), index->size);
  std::regex ref(R"((?:src|href)="(/assets/[^"]+)\")");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator();
       ++it) {
    EXPECT_NE(Find((*it)[1].str()), nullptr) << (*it)[1].str();
  }
}

TEST(DashboardRoutesTest, ServesIndexAndHashedAssetsWithCacheHeaders) {
  config::ServerConfig config;
  config.listen = "127.0.0.1:0";
  api::HttpServer server(config);
  AddDashboardRoutes(server);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  for (const Asset& a : DashboardAssets()) {
    if (a.path.rfind("/assets/", 0) != 0)
      continue;
    auto got = client.Get(std::string(a.path));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 200) << a.path;
    EXPECT_EQ(got->body.size(), a.size) << a.path;
    EXPECT_EQ(got->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(got->get_header_value("Content-Type"), ContentTypeFor(a.path));
  }
  auto missing = client.Get("/assets/nothing-here.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("\"NOT_FOUND\""), std::string::npos);
  server.Shutdown();
}

}  // namespace
}  // namespace goodhart::web
