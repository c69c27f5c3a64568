#include "goodhart/config/config.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::config {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ConfigTest, DefaultsAreValid) {
  Config c;
  EXPECT_THAT(c.Validate(), IsOk());
  EXPECT_EQ(c.server.host(), "127.0.0.1");
  EXPECT_EQ(c.server.port(), 4318);
}

TEST(ConfigTest, ParsesEveryKey) {
  auto c = ParseConfig(R"(
data_dir: /tmp/g
server: {listen: "0.0.0.0:9000", threads: 4, body_limit_bytes: 2048, decompressed_limit_bytes: 4096}
store: {kind: embedded, synchronous: normal}
privacy: {sketch_key: s3cret}
pricing: {file: /etc/prices.yaml}
webhooks: {github_secret: gh, gitlab_token: gl}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "/tmp/g");
  EXPECT_EQ(c->server.port(), 9000);
  EXPECT_EQ(c->server.threads, 4);
  EXPECT_EQ(c->server.decompressed_limit_bytes, 4096);
  EXPECT_EQ(c->store.synchronous, "normal");
  EXPECT_EQ(c->privacy.sketch_key, "s3cret");
  EXPECT_EQ(c->pricing.file, "/etc/prices.yaml");
  EXPECT_EQ(c->webhooks.github_secret, "gh");
  EXPECT_EQ(c->webhooks.gitlab_token, "gl");
  EXPECT_THAT(c->Validate(), IsOk());
}

TEST(ConfigTest, UnknownKeysAndBadValuesAreNamed) {
  EXPECT_THAT(ParseConfig("server: {listn: x}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("server.listn: unknown key")));
  EXPECT_THAT(ParseConfig("server: {threads: many}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("server.threads: wrong type")));
  Config c;
  c.server.listen = "localhost";
  EXPECT_THAT(c.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("server.listen")));
  c = Config{};
  c.store.synchronous = "sometimes";
  EXPECT_THAT(c.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.synchronous")));
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  auto c = LoadConfig("", {{"GOODHART_LISTEN", "127.0.0.1:0"}, {"GOODHART_DATA_DIR", "/x"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server.listen, "127.0.0.1:0");
  EXPECT_EQ(c->data_dir, "/x");
  EXPECT_THAT(LoadConfig("", {{"GOODHART_SERVER_THREADS", "x"}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("GOODHART_SERVER_THREADS")));
  EXPECT_FALSE(LoadConfig("/nonexistent/goodhart.yaml", {}).ok());
}

}  // namespace
}  // namespace goodhart::config
