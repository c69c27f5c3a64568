#include "goodhart/access/api_keys.h"

#include <gtest/gtest.h>

namespace goodhart::access {
namespace {

TEST(ApiKeysTest, HashIsSha256Hex) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(HashApiKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeysTest, GeneratedKeysAreLongAndDistinct) {
  auto a = GenerateApiKey();
  auto b = GenerateApiKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 4u + 64u);
  EXPECT_EQ(a->rfind("ghk_", 0), 0u);
  EXPECT_NE(*a, *b);
}

TEST(ApiKeysTest, AuthenticatesByHashOnly) {
  auto ring = ApiKeyRing::FromConfig(
      {{.name = "ana", .role = "analyst", .key_sha256 = HashApiKey("ghk_analyst")},
       {.name = "alice",
        .role = "member",
        .person = "alice",
        .key_sha256 = HashApiKey("ghk_alice")}});
  ASSERT_TRUE(ring.ok());
  EXPECT_FALSE(ring->open());
  auto ana = ring->Authenticate("ghk_analyst");
  ASSERT_TRUE(ana.has_value());
  EXPECT_EQ(ana->role, Role::kAnalyst);
  auto alice = ring->Authenticate("ghk_alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->role, Role::kMember);
  EXPECT_EQ(alice->person, "alice");
  EXPECT_FALSE(ring->Authenticate("ghk_wrong").has_value());
  EXPECT_FALSE(ring->Authenticate("").has_value());
  // The configured hash is not itself a key.
  EXPECT_FALSE(ring->Authenticate(HashApiKey("ghk_alice")).has_value());
}

TEST(ApiKeysTest, WithoutKeysEveryCallerIsTheLocalAdmin) {
  auto ring = ApiKeyRing::FromConfig({});
  ASSERT_TRUE(ring.ok());
  EXPECT_TRUE(ring->open());
  EXPECT_EQ(ring->Authenticate("")->role, Role::kAdmin);
  EXPECT_FALSE(
      ApiKeyRing::FromConfig({{.name = "x", .role = "root", .key_sha256 = std::string(64, 'a')}})
          .ok());
}

}  // namespace
}  // namespace goodhart::access
