#include "goodhart/detect/peer_groups.h"

#include <gtest/gtest.h>

namespace goodhart::detect {
namespace {

TEST(RoleFamilyTest, MapsDirectoryRoles) {
  EXPECT_EQ(RoleFamily("Product"), "product");
  EXPECT_EQ(RoleFamily("backend engineer"), "product");
  EXPECT_EQ(RoleFamily("Release Engineer"), "release");
  EXPECT_EQ(RoleFamily("platform engineer"), "platform");
  EXPECT_EQ(RoleFamily("site reliability engineer"), "sre");
  EXPECT_EQ(RoleFamily("data scientist"), "data");
  EXPECT_EQ(RoleFamily("designer"), "other");
  EXPECT_EQ(RoleFamily(""), "unknown");
}

TEST(ComparePeersTest, OwnGroupAtEightElseOrgWide) {
  std::vector<PeerValue> v;
  for (int i = 0; i < 8; ++i) {
    v.push_back({"p" + std::to_string(i), "product/go", 1.0 + 0.1 * i});
  }
  for (int i = 0; i < 3; ++i) {
    v.push_back({"r" + std::to_string(i), "release/go", 5.0});
  }
  auto c = ComparePeers(v, 8, 0.1);
  ASSERT_EQ(c.groups.size(), 2u);
  const auto& own = c.groups[c.group_of[0]];
  EXPECT_FALSE(own.fallback);
  EXPECT_EQ(own.label, "product/go (n=8)");
  EXPECT_EQ(own.members.size(), 8u);
  EXPECT_NEAR(own.median, 1.35, 1e-12);
  const auto& org = c.groups[c.group_of[8]];
  EXPECT_TRUE(org.fallback);
  EXPECT_EQ(org.members.size(), 11u);  // everyone
  EXPECT_EQ(c.Label(8, v), "org-wide (n=11; release/go has 3)");
  // Median of all 11 values is 1.5 (sorted: 1.0..1.7, 5, 5, 5).
  EXPECT_NEAR(org.median, 1.5, 1e-12);
  EXPECT_GT(c.z[8], 3.5);
}

}  // namespace
}  // namespace goodhart::detect
