#include "goodhart/directory/directory.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"

namespace goodhart::directory {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

Directory Load() {
  auto d = Directory::Parse(goodhart::testing::ReadTestdata("directory.yaml"));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(d).value();
}

TEST(DirectoryTest, ParsesEveryField) {
  Directory d = Load();
  ASSERT_EQ(d.people().size(), 2u);
  const model::Person* alice = d.FindPerson("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->team, "payments");
  EXPECT_EQ(alice->github, "alice-gh");
  EXPECT_EQ(d.FindPerson("bob")->fte, 0.5);
  EXPECT_EQ(d.teams()[1].name, "platform");  // name defaults to id
  const model::Service* api = d.FindService("payments-api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->paths, std::vector<std::string>{"services/payments/**"});
  // Not listed: no allow-list (the deployment's own production marking decides).
  EXPECT_TRUE(d.FindService("infra")->production_environments.empty());
  EXPECT_EQ(d.bots().size(), 2u);
}

TEST(DirectoryTest, ResolvesEveryIdentityKind) {
  Directory d = Load();
  auto person = [](const char* id) {
    return Resolution{.kind = IdentityKind::kPerson, .person_id = id};
  };
  EXPECT_EQ(d.Resolve("alice@example.com"), person("alice"));
  EXPECT_EQ(d.Resolve("ALICE.work@example.com"), person("alice"));
  EXPECT_EQ(d.Resolve("alice-gh"), person("alice"));
  EXPECT_EQ(d.Resolve("user_01AbC"), person("alice"));
  EXPECT_EQ(d.Resolve("Bob B <bob@example.com>"), person("bob"));
  EXPECT_EQ(d.Resolve("1234+bobby@users.noreply.github.com"), person("bob"));
  EXPECT_EQ(d.Resolve("dependabot[bot]").kind, IdentityKind::kBot);
  EXPECT_EQ(d.Resolve("renovate[bot]").kind, IdentityKind::kBot);
  EXPECT_EQ(d.Resolve("Copilot"), (Resolution{.kind = IdentityKind::kAgent, .tool = "copilot"}));
  EXPECT_EQ(d.Resolve("198982749+Copilot@users.noreply.github.com").tool, "copilot");
  EXPECT_EQ(d.Resolve("claude[bot]").tool, "claude-code");
  EXPECT_EQ(d.Resolve("mallory@example.com").kind, IdentityKind::kUnknown);
}

TEST(DirectoryTest, RejectsInconsistentDirectories) {
  EXPECT_THAT(
      Directory::Parse("people: [{id: a, team: nope}]").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("people[0].team: unknown team 'nope'")));
  EXPECT_THAT(Directory::Parse("people: [{id: a, emails: [x@y]}, {id: b, emails: [X@Y]}]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("already belongs to 'a'")));
  EXPECT_THAT(Directory::Parse("people: [{team: t}]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("people[0].id: missing")));
  EXPECT_THAT(Directory::Parse("peeple: []").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("peeple: unknown key")));
  EXPECT_THAT(Directory::Parse("people: [{id: a, fte: 3}]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("fte")));
  EXPECT_THAT(Directory::Parse("people: [{id: a}, {id: a}]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("duplicate person 'a'")));
  EXPECT_FALSE(Directory::Parse("people: [").ok());
}

// Found by directory_parse_fuzz: a YAML complex key ("? [a]") threw out of Parse.
TEST(DirectoryTest, AKeyThatIsNotANameIsAnError) {
  EXPECT_THAT(Directory::Parse("? [people]\n: []\n").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("directory: top level: a key that is not a name")));
}

}  // namespace
}  // namespace goodhart::directory
