#include "goodhart/store/embedded/internal/event_codec.h"

#include <gtest/gtest.h>

#include <limits>

namespace goodhart::store::internal {
namespace {

model::UsageEvent Extreme() {
  model::UsageEvent e;
  e.kind = model::UsageKind::kOther;
  e.signal = model::Signal::kMetric;
  e.temporality = model::Temporality::kCumulative;
  e.raw_id = std::string("raw\0id", 6);
  e.prompt_id = "p";
  e.request_id = std::string(300, 'r');
  e.git_commit_id = "c0ffee";
  e.end_unix_ms = std::numeric_limits<int64_t>::max();
  e.tokens = {.input_uncached = std::numeric_limits<int64_t>::max(),
              .cache_read = 0,
              .cache_write = 1,
              .output = 127,
              .reasoning = 128};
  e.request_count = std::numeric_limits<int64_t>::min();
  e.reported_cost_micros = -1;
  e.computed_cost_micros = std::numeric_limits<int64_t>::min();
  e.duration_ms = -300;
  e.prompt_length = 1 << 20;
  e.series_start_unix_ms = 1'700'000'000'000;
  model::PromptSketch sketch;
  sketch.simhash = ~0ULL;
  for (size_t i = 0; i < sketch.minhash.size(); ++i)
    sketch.minhash[i] = i * 0x0101010101010101ULL;
  sketch.token_estimate = -7;
  e.prompt_sketch = sketch;
  return e;
}

DictIds SomeIds() {
  DictIds ids{};
  for (int i = 0; i < kDictFieldCount; ++i)
    ids[i] = static_cast<int64_t>(i) * 1'000'003;
  return ids;
}

TEST(EventCodecTest, RoundTripsExtremeValues) {
  model::UsageEvent in = Extreme();
  std::string body;
  EncodeEventBody(in, SomeIds(), /*inline_sketch=*/true, &body);
  model::UsageEvent out;
  DictIds ids{};
  ASSERT_TRUE(DecodeEventBody(body, &out, &ids).ok());
  EXPECT_EQ(ids, SomeIds());
  EXPECT_TRUE(out == in);
}

TEST(EventCodecTest, LeavesTheSketchOutUnlessInline) {
  std::string body;
  EncodeEventBody(Extreme(), SomeIds(), /*inline_sketch=*/false, &body);
  model::UsageEvent out;
  DictIds ids{};
  ASSERT_TRUE(DecodeEventBody(body, &out, &ids).ok());
  EXPECT_FALSE(out.prompt_sketch.has_value());
  EXPECT_EQ(out.request_id, std::string(300, 'r'));
}

TEST(EventCodecTest, TruncatedOrCorruptBodiesAreDataLoss) {
  std::string body;
  EncodeEventBody(Extreme(), SomeIds(), true, &body);
  model::UsageEvent out;
  DictIds ids{};
  for (size_t n = 0; n < body.size(); ++n) {
    EXPECT_EQ(DecodeEventBody(body.substr(0, n), &out, &ids).code(), StatusCode::kDataLoss) << n;
  }
  EXPECT_EQ(DecodeEventBody(body + "x", &out, &ids).code(), StatusCode::kDataLoss);
  std::string bad_version = body;
  bad_version[0] = 9;
  EXPECT_EQ(DecodeEventBody(bad_version, &out, &ids).code(), StatusCode::kDataLoss);
  std::string bad_kind = body;
  bad_kind[1] = 77;
  EXPECT_EQ(DecodeEventBody(bad_kind, &out, &ids).code(), StatusCode::kDataLoss);
}

TEST(EventCodecTest, BlobsOfSketchesAndTimes) {
  std::array<uint64_t, model::kMinHashSize> minhash{};
  for (size_t i = 0; i < minhash.size(); ++i)
    minhash[i] = ~i;
  std::array<uint64_t, model::kMinHashSize> back{};
  ASSERT_TRUE(DecodeMinhash(EncodeMinhash(minhash), &back));
  EXPECT_EQ(back, minhash);
  EXPECT_FALSE(DecodeMinhash("short", &back));

  std::vector<int64_t> times = {-5, 0, 1'762'646'400'000, std::numeric_limits<int64_t>::max()};
  std::vector<int64_t> times_back;
  ASSERT_TRUE(DecodeTimes(EncodeTimes(times), &times_back));
  EXPECT_EQ(times_back, times);
  EXPECT_FALSE(DecodeTimes("1234567", &times_back));
}

}  // namespace
}  // namespace goodhart::store::internal

namespace goodhart::store::internal {
namespace {

TEST(EventCodecTest, ChunksHoldEntriesInOrder) {
  std::string chunk;
  AppendChunkEntry("req:a", 1'000, 7, "body-a", &chunk);
  AppendChunkEntry("req:b", -5, 0, "", &chunk);
  AppendChunkEntry(std::string(200, 'k'), INT64_MAX, 1 << 30, std::string(500, 'x'), &chunk);
  ChunkReader reader(chunk);
  ChunkEntry e;
  ASSERT_TRUE(*reader.Next(&e));
  EXPECT_EQ(e.event_key, "req:a");
  EXPECT_EQ(e.time_unix_ms, 1'000);
  EXPECT_EQ(e.actor, 7);
  EXPECT_EQ(e.body, "body-a");
  ASSERT_TRUE(*reader.Next(&e));
  EXPECT_EQ(e.event_key, "req:b");
  EXPECT_EQ(e.time_unix_ms, -5);
  EXPECT_EQ(e.body, "");
  ASSERT_TRUE(*reader.Next(&e));
  EXPECT_EQ(e.event_key, std::string(200, 'k'));
  EXPECT_EQ(e.time_unix_ms, INT64_MAX);
  EXPECT_EQ(e.actor, 1 << 30);
  EXPECT_EQ(e.body.size(), 500u);
  EXPECT_FALSE(*reader.Next(&e));

  ChunkReader truncated(std::string_view(chunk).substr(0, chunk.size() - 1));
  ASSERT_TRUE(*truncated.Next(&e));
  ASSERT_TRUE(*truncated.Next(&e));
  EXPECT_EQ(truncated.Next(&e).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace goodhart::store::internal
