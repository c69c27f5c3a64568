#include "goodhart/store/embedded/internal/dictionary.h"

#include <gtest/gtest.h>

#include "goodhart/store/embedded/internal/sqlite.h"

namespace goodhart::store::internal {
namespace {

// A new string gets a new id; a string interned before gets its id back, from the cache or, after
// Forget() (a rollback) or in another writer (a restart), from the table.
TEST(WriterDictionaryTest, NewAndKnownStringsFromCacheAndTable) {
  auto db = Db::Open(":memory:", /*create=*/true);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE strings(id INTEGER PRIMARY KEY, value TEXT NOT NULL "
                         "UNIQUE); INSERT INTO strings(id, value) VALUES (0, '')")
                  .ok());
  WriterDictionary dict(**db);
  EXPECT_EQ(*dict.Intern(""), 0);
  auto a = dict.Intern("session-a"), b = dict.Intern("session-b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(*a, 0);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*dict.Intern("session-a"), *a);  // cached
  dict.Forget();
  EXPECT_EQ(*dict.Intern("session-b"), *b);  // in the table, not in the cache
  WriterDictionary other(**db);
  EXPECT_EQ(*other.Intern("session-a"), *a);
  auto c = other.Intern("session-c");
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*c, *a);
  EXPECT_NE(*c, *b);
}

}  // namespace
}  // namespace goodhart::store::internal
