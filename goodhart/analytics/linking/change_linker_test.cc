#include "goodhart/analytics/linking/change_linker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goodhart::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

model::Change MakeChange(std::string id, std::string merge_sha, std::string head_sha) {
  model::Change change;
  change.id = std::move(id);
  change.merge_sha = std::move(merge_sha);
  change.head_sha = std::move(head_sha);
  return change;
}

model::Review MakeReview(std::string change_id, std::string reviewer, int64_t submitted) {
  model::Review review;
  review.change_id = std::move(change_id);
  review.reviewer = std::move(reviewer);
  review.state = "approved";
  review.submitted_unix_ms = submitted;
  return review;
}

TEST(LinkReviewsTest, GroupsReviewsByChangeInTimeOrder) {
  std::vector<model::Change> changes = {MakeChange("gh:a/b#1", "m1", "h1"),
                                        MakeChange("gh:a/b#2", "m2", "h2"),
                                        MakeChange("gh:a/b#1", "m1", "h1")};
  std::vector<model::Review> reviews = {
      MakeReview("gh:a/b#1", "carol", 30), MakeReview("gh:a/b#9", "dave", 10),
      MakeReview("gh:a/b#1", "bob", 20), MakeReview("gh:a/b#1", "erin", 20)};
  auto linked = LinkReviews(changes, reviews);
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0].change_id, "gh:a/b#1");
  std::vector<std::string> reviewers;
  for (const auto& review : linked[0].reviews) {
    reviewers.push_back(review.reviewer);
  }
  EXPECT_THAT(reviewers, ElementsAre("bob", "erin", "carol"));
  EXPECT_EQ(linked[1].change_id, "gh:a/b#2");
  EXPECT_THAT(linked[1].reviews, IsEmpty());
}

TEST(ChangesShippedByTest, MatchesMergeShaOrAPushsHead) {
  std::vector<model::Change> changes = {
      MakeChange("pr-1", "AAA111", "bbb222"),  // merge commit shipped
      MakeChange("pr-2", "ccc333", "ddd444"),  // only its head shipped: not merged content
      MakeChange("push-1", "", "eee555"),      // direct push
      MakeChange("pr-3", "fff666", "")};
  std::vector<std::string> shipped = {"aaa111", "ddd444", "EEE555"};
  EXPECT_THAT(ChangesShippedBy(changes, shipped), ElementsAre("pr-1", "push-1"));
}

}  // namespace
}  // namespace goodhart::analytics
