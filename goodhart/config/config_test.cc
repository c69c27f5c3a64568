#include "goodhart/config/config.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::config {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::ElementsAre;
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
  EXPECT_THAT(c.Validate(), IsOk());  // no OTLP/gRPC listener by default
  c.server.grpc_listen = "127.0.0.1:70000";
  EXPECT_THAT(c.Validate(), StatusIs(StatusCode::kInvalidArgument,
                                     HasSubstr("server.grpc_listen: port '70000' is not 0-65535")));
  c = Config{};
  c.store.synchronous = "sometimes";
  EXPECT_THAT(c.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.synchronous")));
}

TEST(ConfigTest, AccessKeysAndAlerts) {
  const std::string hash(64, 'a');
  auto c = ParseConfig(R"(
access:
  min_group_size: 6
  audit_log: /var/log/goodhart-audit.jsonl
  api_keys:
    - {name: ana, role: analyst, key_sha256: ")" +
                       hash + R"("}
    - {name: alice, role: member, person: alice, key_sha256: ")" +
                       hash + R"("}
alerts: {webhook_url: "http://127.0.0.1:9/hook"}
detect: {definition_version: d-1}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access.min_group_size, 6);
  EXPECT_EQ(c->access.min_attribute_group_size, 10);
  ASSERT_EQ(c->access.api_keys.size(), 2u);
  EXPECT_EQ(c->access.api_keys[1].person, "alice");
  EXPECT_EQ(c->alerts.webhook_url, "http://127.0.0.1:9/hook");
  EXPECT_FALSE(c->detect_document.empty());
  EXPECT_THAT(c->Validate(), IsOk());

  c->access.api_keys[1].person.clear();
  EXPECT_THAT(c->Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("api_keys[1]: person")));
  c->access.api_keys[1].person = "alice";
  c->access.api_keys[0].role = "boss";
  EXPECT_THAT(c->Validate(), StatusIs(StatusCode::kInvalidArgument,
                                      HasSubstr("role: 'boss' is not admin|analyst|member")));
  c->access.api_keys[0].role = "analyst";
  c->access.api_keys[0].key_sha256 = "plaintext-key";
  EXPECT_THAT(c->Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("key_sha256")));
  EXPECT_THAT(ParseConfig("access: {api_keys: [{name: x, key: y}]}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("api_keys[0].key: unknown key")));
}

TEST(ConfigTest, TlsNeedsBothFiles) {
  Config c;
  c.server.tls_cert_file = "/etc/goodhart/cert.pem";
  EXPECT_THAT(c.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("set both")));
  c.server.tls_key_file = "/etc/goodhart/key.pem";
  EXPECT_THAT(c.Validate(), IsOk());
  auto env = LoadConfig("", {{"GOODHART_TLS_CERT_FILE", "c"},
                             {"GOODHART_TLS_KEY_FILE", "k"},
                             {"GOODHART_ACCESS_LOG", "true"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->server.tls_key_file, "k");
  EXPECT_TRUE(env->server.access_log);
}

TEST(ConfigTest, CacheStalenessFromFileOrEnvironmentWithinLimits) {
  Config defaults;
  EXPECT_EQ(defaults.server.cache_max_stale_ms, 5000);
  auto file = ParseConfig("server: {cache_max_stale_ms: 0}\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->server.cache_max_stale_ms, 0);
  auto env = LoadConfig("", {{"GOODHART_CACHE_MAX_STALE_MS", "250"}});
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->server.cache_max_stale_ms, 250);
  Config bad;
  bad.server.cache_max_stale_ms = -1;
  EXPECT_THAT(bad.Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("server.cache_max_stale_ms")));
}

TEST(ConfigTest, ShardedClickHouseNeedsTheClusterAndEveryShardUrl) {
  auto c = ParseConfig(
      "store: {kind: clickhouse, url: \"http://10.0.0.5:8123\", cluster: gh_cluster,\n"
      "        shard_urls: [\"http://10.0.0.5:8123\", \"http://10.0.0.6:8123\"]}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->store.cluster, "gh_cluster");
  EXPECT_THAT(c->store.shard_urls, ElementsAre("http://10.0.0.5:8123", "http://10.0.0.6:8123"));
  EXPECT_THAT(c->Validate(), IsOk());

  auto env = LoadConfig("", {{"GOODHART_STORE_KIND", "clickhouse"},
                             {"GOODHART_STORE_URL", "http://127.0.0.1:8123"},
                             {"GOODHART_STORE_CLUSTER", "two"},
                             {"GOODHART_STORE_SHARD_URLS", "http://a:1,,http://b:2"}});
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->store.cluster, "two");
  EXPECT_THAT(env->store.shard_urls, ElementsAre("http://a:1", "http://b:2"));
  EXPECT_THAT(env->Validate(), IsOk());

  Config bad = *c;
  bad.store.shard_urls.clear();
  EXPECT_THAT(bad.Validate(), StatusIs(StatusCode::kInvalidArgument,
                                       HasSubstr("store.cluster and store.shard_urls")));
  bad = *c;
  bad.store.cluster = "a b";
  EXPECT_THAT(bad.Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.cluster: 'a b'")));
  bad = *c;
  bad.store.shard_urls[1] = "10.0.0.6:8123";
  EXPECT_THAT(bad.Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.shard_urls[1]")));
}

// Issue #7: every setting can come from the environment; the structured ones as YAML flow text.
TEST(ConfigTest, EverySettingHasAnEnvironmentVariable) {
  auto c =
      LoadConfig("", {{"GOODHART_READ_TIMEOUT_SECONDS", "30"},
                      {"GOODHART_MIN_GROUP_SIZE", "7"},
                      {"GOODHART_MIN_ATTRIBUTE_GROUP_SIZE", "12"},
                      {"GOODHART_AUDIT_LOG", "/var/log/goodhart/audit.jsonl"},
                      {"GOODHART_API_KEYS",
                       "[{name: ana, role: analyst, key_sha256: "
                       "\"0000000000000000000000000000000000000000000000000000000000000000\"}]"},
                      {"GOODHART_ND", "{definition_version: nd-local-1, w_fail_days: 21}"},
                      {"GOODHART_DETECT", "{version: detect-local-1, tier_b_z: 4}"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.read_timeout_seconds, 30);
  EXPECT_EQ(c->access.min_group_size, 7);
  EXPECT_EQ(c->access.min_attribute_group_size, 12);
  EXPECT_EQ(c->access.audit_log, "/var/log/goodhart/audit.jsonl");
  ASSERT_EQ(c->access.api_keys.size(), 1u);
  EXPECT_EQ(c->access.api_keys[0].name, "ana");
  EXPECT_EQ(c->access.api_keys[0].role, "analyst");
  EXPECT_EQ(c->nd_document, "nd: {definition_version: nd-local-1, w_fail_days: 21}\n");
  EXPECT_EQ(c->detect_document, "detect: {version: detect-local-1, tier_b_z: 4}\n");
  EXPECT_THAT(c->Validate(), IsOk());

  auto bad = LoadConfig("", {{"GOODHART_API_KEYS", "[{name: ana, colour: red}]"}});
  EXPECT_THAT(bad.status(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("GOODHART_API_KEYS")));
}

TEST(ConfigTest, ClickHouseStoreFromFileOrEnvironment) {
  auto c = ParseConfig(
      "store: {kind: clickhouse, url: \"http://10.0.0.5:8123\", database: gh, user: ingest, "
      "password: pw}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->store.kind, "clickhouse");
  EXPECT_EQ(c->store.url, "http://10.0.0.5:8123");
  EXPECT_EQ(c->store.database, "gh");
  EXPECT_EQ(c->store.user, "ingest");
  EXPECT_EQ(c->store.password, "pw");
  EXPECT_THAT(c->Validate(), IsOk());

  auto env = LoadConfig("", {{"GOODHART_STORE_KIND", "clickhouse"},
                             {"GOODHART_STORE_URL", "http://127.0.0.1:8123"},
                             {"GOODHART_STORE_PASSWORD", "secret"}});
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->store.database, "goodhart");
  EXPECT_EQ(env->store.user, "default");
  EXPECT_EQ(env->store.password, "secret");
  EXPECT_THAT(env->Validate(), IsOk());

  Config bad;
  bad.store.kind = "clickhouse";  // no url
  EXPECT_THAT(bad.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.url")));
  bad.store.url = "http://127.0.0.1:8123";
  bad.store.database = "a;b";
  EXPECT_THAT(bad.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.database")));
  bad.store.kind = "postgres";
  EXPECT_THAT(bad.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.kind")));
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  auto c = LoadConfig("", {{"GOODHART_LISTEN", "127.0.0.1:0"},
                           {"GOODHART_GRPC_LISTEN", "127.0.0.1:4317"},
                           {"GOODHART_DATA_DIR", "/x"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server.listen, "127.0.0.1:0");
  EXPECT_EQ(c->server.grpc_listen, "127.0.0.1:4317");
  auto file = ParseConfig("server: {grpc_listen: \"0.0.0.0:4317\"}");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->server.grpc_listen, "0.0.0.0:4317");
  EXPECT_EQ(c->data_dir, "/x");
  EXPECT_THAT(LoadConfig("", {{"GOODHART_SERVER_THREADS", "x"}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("GOODHART_SERVER_THREADS")));
  EXPECT_FALSE(LoadConfig("/nonexistent/goodhart.yaml", {}).ok());
}

// Found by config_parse_fuzz: a YAML complex key ("? [a]") threw out of ParseConfig.
TEST(ConfigTest, AKeyThatIsNotANameIsAnError) {
  EXPECT_THAT(ParseConfig("? [data_dir]\n: /x\n").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("config: config: top level: a key that is not a name")));
  EXPECT_THAT(ParseConfig("server:\n  ? [threads]\n  : 2\n").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("config: config: server: a key that is not a name")));
}

}  // namespace
}  // namespace goodhart::config
