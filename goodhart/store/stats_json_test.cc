#include "goodhart/store/stats_json.h"

#include <gtest/gtest.h>

namespace goodhart::store {
namespace {

// Every count under its own name, each with a distinct value so a swapped field shows.
TEST(StatsJsonTest, EveryCountUnderItsName) {
  StoreStats s{.usage_events = 1,
               .rollup_rows = 2,
               .prompt_sketches = 3,
               .commits = 4,
               .changes = 5,
               .reviews = 6,
               .releases = 7,
               .pipeline_runs = 8,
               .deployments = 9,
               .incidents = 10,
               .raw_deliveries = 11,
               .directory_versions = 12,
               .bytes_on_disk = 13,
               .schema_version = 14};
  nlohmann::json want = {{"usage_events", 1},   {"rollup_rows", 2},     {"prompt_sketches", 3},
                         {"commits", 4},        {"changes", 5},         {"reviews", 6},
                         {"releases", 7},       {"pipeline_runs", 8},   {"deployments", 9},
                         {"incidents", 10},     {"raw_deliveries", 11}, {"directory_versions", 12},
                         {"bytes_on_disk", 13}, {"schema_version", 14}};
  EXPECT_EQ(StatsJson(s), want);
}

}  // namespace
}  // namespace goodhart::store
