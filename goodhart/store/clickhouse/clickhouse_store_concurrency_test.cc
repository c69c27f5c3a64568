// The concurrency conformance suite on the ClickHouse store (label `concurrency`): concurrent
// appends exercise group commit and the in-process serialisation of key checks.
#include <gtest/gtest.h>

#include "goodhart/store/clickhouse/testing/clickhouse_test_env.h"
#include "goodhart/store/storetest/store_conformance.h"

GOODHART_CLICKHOUSE_TEST_ENVIRONMENT();

namespace goodhart::store {
namespace {

GOODHART_INSTANTIATE_STORE_CONCURRENCY_TEST(ClickHouse,
                                            storetest::StoreFactory{
                                                "clickhouse", testing::OpenClickHouseForTest});

}  // namespace
}  // namespace goodhart::store
