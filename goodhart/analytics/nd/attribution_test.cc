#include "goodhart/analytics/nd/attribution.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;

class AttributionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = directory::Directory::Parse(goodhart::testing::ReadTestdata("directory.yaml"));
    ASSERT_TRUE(dir.ok());
    directory_ = std::move(dir).value();
  }
  std::vector<std::string> Ids(const std::vector<Actor>& actors) {
    std::vector<std::string> out;
    for (const auto& a : actors)
      out.push_back(a.id);
    return out;
  }
  model::Commit Commit(std::string author, std::vector<std::string> co_authors = {}) {
    model::Commit c;
    c.author_email = std::move(author);
    c.co_authors = std::move(co_authors);
    return c;
  }
  directory::Directory directory_;
  ActorResolver actors_{&directory_};
};

TEST_F(AttributionTest, ActorsResolveThroughTheDirectory) {
  EXPECT_EQ(actors_.Resolve("Alice <ALICE@example.com>"),
            (Actor{.kind = ActorKind::kPerson, .id = "alice"}));
  EXPECT_EQ(actors_.Resolve("Stranger@Example.org").id, "stranger@example.org");
  EXPECT_EQ(actors_.Resolve("Stranger@Example.org").kind, ActorKind::kUnresolved);
  EXPECT_EQ(actors_.Resolve("copilot").kind, ActorKind::kAgent);
  EXPECT_EQ(actors_.Resolve("dependabot[bot]").kind, ActorKind::kBot);
  EXPECT_FALSE(actors_.Resolve("").human());
  EXPECT_TRUE(actors_.has_directory());
  EXPECT_FALSE(ActorResolver(nullptr).has_directory());
}

TEST_F(AttributionTest, ChangeOwnerIsAHuman) {
  model::Change pr;
  pr.author = "bob";
  EXPECT_EQ(ChangeOwner(pr, actors_).id, "bob");
  pr.author = "Copilot";
  pr.co_authors = {"Claude <noreply@anthropic.com>", "dave@example.com"};
  EXPECT_EQ(ChangeOwner(pr, actors_).id, "dave");
  pr.co_authors = {};
  pr.merged_by = "erin";
  EXPECT_EQ(ChangeOwner(pr, actors_).id, "erin");  // the agent's PR: the human who merged it
  pr.author = "dependabot[bot]";
  EXPECT_EQ(ChangeOwner(pr, actors_).id, "");  // a bot's PR has no human owner
}

TEST_F(AttributionTest, CommitLinesGoToHumans) {
  Actor owner{.kind = ActorKind::kPerson, .id = "carol"};
  EXPECT_THAT(Ids(CommitAttribution(Commit("alice@example.com"), owner, actors_)),
              ElementsAre("alice"));
  EXPECT_THAT(Ids(CommitAttribution(Commit("alice@example.com", {"Claude <noreply@anthropic.com>",
                                                                 "Bob <bob@example.com>"}),
                                    owner, actors_)),
              ElementsAre("alice", "bob"));
  EXPECT_THAT(Ids(CommitAttribution(Commit("noreply@anthropic.com"), owner, actors_)),
              ElementsAre("carol"));
  EXPECT_THAT(Ids(CommitAttribution(Commit("noreply@anthropic.com"), Actor{}, actors_)),
              ElementsAre(""));
}

TEST_F(AttributionTest, SharesSplitPairedCommitsEvenly) {
  Actor owner{.kind = ActorKind::kPerson, .id = "alice"};
  ShareBuilder b(actors_);
  b.Add(Commit("alice@example.com", {"bob@example.com"}), 40, owner);  // 20 + 20
  b.Add(Commit("copilot"), 30, owner);                                 // the owner's
  b.Add(Commit("stranger@example.org"), 30, owner);
  b.Add(Commit("bob@example.com"), 0, owner);  // nothing
  std::vector<Share> s = b.Finish(owner);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], (Share{.person_id = "alice", .resolved = true, .lines = 50, .share = 0.5}));
  EXPECT_EQ(s[1], (Share{.person_id = "stranger@example.org", .lines = 30, .share = 0.3}));
  EXPECT_EQ(s[2], (Share{.person_id = "bob", .resolved = true, .lines = 20, .share = 0.2}));
  ShareBuilder empty(actors_);
  EXPECT_THAT(empty.Finish(owner),
              ElementsAre(Share{.person_id = "alice", .resolved = true, .lines = 0, .share = 1}));
}

}  // namespace
}  // namespace goodhart::analytics::nd
