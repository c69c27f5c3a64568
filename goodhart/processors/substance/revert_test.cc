#include "goodhart/processors/substance/revert.h"

#include <gtest/gtest.h>

namespace goodhart::processors {
namespace {

TEST(ParseRevertTest, GitRevertMessage) {
  auto r = ParseRevert(
      "Revert \"Add retry\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n");
  EXPECT_TRUE(r.is_revert());
  EXPECT_EQ(r.reverted_sha, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(r.reverted_subject, "Add retry");
}

TEST(ParseRevertTest, MergeRevertTakesTheRevertedCommit) {
  auto r = ParseRevert(
      "Revert \"Merge branch 'x'\"\n\nThis reverts commit abcdef1, reversing\n"
      "changes made to 1234567.\n");
  EXPECT_EQ(r.reverted_sha, "abcdef1");
}

TEST(ParseRevertTest, GitHubRevertPullRequest) {
  auto r = ParseRevert("Revert \"Add retry (#12)\" (#13)\n\nReverts acme/api#12\n");
  EXPECT_EQ(r.reverted_subject, "Add retry (#12)");
  EXPECT_EQ(r.reverted_change, 12);
  EXPECT_EQ(r.reverted_change_repo, "acme/api");
  auto local = ParseRevert("Undo it\n\nReverts #7");
  EXPECT_EQ(local.reverted_change, 7);
  EXPECT_EQ(local.reverted_change_repo, "");
}

TEST(ParseRevertTest, RevertOfRevertKeepsTheInnerSubject) {
  auto r = ParseRevert("Revert \"Revert \"Add retry\"\"\n");
  EXPECT_EQ(r.reverted_subject, "Revert \"Add retry\"");
}

TEST(ParseRevertTest, NotReverts) {
  EXPECT_FALSE(ParseRevert("").is_revert());
  EXPECT_FALSE(ParseRevert("Reverted the logo colour\n").is_revert());
  EXPECT_FALSE(ParseRevert("Fix\n\nThis reverts commit xyz.\n").is_revert());
  EXPECT_FALSE(ParseRevert("Fix\n\nThis reverts commit abc12.\n").is_revert());  // too short
  EXPECT_FALSE(ParseRevert("Fix\n\nReverts the #hashtag idea\n").is_revert());
  EXPECT_FALSE(ParseRevert("Revert \"unterminated\n").is_revert());
}

}  // namespace
}  // namespace goodhart::processors
