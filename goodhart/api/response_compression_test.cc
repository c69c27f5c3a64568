#include "goodhart/api/response_compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "goodhart/api/http_server.h"
#include "goodhart/config/config.h"

namespace goodhart::api {
namespace {

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

httplib::Request WithAcceptEncoding(const std::string& value) {
  httplib::Request req;
  req.headers.emplace("Accept-Encoding", value);
  return req;
}

TEST(ResponseCompressionTest, GzipRoundTrips) {
  std::string json = "{\"changes\":[";
  for (int i = 0; i < 2000; ++i)
    json += "{\"id\":\"github:acme/mono#" + std::to_string(i) + "\",\"nd\":0.5},";
  json += "{}]}";
  std::string gz = Gzip(json);
  EXPECT_LT(gz.size(), json.size() / 5);
  EXPECT_EQ(Gunzip(gz), json);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

TEST(ResponseCompressionTest, AcceptEncodingIsReadWithItsWeights) {
  EXPECT_TRUE(AcceptsGzip(WithAcceptEncoding("gzip, deflate, br")));
  EXPECT_TRUE(AcceptsGzip(WithAcceptEncoding("br;q=1.0, GZIP;q=0.5")));
  EXPECT_TRUE(AcceptsGzip(WithAcceptEncoding("*")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("gzip;q=0")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("br, deflate")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("x-gzip2")));
  EXPECT_FALSE(AcceptsGzip(httplib::Request{}));
}

// Through a real server on loopback: large JSON and script answers are gzipped for a client that
// accepts gzip (a browser also offers br, which cpp-httplib would otherwise pick at its slowest
// quality), small ones and clients without gzip get the body as it is, and a body the route
// already encoded is not encoded twice.
TEST(ResponseCompressionTest, TheServerGzipsLargeAnswersOnce) {
  config::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.threads = 2;
  HttpServer server(config);
  std::string big(20000, 'x');
  std::string pre = Gzip("{\"pre\":true}");
  server.routes().Get("/big", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "text/javascript; charset=utf-8");
  });
  server.routes().Get("/small", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  server.routes().Get("/pre", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(pre, "application/json");
  });
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  client.set_decompress(false);
  const httplib::Headers browser = {{"Accept-Encoding", "gzip, deflate, br"}};

  auto res = client.Get("/big", browser);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(res->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_EQ(Gunzip(res->body), big);

  res = client.Get("/big");
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->has_header("Content-Encoding"));
  EXPECT_EQ(res->body, big);

  res = client.Get("/small", browser);
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->has_header("Content-Encoding"));
  EXPECT_EQ(res->body, "{}");

  res = client.Get("/pre", browser);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(Gunzip(res->body), "{\"pre\":true}");
  server.Shutdown();
}

}  // namespace
}  // namespace goodhart::api
