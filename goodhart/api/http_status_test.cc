#include "goodhart/api/http_status.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace goodhart::api {
namespace {

TEST(HttpStatusTest, MapsCodesByWhatTheCallerShouldDo) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(HttpStatusTest, ErrorJsonHasOneShape) {
  auto j = nlohmann::json::parse(ErrorJson(Status::InvalidArgument("otlp_http: body: not JSON")));
  EXPECT_EQ(j["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(j["error"]["message"], "otlp_http: body: not JSON");
}

// A message may quote bytes a client sent; bytes that are not UTF-8 become U+FFFD instead of
// making the dump throw (which, in cpp-httplib's error handler, ended the server).
TEST(HttpStatusTest, ErrorJsonOfBytesThatAreNotUtf8IsStillJson) {
  auto j = nlohmann::json::parse(ErrorJson(Status::NotFound("http: /a\xff\xfe: no such route")));
  EXPECT_EQ(j["error"]["message"], "http: /a\xef\xbf\xbd\xef\xbf\xbd: no such route");
}

}  // namespace
}  // namespace goodhart::api
