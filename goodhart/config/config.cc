#include "goodhart/config/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

extern char** environ;

namespace goodhart::config {
namespace {

Status CheckKeys(const YAML::Node& node, std::string_view where, std::set<std::string> allowed,
                 std::string_view origin) {
  if (!node.IsMap()) {
    return Status::InvalidArgument(
        fmt::format("config: {}: {}: expected a mapping", origin, where));
  }
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      return Status::InvalidArgument(fmt::format("config: {}: {}: a key that is not a name", origin,
                                                 where.empty() ? "top level" : where));
    }
    auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      return Status::InvalidArgument(fmt::format("config: {}: {}{}{}: unknown key", origin, where,
                                                 where.empty() ? "" : ".", key));
    }
  }
  return Status::Ok();
}

template <typename T>
Status Read(const YAML::Node& node, const char* key, T* out, std::string_view where,
            std::string_view origin) {
  if (!node[key])
    return Status::Ok();
  try {
    *out = node[key].as<T>();
  } catch (const YAML::Exception&) {
    return Status::InvalidArgument(
        fmt::format("config: {}: {}.{}: wrong type", origin, where, key));
  }
  return Status::Ok();
}

Result<int64_t> ParseInt(const std::string& name, const std::string& value) {
  try {
    size_t used = 0;
    long long v = std::stoll(value, &used);
    if (used != value.size())
      throw std::invalid_argument("trailing");
    return static_cast<int64_t>(v);
  } catch (const std::exception&) {
    return Status::InvalidArgument(fmt::format("config: {}: '{}' is not an integer", name, value));
  }
}

// A listen address: HOST:PORT with a port 0-65535.
Status ValidateListen(const std::string& key, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument(fmt::format("config: {}: '{}' is not HOST:PORT", key, listen));
  }
  auto port_text = listen.substr(colon + 1);
  auto port = ParseInt(key, port_text);
  if (!port.ok() || *port < 0 || *port > 65535) {
    return Status::InvalidArgument(
        fmt::format("config: {}: port '{}' is not 0-65535", key, port_text));
  }
  return Status::Ok();
}

}  // namespace

std::string ServerConfig::host() const { return listen.substr(0, listen.rfind(':')); }
uint16_t ServerConfig::port() const {
  return static_cast<uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

Status Config::Validate() const {
  if (data_dir.empty())
    return Status::InvalidArgument("config: data_dir: empty");
  GOODHART_RETURN_IF_ERROR(ValidateListen("server.listen", server.listen));
  if (!server.grpc_listen.empty())
    GOODHART_RETURN_IF_ERROR(ValidateListen("server.grpc_listen", server.grpc_listen));
  if (server.threads < 1 || server.threads > 1024) {
    return Status::InvalidArgument(
        fmt::format("config: server.threads: {} is not 1-1024", server.threads));
  }
  if (server.cache_max_stale_ms < 0 || server.cache_max_stale_ms > 3'600'000) {
    return Status::InvalidArgument(fmt::format(
        "config: server.cache_max_stale_ms: {} is not 0-3600000", server.cache_max_stale_ms));
  }
  if (server.body_limit_bytes < 1024 || server.decompressed_limit_bytes < 1024) {
    return Status::InvalidArgument("config: server: body limits must be at least 1024 bytes");
  }
  if (store.kind != "embedded" && store.kind != "clickhouse") {
    return Status::InvalidArgument(
        fmt::format("config: store.kind: '{}' is not embedded|clickhouse", store.kind));
  }
  if (store.kind == "clickhouse") {
    if (store.url.rfind("http://", 0) != 0 && store.url.rfind("https://", 0) != 0) {
      return Status::InvalidArgument(fmt::format(
          "config: store.url: '{}' is not http://HOST:PORT (kind clickhouse needs it)", store.url));
    }
    if (store.database.empty() ||
        store.database.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_") != std::string::npos) {
      return Status::InvalidArgument(
          fmt::format("config: store.database: '{}' is not letters, digits and _", store.database));
    }
    if (store.user.empty())
      return Status::InvalidArgument("config: store.user: empty");
    if (store.cluster.empty() != store.shard_urls.empty()) {
      return Status::InvalidArgument(
          "config: store.cluster and store.shard_urls: set both for a sharded ClickHouse, or "
          "neither");
    }
    if (store.cluster.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-.") != std::string::npos) {
      return Status::InvalidArgument(fmt::format(
          "config: store.cluster: '{}' is not letters, digits, '_', '-' and '.'", store.cluster));
    }
    for (size_t i = 0; i < store.shard_urls.size(); ++i) {
      const std::string& u = store.shard_urls[i];
      if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) {
        return Status::InvalidArgument(
            fmt::format("config: store.shard_urls[{}]: '{}' is not http://HOST:PORT", i, u));
      }
    }
  }
  if (store.synchronous != "full" && store.synchronous != "normal") {
    return Status::InvalidArgument(
        fmt::format("config: store.synchronous: '{}' is not full|normal", store.synchronous));
  }
  if (server.tls_cert_file.empty() != server.tls_key_file.empty()) {
    return Status::InvalidArgument(
        "config: server.tls_cert_file and server.tls_key_file: set both for HTTPS, or neither");
  }
  if (access.min_group_size < 2 || access.min_attribute_group_size < access.min_group_size) {
    return Status::InvalidArgument(
        "config: access: min_group_size must be >= 2 and min_attribute_group_size >= it");
  }
  if (access.audit_fsync_interval_ms < 0 || access.audit_fsync_interval_ms > 60'000) {
    return Status::InvalidArgument(
        fmt::format("config: access.audit_fsync_interval_ms: {} is not 0-60000",
                    access.audit_fsync_interval_ms));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < access.api_keys.size(); ++i) {
    const ApiKeyConfig& k = access.api_keys[i];
    std::string where = fmt::format("config: access.api_keys[{}]", i);
    if (k.name.empty() || !names.insert(k.name).second)
      return Status::InvalidArgument(where + ": name: empty or used twice");
    if (k.role != "admin" && k.role != "analyst" && k.role != "member") {
      return Status::InvalidArgument(
          fmt::format("{}: role: '{}' is not admin|analyst|member", where, k.role));
    }
    if (k.role == "member" && k.person.empty())
      return Status::InvalidArgument(where + ": person: a member key names its person");
    bool hex = k.key_sha256.size() == 64 &&
               k.key_sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) {
      return Status::InvalidArgument(
          where + ": key_sha256: not 64 lowercase hex digits (goodhart keys create prints it)");
    }
  }
  return Status::Ok();
}

Result<Config> ParseConfig(std::string_view yaml_text, std::string_view origin) {
  Config c;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(
        fmt::format("config: {}: line {}: {}", origin, e.mark.line + 1, e.msg));
  }
  if (root.IsNull())
    return c;
  GOODHART_RETURN_IF_ERROR(CheckKeys(root, "",
                                     {"data_dir", "server", "store", "privacy", "pricing",
                                      "webhooks", "access", "alerts", "nd", "detect"},
                                     origin));
  if (root["nd"])
    c.nd_document = std::string(yaml_text);
  if (root["detect"])
    c.detect_document = std::string(yaml_text);
  GOODHART_RETURN_IF_ERROR(Read(root, "data_dir", &c.data_dir, "", origin));
  if (auto s = root["server"]) {
    GOODHART_RETURN_IF_ERROR(
        CheckKeys(s, "server",
                  {"listen", "grpc_listen", "threads", "body_limit_bytes",
                   "decompressed_limit_bytes", "read_timeout_seconds", "tls_cert_file",
                   "tls_key_file", "access_log", "cache_max_stale_ms"},
                  origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "listen", &c.server.listen, "server", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "grpc_listen", &c.server.grpc_listen, "server", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "threads", &c.server.threads, "server", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "body_limit_bytes", &c.server.body_limit_bytes, "server", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "decompressed_limit_bytes", &c.server.decompressed_limit_bytes, "server", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "read_timeout_seconds", &c.server.read_timeout_seconds, "server", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "tls_cert_file", &c.server.tls_cert_file, "server", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "tls_key_file", &c.server.tls_key_file, "server", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "access_log", &c.server.access_log, "server", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "cache_max_stale_ms", &c.server.cache_max_stale_ms, "server", origin));
  }
  if (auto s = root["store"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(
        s, "store",
        {"kind", "synchronous", "url", "database", "user", "password", "cluster", "shard_urls"},
        origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "kind", &c.store.kind, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "synchronous", &c.store.synchronous, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "url", &c.store.url, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "database", &c.store.database, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "user", &c.store.user, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "password", &c.store.password, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "cluster", &c.store.cluster, "store", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "shard_urls", &c.store.shard_urls, "store", origin));
  }
  if (auto s = root["privacy"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(s, "privacy", {"sketch_key"}, origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "sketch_key", &c.privacy.sketch_key, "privacy", origin));
  }
  if (auto s = root["pricing"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(s, "pricing", {"file"}, origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "file", &c.pricing.file, "pricing", origin));
  }
  if (auto s = root["webhooks"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(s, "webhooks", {"github_secret", "gitlab_token"}, origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "github_secret", &c.webhooks.github_secret, "webhooks", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "gitlab_token", &c.webhooks.gitlab_token, "webhooks", origin));
  }
  if (auto s = root["access"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(s, "access",
                                       {"min_group_size", "min_attribute_group_size", "audit_log",
                                        "audit_fsync_interval_ms", "api_keys"},
                                       origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "min_group_size", &c.access.min_group_size, "access", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "min_attribute_group_size", &c.access.min_attribute_group_size, "access", origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "audit_log", &c.access.audit_log, "access", origin));
    GOODHART_RETURN_IF_ERROR(
        Read(s, "audit_fsync_interval_ms", &c.access.audit_fsync_interval_ms, "access", origin));
    if (auto keys = s["api_keys"]) {
      if (!keys.IsSequence()) {
        return Status::InvalidArgument(
            fmt::format("config: {}: access.api_keys: expected a list", origin));
      }
      for (size_t i = 0; i < keys.size(); ++i) {
        std::string where = fmt::format("access.api_keys[{}]", i);
        GOODHART_RETURN_IF_ERROR(
            CheckKeys(keys[i], where, {"name", "role", "person", "key_sha256"}, origin));
        ApiKeyConfig k;
        GOODHART_RETURN_IF_ERROR(Read(keys[i], "name", &k.name, where, origin));
        GOODHART_RETURN_IF_ERROR(Read(keys[i], "role", &k.role, where, origin));
        GOODHART_RETURN_IF_ERROR(Read(keys[i], "person", &k.person, where, origin));
        GOODHART_RETURN_IF_ERROR(Read(keys[i], "key_sha256", &k.key_sha256, where, origin));
        c.access.api_keys.push_back(std::move(k));
      }
    }
  }
  if (auto s = root["alerts"]) {
    GOODHART_RETURN_IF_ERROR(CheckKeys(s, "alerts", {"webhook_url"}, origin));
    GOODHART_RETURN_IF_ERROR(Read(s, "webhook_url", &c.alerts.webhook_url, "alerts", origin));
  }
  return c;
}

Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  Config c;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in)
      return Status::InvalidArgument(fmt::format("config: {}: cannot read the file", path));
    std::stringstream text;
    text << in.rdbuf();
    GOODHART_ASSIGN_OR_RETURN(c, ParseConfig(text.str(), path));
  }
  auto get = [&](const char* name) -> const std::string* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : &it->second;
  };
  if (auto v = get("GOODHART_TLS_CERT_FILE"))
    c.server.tls_cert_file = *v;
  if (auto v = get("GOODHART_TLS_KEY_FILE"))
    c.server.tls_key_file = *v;
  if (auto v = get("GOODHART_ACCESS_LOG"))
    c.server.access_log = *v == "1" || *v == "true";
  if (auto v = get("GOODHART_CACHE_MAX_STALE_MS")) {
    GOODHART_ASSIGN_OR_RETURN(c.server.cache_max_stale_ms,
                              ParseInt("GOODHART_CACHE_MAX_STALE_MS", *v));
  }
  if (auto v = get("GOODHART_AUDIT_FSYNC_INTERVAL_MS")) {
    GOODHART_ASSIGN_OR_RETURN(c.access.audit_fsync_interval_ms,
                              ParseInt("GOODHART_AUDIT_FSYNC_INTERVAL_MS", *v));
  }
  if (auto v = get("GOODHART_ALERT_WEBHOOK_URL"))
    c.alerts.webhook_url = *v;
  if (auto v = get("GOODHART_DATA_DIR"))
    c.data_dir = *v;
  if (auto v = get("GOODHART_LISTEN"))
    c.server.listen = *v;
  if (auto v = get("GOODHART_GRPC_LISTEN"))
    c.server.grpc_listen = *v;
  if (auto v = get("GOODHART_SERVER_THREADS")) {
    GOODHART_ASSIGN_OR_RETURN(auto n, ParseInt("GOODHART_SERVER_THREADS", *v));
    c.server.threads = static_cast<int>(n);
  }
  if (auto v = get("GOODHART_BODY_LIMIT_BYTES")) {
    GOODHART_ASSIGN_OR_RETURN(c.server.body_limit_bytes, ParseInt("GOODHART_BODY_LIMIT_BYTES", *v));
  }
  if (auto v = get("GOODHART_READ_TIMEOUT_SECONDS")) {
    GOODHART_ASSIGN_OR_RETURN(auto n, ParseInt("GOODHART_READ_TIMEOUT_SECONDS", *v));
    c.server.read_timeout_seconds = static_cast<int>(n);
  }
  if (auto v = get("GOODHART_MIN_GROUP_SIZE")) {
    GOODHART_ASSIGN_OR_RETURN(auto n, ParseInt("GOODHART_MIN_GROUP_SIZE", *v));
    c.access.min_group_size = static_cast<int>(n);
  }
  if (auto v = get("GOODHART_MIN_ATTRIBUTE_GROUP_SIZE")) {
    GOODHART_ASSIGN_OR_RETURN(auto n, ParseInt("GOODHART_MIN_ATTRIBUTE_GROUP_SIZE", *v));
    c.access.min_attribute_group_size = static_cast<int>(n);
  }
  if (auto v = get("GOODHART_AUDIT_LOG"))
    c.access.audit_log = *v;
  // The structured settings take the config file's YAML, flow style fits one line:
  //   GOODHART_API_KEYS='[{name: ana, role: analyst, key_sha256: ...}]'
  //   GOODHART_ND='{definition_version: nd-local-1, w_fail_days: 21}'
  //   GOODHART_DETECT='{version: detect-local-1, tier_b_z: 4}' (each set names its version)
  if (auto v = get("GOODHART_API_KEYS")) {
    GOODHART_ASSIGN_OR_RETURN(Config keys,
                              ParseConfig("access: {api_keys: " + *v + "}\n", "GOODHART_API_KEYS"));
    c.access.api_keys = std::move(keys.access.api_keys);
  }
  if (auto v = get("GOODHART_ND"))
    c.nd_document = "nd: " + *v + "\n";
  if (auto v = get("GOODHART_DETECT"))
    c.detect_document = "detect: " + *v + "\n";
  if (auto v = get("GOODHART_DECOMPRESSED_LIMIT_BYTES")) {
    GOODHART_ASSIGN_OR_RETURN(c.server.decompressed_limit_bytes,
                              ParseInt("GOODHART_DECOMPRESSED_LIMIT_BYTES", *v));
  }
  if (auto v = get("GOODHART_STORE_KIND"))
    c.store.kind = *v;
  if (auto v = get("GOODHART_STORE_SYNCHRONOUS"))
    c.store.synchronous = *v;
  if (auto v = get("GOODHART_STORE_URL"))
    c.store.url = *v;
  if (auto v = get("GOODHART_STORE_DATABASE"))
    c.store.database = *v;
  if (auto v = get("GOODHART_STORE_USER"))
    c.store.user = *v;
  if (auto v = get("GOODHART_STORE_PASSWORD"))
    c.store.password = *v;
  if (auto v = get("GOODHART_STORE_CLUSTER"))
    c.store.cluster = *v;
  if (auto v = get("GOODHART_STORE_SHARD_URLS")) {
    c.store.shard_urls.clear();
    std::stringstream list(*v);
    for (std::string url; std::getline(list, url, ',');) {
      if (!url.empty())
        c.store.shard_urls.push_back(url);
    }
  }
  if (auto v = get("GOODHART_SKETCH_KEY"))
    c.privacy.sketch_key = *v;
  if (auto v = get("GOODHART_PRICES_FILE"))
    c.pricing.file = *v;
  return c;
}

std::map<std::string, std::string> GoodhartEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("GOODHART_", 0) != 0)
      continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos)
      continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

}  // namespace goodhart::config
