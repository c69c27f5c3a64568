// StoreConformanceTest: the behaviour every Store backend must show, as value-parameterized
// GoogleTest suites. A backend's test binary instantiates them with a factory that opens its
// store on a directory (the ClickHouse backend may ignore the directory and use a fresh
// database per test instead):
//
//   GOODHART_INSTANTIATE_STORE_CONFORMANCE_TEST(Embedded, StoreFactory{"embedded", OpenForTest});
//   GOODHART_INSTANTIATE_STORE_CONCURRENCY_TEST(Embedded, StoreFactory{"embedded", OpenForTest});
//
// The two suites live in separate binaries so that CI can run the second, labelled
// `concurrency`, under TSan. Use the macros: they name the generator functions defined next to
// the tests, which is what makes the linker keep the tests from this static library.
//
// What the suites pin down, beyond store.h's comments:
// - QueryUsageRollups counts signal kEvent records in full, and a metric point only when no
//   event covers it: the point's (session, day) has no event, or, for a point without a
//   session, its (actor, day, model) has no event. Rows come back in any order.
// - Cumulative points become deltas per (series_key, series_start): the first point seen counts
//   in full, a later point counts its increase over the latest earlier one, or in full after a
//   decrease (a reset); a point no later than the latest seen counts zero. Delta points add up.
// - `prompts` counts kPrompt events; `requests` sums request_count of kModelCall and
//   kUsageAggregate records; `sessions` counts distinct non-empty session ids in the cell.
// - Prompt sketches and cadence rows come from kPrompt events (signal kEvent) only.
// - PurgeSketchesBefore returns the number of sketch rows plus cadence rows it deleted.
// - A reversed range (from after to) is kInvalidArgument.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "goodhart/store/store.h"

namespace goodhart::store::storetest {

struct StoreFactory {
  std::string name;  // test-name suffix: letters, digits and underscores
  // Opens a store keeping its data under `dir`; the same dir again must reopen the same data.
  // Returns nullptr on failure (after printing why).
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

// Gives each test a fresh temporary directory, removed afterwards.
class StoreTestBase : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens a store on dir(); nullptr if the factory failed (the test then fails too).
  std::unique_ptr<Store> Open();
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

class StoreConformanceTest : public StoreTestBase {};
class StoreConcurrencyTest : public StoreTestBase {};

// Test-name generators; each is defined in the file holding its suite's tests.
std::string StoreConformanceTestName(const ::testing::TestParamInfo<StoreFactory>& info);
std::string StoreConcurrencyTestName(const ::testing::TestParamInfo<StoreFactory>& info);

}  // namespace goodhart::store::storetest

// gtest pastes the suite name into identifiers, so it must be unqualified here.
#define GOODHART_INSTANTIATE_STORE_CONFORMANCE_TEST(prefix, ...)                         \
  using ::goodhart::store::storetest::StoreConformanceTest;                              \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreConformanceTest, ::testing::Values(__VA_ARGS__), \
                           ::goodhart::store::storetest::StoreConformanceTestName)

#define GOODHART_INSTANTIATE_STORE_CONCURRENCY_TEST(prefix, ...)                         \
  using ::goodhart::store::storetest::StoreConcurrencyTest;                              \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreConcurrencyTest, ::testing::Values(__VA_ARGS__), \
                           ::goodhart::store::storetest::StoreConcurrencyTestName)
