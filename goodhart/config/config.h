// Config: every setting goodhart reads, with its default, loaded from one YAML file (--config) and
// overridable by GOODHART_* environment variables. Checked once at startup by Validate(); a config
// error prints one line and exits 2.
//
//   data_dir: ./goodhart-data            # GOODHART_DATA_DIR
//   server:
//     listen: 127.0.0.1:4318             # GOODHART_LISTEN
//     threads: 8                         # GOODHART_SERVER_THREADS
//     body_limit_bytes: 67108864         # GOODHART_BODY_LIMIT_BYTES: compressed request body
//     decompressed_limit_bytes: 67108864 # GOODHART_DECOMPRESSED_LIMIT_BYTES: after gunzip
//     tls_cert_file: ""                  # GOODHART_TLS_CERT_FILE: PEM; with tls_key_file: HTTPS
//     tls_key_file: ""                   # GOODHART_TLS_KEY_FILE
//     access_log: false                  # GOODHART_ACCESS_LOG: one JSON line per request on stderr
//     cache_max_stale_ms: 5000           # GOODHART_CACHE_MAX_STALE_MS: how old a cached dashboard
//                                        # answer may be while new telemetry arrives (0: never)
//   store:
//     kind: embedded                     # embedded | clickhouse   (GOODHART_STORE_KIND)
//     synchronous: full                  # embedded: full | normal   (GOODHART_STORE_SYNCHRONOUS)
//     url: ""                            # clickhouse: http://HOST:8123   (GOODHART_STORE_URL)
//     database: goodhart                 # clickhouse   (GOODHART_STORE_DATABASE)
//     user: default                      # clickhouse   (GOODHART_STORE_USER)
//     password: ""                       # clickhouse   (GOODHART_STORE_PASSWORD)
//     cluster: ""                        # clickhouse: a <remote_servers> cluster of shards
//                                        # (GOODHART_STORE_CLUSTER); empty: one node
//     shard_urls: []                     # clickhouse, with cluster: each shard's HTTP URL in
//                                        # shard order (GOODHART_STORE_SHARD_URLS, comma-separated)
//   privacy:
//     sketch_key: ""                     # GOODHART_SKETCH_KEY; empty: generated once into
//                                        # <data_dir>/sketch.key (mode 0600)
//   pricing:
//     file: ""                           # GOODHART_PRICES_FILE; empty: the built-in table
//   webhooks:
//     github_secret: ""                  # GOODHART_GITHUB_WEBHOOK_SECRET; set: X-Hub-Signature-256
//                                        # is required and checked
//     gitlab_token: ""                   # GOODHART_GITLAB_WEBHOOK_TOKEN; set: X-Gitlab-Token
//     required
//   access:                              # who may read what over the API (docs/access.md)
//     min_group_size: 5                  # k: team aggregates need k distinct contributors
//     min_attribute_group_size: 10       # k for attribute cuts (role, ...)
//     audit_log: ""                      # empty: <data_dir>/audit.jsonl
//     audit_fsync_interval_ms: 100       # GOODHART_AUDIT_FSYNC_INTERVAL_MS; 0: fsync before
//                                        # each audited read is answered (access/audit_log.h)
//     api_keys:                          # none: every caller is admin (loopback use only)
//       - {name: ana, role: analyst, key_sha256: "<goodhart keys create prints it>"}
//       - {name: alice, role: member, person: alice, key_sha256: "..."}
//   alerts:
//     webhook_url: ""                    # GOODHART_ALERT_WEBHOOK_URL; Slack-compatible JSON
//   nd: {...}                            # the ND parameters (analytics/nd/nd_params.h)
//   detect: {...}                        # the detector parameters (detect/detect_params.h)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::config {

struct ServerConfig {
  std::string listen =
      "127.0.0.1:4318";     // loopback unless the operator opens it up; 4318 = OTLP/HTTP
  std::string grpc_listen;  // OTLP/gRPC's HOST:PORT (its default port is 4317); empty: off
  int threads = 8;
  int64_t body_limit_bytes = 64 << 20;          // OTLP's recommended limit
  int64_t decompressed_limit_bytes = 64 << 20;  // guards against gzip bombs
  int read_timeout_seconds = 10;
  std::string tls_cert_file, tls_key_file;  // both set: HTTPS
  bool access_log = false;                  // one JSON line per request on stderr
  int64_t cache_max_stale_ms = 5'000;       // api/read_cache.h

  // Splits `listen` into host and port. REQUIRES: Validate() passed.
  std::string host() const;
  uint16_t port() const;
};

struct StoreConfig {
  std::string kind = "embedded";     // embedded (SQLite in data_dir) | clickhouse
  std::string synchronous = "full";  // full survives power loss, normal only process crashes
  // kind clickhouse (store/clickhouse/README.md): its HTTP interface and database.
  std::string url;
  std::string database = "goodhart";
  std::string user = "default";
  std::string password;
  // Sharded (store/clickhouse/README.md, "Sharding"): the cluster's name in the servers'
  // <remote_servers> and the HTTP URL of each shard, in shard order. Both empty: one node.
  std::string cluster;
  std::vector<std::string> shard_urls;
};

struct PrivacyConfig {
  std::string sketch_key;
};

struct PricingConfig {
  std::string file;
};

struct WebhookConfig {
  std::string github_secret;
  std::string gitlab_token;
};

// One API key: its name, role (admin | analyst | member), the person a member key belongs to, and
// the SHA-256 of the key (hex). The key itself is never stored.
struct ApiKeyConfig {
  std::string name, role, person, key_sha256;
};

struct AccessConfig {
  int min_group_size = 5;
  int min_attribute_group_size = 10;
  std::string audit_log;
  int64_t audit_fsync_interval_ms = 100;  // 0-60000
  std::vector<ApiKeyConfig> api_keys;
};

struct AlertsConfig {
  std::string webhook_url;
};

struct Config {
  std::string data_dir = "./goodhart-data";
  ServerConfig server;
  StoreConfig store;
  PrivacyConfig privacy;
  PricingConfig pricing;
  WebhookConfig webhooks;
  AccessConfig access;
  AlertsConfig alerts;
  // The config document when it has an `nd:` section: the ND definition parameters
  // (metrics.md §3.10), read and validated by analytics::nd::ParseNdParams at startup.
  std::string nd_document;
  // Likewise the document when it has a `detect:` section (detect/detect_params.h).
  std::string detect_document;

  Status Validate() const;
};

// Parses YAML text. Unknown keys are errors, so typos do not pass silently.
Result<Config> ParseConfig(std::string_view yaml_text, std::string_view origin = "config");
// Reads `path` ("" = defaults only), then applies GOODHART_* variables from `env`.
Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);
// The process environment's GOODHART_* variables.
std::map<std::string, std::string> GoodhartEnvironment();

}  // namespace goodhart::config
