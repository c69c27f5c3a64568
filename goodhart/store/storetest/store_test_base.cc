#include <stdlib.h>

#include <filesystem>
#include <string>

#include "goodhart/store/storetest/store_conformance.h"

namespace goodhart::store::storetest {

void StoreTestBase::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "goodhart_storetest_XXXXXX");
  ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
  dir_ = pattern;
}

void StoreTestBase::TearDown() {
  if (dir_.empty())
    return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::unique_ptr<Store> StoreTestBase::Open() {
  std::unique_ptr<Store> store = GetParam().open(dir_);
  EXPECT_NE(store, nullptr) << "the " << GetParam().name << " factory failed on " << dir_;
  return store;
}

}  // namespace goodhart::store::storetest
