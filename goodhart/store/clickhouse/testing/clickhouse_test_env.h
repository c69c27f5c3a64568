// The ClickHouse server the store's tests run against, and a StoreFactory that opens a fresh
// database per test directory.
//
// Which server: GOODHART_TEST_CLICKHOUSE_URL when set; else the one the ctest fixture started (its
// URL file is named by GOODHART_TEST_CLICKHOUSE_URL_FILE); else, when clickhouse-server is
// installed, one this test binary starts itself with scripts/clickhouse.sh (and stops at exit).
// Only when none of these is possible do the tests skip, saying why; scripts/install-deps.sh
// installs clickhouse-server so CI never skips.
//
// GOODHART_TEST_CLICKHOUSE_CLUSTER_DIR names a cluster started by `scripts/clickhouse.sh
// start-cluster DIR` instead: the stores open in cluster mode (its `cluster` and `urls` files),
// on shard 1, and each test database is dropped on every shard first.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/store.h"

namespace goodhart::store::testing {

// Registered by each ClickHouse test binary (see GOODHART_CLICKHOUSE_TEST_ENVIRONMENT).
class ClickHouseTestEnvironment : public ::testing::Environment {
 public:
  void SetUp() override;
  void TearDown() override;
};

// The URL of the test server; empty before the environment's SetUp or when skipping.
const std::string& ClickHouseTestUrl();

// Options for `database` on the test server, with short retries so failures show quickly.
ClickHouseStoreOptions ClickHouseTestOptions(const std::string& database);

// A database name derived from a test directory; dropped first the first time it is seen in
// this process, and at exit when the server came from GOODHART_TEST_CLICKHOUSE_URL (unless
// GOODHART_TEST_CLICKHOUSE_KEEP=1; a server the tests started is removed whole).
std::string ClickHouseTestDatabase(const std::string& dir);

// storetest::StoreFactory::open for the conformance suites.
std::unique_ptr<Store> OpenClickHouseForTest(const std::string& dir);

// Cluster mode: the cluster's name and its shards' URLs; empty on one server.
const std::string& ClickHouseTestCluster();
const std::vector<std::string>& ClickHouseTestShardUrls();

// Runs one statement on the test server (test setup and inspection).
Result<std::string> ClickHouseTestQuery(const std::string& sql);

}  // namespace goodhart::store::testing

#define GOODHART_CLICKHOUSE_TEST_ENVIRONMENT()                                                 \
  [[maybe_unused]] static ::testing::Environment* const goodhart_clickhouse_test_environment = \
      ::testing::AddGlobalTestEnvironment(                                                     \
          new ::goodhart::store::testing::ClickHouseTestEnvironment)
