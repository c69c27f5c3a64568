#include <gtest/gtest.h>

#include "goodhart/base/hash.h"
#include "goodhart/store/embedded/internal/key_blocks.h"
#include "goodhart/store/embedded/internal/key_filter.h"
#include "goodhart/store/embedded/internal/key_tail.h"

namespace goodhart::store::internal {
namespace {

KeyFingerprint Key(int i) {
  Hash128Value h = Hash128("req:" + std::to_string(i));
  return {h.low, h.high};
}

TEST(KeyTailTest, FindsWhatItHoldsAcrossGrowthAndCollisions) {
  KeyTail tail;
  for (int i = 0; i < 5000; ++i)
    tail.Insert(Key(i));
  tail.Insert({7, 1});
  tail.Insert({7, 2});  // same slot hash, different check
  EXPECT_EQ(tail.size(), 5002u);
  for (int i = 0; i < 5000; ++i)
    ASSERT_TRUE(tail.Contains(Key(i))) << i;
  EXPECT_TRUE(tail.Contains({7, 1}));
  EXPECT_TRUE(tail.Contains({7, 2}));
  EXPECT_FALSE(tail.Contains({7, 3}));
  EXPECT_FALSE(tail.Contains(Key(5000)));
  std::vector<KeyFingerprint> sorted = tail.Sorted();
  ASSERT_EQ(sorted.size(), 5002u);
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
  tail.Clear();
  EXPECT_FALSE(tail.Contains(Key(1)));
}

TEST(KeyFilterTest, HasNoFalseNegativesAndFewFalsePositives) {
  KeyFilter filter;
  EXPECT_TRUE(filter.MayContain(Key(1)));  // empty: everything must be probed
  filter.Reset(100'000);
  for (int i = 0; i < 100'000; ++i)
    filter.Add(Key(i));
  for (int i = 0; i < 100'000; ++i)
    ASSERT_TRUE(filter.MayContain(Key(i))) << i;
  int false_positives = 0;
  for (int i = 100'000; i < 200'000; ++i)
    false_positives += filter.MayContain(Key(i)) ? 1 : 0;
  EXPECT_LT(false_positives, 1000);  // < 1%
  EXPECT_FALSE(filter.WouldOverflow(100'000));
  EXPECT_TRUE(filter.WouldOverflow(10'000'000));
}

}  // namespace
}  // namespace goodhart::store::internal

namespace goodhart::store::internal {
namespace {

TEST(KeyBlocksTest, FindsKeysAcrossBlocksFencesAndEqualHashes) {
  auto db = Db::Open(":memory:", true);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE key_blocks(id INTEGER PRIMARY KEY, min_hash INTEGER, "
                         "max_hash INTEGER, keys INTEGER, fences BLOB, body BLOB)")
                  .ok());
  // 150,000 keys in 3 blocks; runs of 700 keys share a hash, so runs straddle fences and blocks.
  std::vector<KeyFingerprint> keys;
  for (uint64_t i = 0; i < 150'000; ++i)
    keys.push_back({(i / 700) * 0x9e3779b97f4a7c15ULL % (1ULL << 63), i * 31 + 1});
  std::sort(keys.begin(), keys.end());
  KeyBlocks blocks(**db);
  ASSERT_TRUE(blocks.Write(keys).ok());
  EXPECT_TRUE(*blocks.Contains(keys[5]));  // pending blocks count too
  blocks.Commit();
  EXPECT_EQ(blocks.keys(), 150'000);
  for (size_t i = 0; i < keys.size(); i += 97)
    ASSERT_TRUE(*blocks.Contains(keys[i])) << i;
  EXPECT_TRUE(*blocks.Contains(keys.back()));
  EXPECT_FALSE(*blocks.Contains({keys[1000].hash, 2}));  // same hash, other check
  EXPECT_FALSE(*blocks.Contains({~0ULL, 1}));

  KeyFilter filter;
  KeyBlocks reloaded(**db);
  ASSERT_TRUE(reloaded.Load(&filter).ok());
  EXPECT_EQ(reloaded.keys(), 150'000);
  EXPECT_TRUE(filter.MayContain(keys[777]));
  EXPECT_TRUE(*reloaded.Contains(keys[149'999]));

  KeyBlocks aborted(**db);
  ASSERT_TRUE(aborted.Write({keys.data(), 10}).ok());
  aborted.Abort();
  EXPECT_EQ(aborted.keys(), 0);
}

}  // namespace
}  // namespace goodhart::store::internal
