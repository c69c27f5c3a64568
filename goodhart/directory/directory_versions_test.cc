#include "goodhart/directory/directory_versions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::directory {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

// Ids and names go into JSON answers and records, which hold UTF-8 only (nlohmann's dump throws
// on anything else): a directory that is not UTF-8 is refused where it enters the store.
TEST(ImportDirectoryTest, TextThatIsNotUtf8IsRefusedAndNothingIsStored) {
  goodhart::testing::TempDir temp("directory-versions");
  const std::string& dir = temp.path();
  auto store = store::OpenEmbeddedStore({.data_dir = dir});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_THAT(ImportDirectory(**store, "teams: [{id: caf\xe9}]\n", 1).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("directory: file: not UTF-8")));
  auto loaded = LoadDirectory(**store, std::nullopt);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_FALSE(loaded->has_value());
  auto imported = ImportDirectory(**store, "teams: [{id: caf\xc3\xa9}]\n", 2);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->teams, 1u);
}

}  // namespace
}  // namespace goodhart::directory
