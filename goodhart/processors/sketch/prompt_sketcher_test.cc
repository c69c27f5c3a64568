#include "goodhart/processors/sketch/prompt_sketcher.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "goodhart/processors/sketch/internal/keyed_shingle_hasher.h"

namespace goodhart::processors {
namespace {

// 60 words, as a real "please fix" prompt might read.
constexpr std::string_view kPrompt =
    "Refactor the payment retry logic so that failed charges are retried with "
    "exponential backoff and jitter, keep the existing metrics for attempts and failures, "
    "make sure idempotency keys are reused across retries, add unit tests that cover the "
    "timeout path and the permanent decline path, and update the README section about "
    "retries so operators know which settings control the delay.";

std::string ReplaceWord(std::string text, std::string_view from, std::string_view to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos);
  return text.replace(pos, from.size(), to);
}

int CommonBands(const model::PromptSketch& a, const model::PromptSketch& b) {
  auto ba = PromptSketcher::LshBands(a);
  auto bb = PromptSketcher::LshBands(b);
  int common = 0;
  for (size_t i = 0; i < ba.size(); ++i)
    common += ba[i] == bb[i] ? 1 : 0;
  return common;
}

uint64_t ReferenceHmac64(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = (x << 8) | digest[i];
  return x;
}

// The sketch is all the store ever sees of a prompt: fixed-size integers, no text.
static_assert(std::is_trivially_copyable_v<model::PromptSketch>);
static_assert(std::is_standard_layout_v<model::PromptSketch>);
static_assert(sizeof(model::PromptSketch) ==
              sizeof(uint64_t) * (1 + model::kMinHashSize) + sizeof(int64_t));

TEST(KeyedShingleHasherTest, MatchesRfc4231Vectors) {
  // RFC 4231 test case 2 (short key) and 6 (131-byte key, hashed first).
  internal::KeyedShingleHasher jefe("Jefe");
  internal::KeyedShingleHasher::Session s1(jefe);
  EXPECT_EQ(s1.Hash("what do ya want for nothing?"), 0x5bdcc146bf60754eULL);

  internal::KeyedShingleHasher big(std::string(131, '\xaa'));
  internal::KeyedShingleHasher::Session s2(big);
  EXPECT_EQ(s2.Hash("Test Using Larger Than Block-Size Key - Hash Key First"),
            0x60e431591ee0b67fULL);
}

TEST(KeyedShingleHasherTest, MatchesOneShotHmacOnShingles) {
  const std::string key = "tenant-key-2026Q4";
  internal::KeyedShingleHasher hasher(key);
  internal::KeyedShingleHasher::Session session(hasher);
  for (std::string_view s : {"", "a", "fix t", "ix te", "\xc3\xa4\xc3\xb6x", "0 in /"}) {
    EXPECT_EQ(session.Hash(s), ReferenceHmac64(key, s)) << s;
  }
}

TEST(PromptSketcherTest, NormalizesCaseWhitespaceNumbersAndPaths) {
  EXPECT_EQ(PromptSketcher::Normalize("  Fix\tTEST 12 in src/a/b.cc\n\n"), "fix test 0 in /");
  EXPECT_EQ(PromptSketcher::Normalize("fix test 13 in src/c/d.cc"), "fix test 0 in /");
  EXPECT_EQ(PromptSketcher::Normalize("v2.10.3 costs $1,234"), "v0.0.0 costs $0,0");
  EXPECT_EQ(PromptSketcher::Normalize("open C:\\Users\\x\\a.txt and ./run.sh"), "open / and /");
  EXPECT_EQ(PromptSketcher::Normalize("and/or"), "/");
  EXPECT_EQ(PromptSketcher::Normalize(""), "");
  EXPECT_EQ(PromptSketcher::Normalize(" \r\n\t "), "");
  // Only ASCII is lowercased; UTF-8 sequences pass through byte for byte.
  EXPECT_EQ(PromptSketcher::Normalize("\xc3\x84nderung AB\xc3\x9f"), "\xc3\x84nderung ab\xc3\x9f");
}

TEST(PromptSketcherTest, CountsWordsOfTheNormalisedText) {
  PromptSketcher sketcher("k");
  EXPECT_EQ(sketcher.Sketch("Fix  the\tbug in src/x.cc 42").token_estimate, 6);
  EXPECT_EQ(sketcher.Sketch(kPrompt).token_estimate, 60);
  EXPECT_EQ(sketcher.Sketch("").token_estimate, 0);
  EXPECT_EQ(sketcher.Sketch("   ").token_estimate, 0);
}

TEST(PromptSketcherTest, SameTextAndKeyGiveIdenticalSketches) {
  PromptSketcher a("key-1");
  PromptSketcher b("key-1");
  auto sa = a.Sketch(kPrompt);
  EXPECT_EQ(sa, a.Sketch(kPrompt));
  EXPECT_EQ(sa, b.Sketch(kPrompt));
  EXPECT_EQ(PromptSketcher::EstimatedJaccard(sa, sa), 1.0);
  EXPECT_EQ(PromptSketcher::SimHashDistance(sa, sa), 0);
  EXPECT_EQ(CommonBands(sa, sa), 16);
  // Case and whitespace do not matter.
  std::string shouting(kPrompt);
  for (char& c : shouting)
    c = c == ' ' ? '\n' : static_cast<char>(std::toupper(c));
  EXPECT_EQ(sa, a.Sketch(shouting));
}

TEST(PromptSketcherTest, DifferentKeysGiveUnrelatedSketches) {
  auto s1 = PromptSketcher("key-1").Sketch(kPrompt);
  auto s2 = PromptSketcher("key-2").Sketch(kPrompt);
  EXPECT_NE(s1, s2);
  EXPECT_NE(s1.simhash, s2.simhash);
  EXPECT_LT(PromptSketcher::EstimatedJaccard(s1, s2), 0.05);
  EXPECT_EQ(CommonBands(s1, s2), 0);
  EXPECT_EQ(s1.token_estimate, s2.token_estimate);
}

TEST(PromptSketcherTest, NearDuplicatesCollide) {
  PromptSketcher sketcher("tenant-key");
  const std::string edited = ReplaceWord(std::string(kPrompt), "jitter", "limits");
  auto a = sketcher.Sketch(kPrompt);
  auto b = sketcher.Sketch(edited);
  EXPECT_NE(a, b);
  EXPECT_GT(PromptSketcher::EstimatedJaccard(a, b), 0.9);
  EXPECT_GE(CommonBands(a, b), 1);
  // 9 of 64 bits differ here; unrelated texts differ in about 32.
  EXPECT_LE(PromptSketcher::SimHashDistance(a, b), 12);
}

TEST(PromptSketcherTest, UnrelatedTextsDoNotCollide) {
  PromptSketcher sketcher("tenant-key");
  auto a = sketcher.Sketch(kPrompt);
  auto b = sketcher.Sketch(
      "Write a short poem about autumn leaves drifting over a quiet harbour at dusk, in the "
      "style of a sea shanty, with a refrain the crew can sing while hauling nets aboard.");
  EXPECT_LT(PromptSketcher::EstimatedJaccard(a, b), 0.2);
  EXPECT_EQ(CommonBands(a, b), 0);
  EXPECT_GE(PromptSketcher::SimHashDistance(a, b), 20);
}

TEST(PromptSketcherTest, NumbersAndPathsDoNotMatter) {
  PromptSketcher sketcher("tenant-key");
  EXPECT_EQ(sketcher.Sketch("fix test 12 in src/a/b.cc"),
            sketcher.Sketch("fix test 13 in src/c/d.cc"));
  EXPECT_EQ(sketcher.Sketch("retry 3 times"), sketcher.Sketch("Retry 300 times"));
  EXPECT_NE(sketcher.Sketch("fix test 12 in src/a/b.cc"), sketcher.Sketch("fix test 12 in b.cc"));
}

TEST(PromptSketcherTest, ShortTextsAreOneShingle) {
  PromptSketcher sketcher("tenant-key");
  auto empty = sketcher.Sketch("");
  auto ok = sketcher.Sketch("ok");
  auto ok2 = sketcher.Sketch("OK ");
  EXPECT_EQ(ok, ok2);
  EXPECT_NE(empty, ok);
  // One shingle: every MinHash slot comes from the same hash, and the SimHash is that hash.
  EXPECT_EQ(ok.simhash, ReferenceHmac64("tenant-key", "ok"));
  EXPECT_EQ(empty.simhash, ReferenceHmac64("tenant-key", ""));
  EXPECT_EQ(PromptSketcher::EstimatedJaccard(empty, ok), 0.0);
}

TEST(PromptSketcherTest, SimHashIsTheMajorityOfShingleBits) {
  // "abcdef" has exactly two shingles; with two votes a bit is set only when both agree.
  PromptSketcher sketcher("tenant-key");
  uint64_t x = ReferenceHmac64("tenant-key", "abcde");
  uint64_t y = ReferenceHmac64("tenant-key", "bcdef");
  EXPECT_EQ(sketcher.Sketch("abcdef").simhash, x & y);
  // Repeated shingles count once: "aaaaaaa" is the single shingle "aaaaa".
  EXPECT_EQ(sketcher.Sketch("aaaaaaa").simhash, ReferenceHmac64("tenant-key", "aaaaa"));
}

TEST(PromptSketcherTest, PinnedOutputForAFixedKey) {
  // Stored sketches must stay comparable across releases: this pins the algorithm.
  auto s = PromptSketcher("pinned-key").Sketch(kPrompt);
  EXPECT_EQ(s.simhash, 0x7eb8f3a8c3697296ULL);
  EXPECT_EQ(s.minhash[0], 0x00e71ca6a847b175ULL);
  EXPECT_EQ(s.minhash[127], 0x01776f262987828aULL);
  EXPECT_EQ(PromptSketcher::LshBands(s)[0], 0x73900bb1eb314ad1ULL);
}

TEST(PromptSketcherTest, ConcurrentSketchesMatchSequentialOnes) {
  PromptSketcher sketcher("tenant-key");
  const auto expected = sketcher.Sketch(kPrompt);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        mismatches[t] += sketcher.Sketch(kPrompt) == expected ? 0 : 1;
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace goodhart::processors
