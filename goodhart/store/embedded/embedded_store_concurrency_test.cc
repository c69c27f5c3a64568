// The concurrency conformance suite on the embedded store (label `concurrency`, run under TSan):
// concurrent appends exercise group commit.
#include <gtest/gtest.h>

#include "goodhart/store/embedded/embedded_store.h"
#include "goodhart/store/storetest/store_conformance.h"

namespace goodhart::store {
namespace {

std::unique_ptr<Store> OpenEmbeddedForTest(const std::string& dir) {
  auto store = OpenEmbeddedStore({.data_dir = dir, .synchronous_full = false});
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

std::unique_ptr<Store> OpenWithKeyIndexMerges(const std::string& dir) {
  auto store = OpenEmbeddedStore(
      {.data_dir = dir, .synchronous_full = false, .key_index_merge_threshold = 100});
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

GOODHART_INSTANTIATE_STORE_CONCURRENCY_TEST(
    Embedded, storetest::StoreFactory{"embedded", OpenEmbeddedForTest},
    storetest::StoreFactory{"embedded_key_index_merges", OpenWithKeyIndexMerges});

}  // namespace
}  // namespace goodhart::store
