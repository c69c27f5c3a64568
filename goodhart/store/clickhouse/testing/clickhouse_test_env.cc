#include "goodhart/store/clickhouse/testing/clickhouse_test_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::testing {
namespace {

struct State {
  std::mutex mu;
  std::string url;
  std::string own_server_dir;       // set when this process started the server
  bool external = false;            // GOODHART_TEST_CLICKHOUSE_URL: a server others may use too
  std::set<std::string> databases;  // created by this process
  std::string cluster;              // GOODHART_TEST_CLICKHOUSE_CLUSTER_DIR: cluster mode
  std::vector<std::string> shard_urls;
};

State& GetState() {
  static State* state = new State();
  return *state;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.pop_back();
  return s;
}

bool ServerInstalled() {
  std::string path = Env("PATH") + ":/usr/sbin:/usr/local/sbin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    std::string dir = path.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/clickhouse-server").c_str(), X_OK) == 0)
      return true;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return false;
}

// Runs `command`, returning its exit status and standard output.
int Run(const std::string& command, std::string* out) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return -1;
  char buffer[512];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out->append(buffer, n);
  return ::pclose(pipe);
}

std::string Script() { return std::string(GOODHART_SOURCE_DIR) + "/scripts/clickhouse.sh"; }

clickhouse::ClickHouseClient& Client() {
  // In cluster mode with the store's settings, so a test's insert is on its shard at once.
  static clickhouse::ClickHouseClient* client = new clickhouse::ClickHouseClient(
      {.url = ClickHouseTestUrl(),
       .max_attempts = 3,
       .initial_backoff_ms = 20,
       .settings = GetState().cluster.empty()
                       ? ""
                       : "insert_distributed_sync=1&distributed_product_mode=global"});
  return *client;
}

// Drops `name` on the test server, and in cluster mode on every shard, with its local database.
Status DropDatabase(const std::string& name) {
  State& state = GetState();
  if (state.cluster.empty()) {
    return Client()
        .Query("test: drop database", "DROP DATABASE IF EXISTS " + clickhouse::SqlIdentifier(name))
        .status();
  }
  for (const std::string& url : state.shard_urls) {
    clickhouse::ClickHouseClient shard({.url = url, .max_attempts = 3, .initial_backoff_ms = 20});
    for (const std::string& db : {name, name + "_local"}) {
      GOODHART_RETURN_IF_ERROR(shard
                                   .Query("test: drop database", "DROP DATABASE IF EXISTS " +
                                                                     clickhouse::SqlIdentifier(db))
                                   .status());
    }
  }
  return Status::Ok();
}

}  // namespace

void ClickHouseTestEnvironment::SetUp() {
  State& state = GetState();
  std::string url = Env("GOODHART_TEST_CLICKHOUSE_URL");
  state.external = !url.empty();
  if (std::string dir = Env("GOODHART_TEST_CLICKHOUSE_CLUSTER_DIR"); !dir.empty()) {
    std::ifstream cluster(dir + "/cluster"), urls(dir + "/urls");
    std::getline(cluster, state.cluster);
    state.cluster = Trim(state.cluster);
    for (std::string line; std::getline(urls, line);) {
      if (!Trim(line).empty())
        state.shard_urls.push_back(Trim(line));
    }
    if (state.cluster.empty() || state.shard_urls.empty()) {
      if (!ServerInstalled())
        GTEST_SKIP()
            << "clickhouse-server is not installed: the ClickHouse cluster tests are skipped";
      FAIL() << "GOODHART_TEST_CLICKHOUSE_CLUSTER_DIR " << dir
             << " has no cluster and urls files (scripts/clickhouse.sh start-cluster DIR)";
    }
    state.url = state.shard_urls.front();
    state.external = true;
    return;
  }
  if (url.empty()) {
    std::string file = Env("GOODHART_TEST_CLICKHOUSE_URL_FILE");
    if (!file.empty() && std::filesystem::exists(file)) {
      std::ifstream in(file);
      std::getline(in, url);
      url = Trim(url);
    }
  }
  if (url.empty()) {
    if (!ServerInstalled()) {
      GTEST_SKIP() << "clickhouse-server is not installed and GOODHART_TEST_CLICKHOUSE_URL is not "
                      "set: the ClickHouse store tests are skipped (scripts/install-deps.sh "
                      "installs it)";
    }
    std::string dir = (std::filesystem::temp_directory_path() /
                       ("goodhart_clickhouse_" + std::to_string(::getpid())))
                          .string();
    std::string out;
    int status = Run(Script() + " start " + dir + " 2>&1", &out);
    if (status != 0) {
      FAIL() << "clickhouse.sh start " << dir << " failed (" << status << "):\n" << out;
    }
    state.own_server_dir = dir;
    std::ifstream in(dir + "/url");
    std::getline(in, url);
    url = Trim(url);
    if (url.empty())
      FAIL() << "clickhouse.sh start wrote no URL:\n" << out;
  }
  state.url = url;
}

void ClickHouseTestEnvironment::TearDown() {
  State& state = GetState();
  // Test servers of our own are removed whole (DROP DATABASE takes about half a second each);
  // on a server given by URL, this process's databases are dropped unless asked to keep them.
  if (state.external && Env("GOODHART_TEST_CLICKHOUSE_KEEP") != "1") {
    std::lock_guard lock(state.mu);
    for (const std::string& db : state.databases) {
      Status dropped = DropDatabase(db);
      if (!dropped.ok())
        std::fprintf(stderr, "clickhouse test: %s\n", dropped.ToString().c_str());
    }
    state.databases.clear();
  }
  if (!state.own_server_dir.empty()) {
    std::string out;
    if (Run(Script() + " purge " + state.own_server_dir + " 2>&1", &out) != 0)
      std::fprintf(stderr, "clickhouse.sh purge failed:\n%s", out.c_str());
    std::error_code ec;
    std::filesystem::remove_all(state.own_server_dir, ec);
    state.own_server_dir.clear();
  }
}

const std::string& ClickHouseTestUrl() { return GetState().url; }

ClickHouseStoreOptions ClickHouseTestOptions(const std::string& database) {
  return {.url = ClickHouseTestUrl(),
          .database = database,
          .cluster = GetState().cluster,
          .shard_urls = GetState().shard_urls,
          .max_attempts = 3,
          .initial_backoff_ms = 20,
          .max_backoff_ms = 200};
}

const std::string& ClickHouseTestCluster() { return GetState().cluster; }
const std::vector<std::string>& ClickHouseTestShardUrls() { return GetState().shard_urls; }

std::string ClickHouseTestDatabase(const std::string& dir) {
  std::string name = "goodhart_test_";
  for (char c : std::filesystem::path(dir).filename().string()) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    name.push_back(ok ? c : '_');
  }
  State& state = GetState();
  bool first = false;
  {
    std::lock_guard lock(state.mu);
    first = state.databases.insert(name).second;
  }
  if (first) {
    // A name left over from an earlier run (same temp name, shared server) starts empty.
    Status dropped = DropDatabase(name);
    EXPECT_TRUE(dropped.ok()) << dropped.ToString();
  }
  return name;
}

std::unique_ptr<Store> OpenClickHouseForTest(const std::string& dir) {
  auto store = OpenClickHouseStore(ClickHouseTestOptions(ClickHouseTestDatabase(dir)));
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

Result<std::string> ClickHouseTestQuery(const std::string& sql) {
  return Client().Query("test", sql);
}

}  // namespace goodhart::store::testing
