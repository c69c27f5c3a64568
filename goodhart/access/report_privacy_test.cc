#include "goodhart/access/report_privacy.h"

#include <gtest/gtest.h>

namespace goodhart::access {
namespace {

using nlohmann::json;

json Team(const std::string& id, int contributors) {
  return {{"team", id},
          {"name", id},
          {"members", contributors + 1},
          {"contributors", contributors},
          {"nd", 1.5},
          {"tokens", 1000},
          {"dora", {{"deployment_count", 3}}}};
}

json Person(const std::string& id, const std::string& team) {
  return {{"person", id}, {"team", team}, {"nd", 0.5}, {"tokens", 10}};
}

json Report(std::vector<json> teams, bool people = true) {
  json r = {{"definition_version", "nd-1.0"},
            {"org", {{"nd", 10.0}, {"tokens", 5000}}},
            {"teams", teams},
            {"notes", json::array()}};
  if (people)
    r["people"] = {Person("alice", "a"), Person("bob", "b"), Person("carol", "a")};
  return r;
}

const Principal kAdmin{.name = "root", .role = Role::kAdmin};
const Principal kAnalyst{.name = "ana", .role = Role::kAnalyst};
const Principal kAlice{.name = "alice-key", .role = Role::kMember, .person = "alice"};

TEST(ReportPrivacyTest, AdminSeesEverything) {
  json r = Report({Team("a", 2), Team("b", 7)});
  json before = r;
  PrivacyOutcome out = ApplyReportPrivacy(r, kAdmin, {}, "");
  EXPECT_EQ(r, before);
  EXPECT_EQ(out.people_read, (std::vector<std::string>{"alice", "bob", "carol"}));
}

TEST(ReportPrivacyTest, AnalystNeverSeesPeopleAndSmallTeamsAreSuppressed) {
  json r = Report({Team("a", 6), Team("b", 7), Team("tiny", 3), Team("c", 9)});
  PrivacyOutcome out = ApplyReportPrivacy(r, kAnalyst, {.min_group_size = 5}, "");
  EXPECT_FALSE(r.contains("people"));
  EXPECT_TRUE(out.people_read.empty());
  // "tiny" (3 < 5) is hidden; alone it would be org minus the others, so the smallest published
  // team ("a", 6) is hidden with it: together 9 >= 5.
  EXPECT_EQ(out.suppressed_teams, (std::vector<std::string>{"a", "tiny"}));
  EXPECT_TRUE(r["teams"][0]["suppressed"].get<bool>());
  EXPECT_FALSE(r["teams"][0].contains("nd"));
  EXPECT_FALSE(r["teams"][0].contains("contributors"));
  EXPECT_FALSE(r["teams"][1].contains("suppressed"));
  EXPECT_EQ(r["teams"][1]["nd"], 1.5);
  EXPECT_TRUE(r["teams"][2]["suppressed"].get<bool>());
  EXPECT_EQ(r["org"]["nd"], 10.0);
  EXPECT_EQ(r["notes"].size(), 1u);
}

TEST(ReportPrivacyTest, DifferencingOrgAndATeamSuppressesTheTeam) {
  // The org has 12 contributors, team "big" 10: org minus big would be 2 people.
  json r = Report({Team("big", 10), Team("small", 2)});
  PrivacyOutcome out = ApplyReportPrivacy(r, kAnalyst, {.min_group_size = 5}, "");
  EXPECT_EQ(out.suppressed_teams, (std::vector<std::string>{"big", "small"}));
  EXPECT_FALSE(out.org_suppressed);
  // Asking for one team gives the same verdict: the decision is over all teams.
  json one = Report({Team("big", 10), Team("small", 2)});
  ApplyReportPrivacy(one, kAnalyst, {.min_group_size = 5}, "big");
  ASSERT_EQ(one["teams"].size(), 1u);
  EXPECT_TRUE(one["teams"][0]["suppressed"].get<bool>());
}

TEST(ReportPrivacyTest, SumOfPublishedTeamsNeverRevealsAHiddenGroup) {
  for (int tiny = 0; tiny < 5; ++tiny) {
    json r = Report({Team("a", 5), Team("b", 8), Team("c", tiny)});
    ApplyReportPrivacy(r, kAnalyst, {.min_group_size = 5}, "");
    int64_t hidden = 0;
    for (const json& t : r["teams"]) {
      if (t.contains("suppressed"))
        hidden += t["members"].get<int64_t>() - 1;  // Team() sets members = contributors + 1
    }
    EXPECT_TRUE(hidden == 0 || hidden >= 5) << "tiny=" << tiny << " hidden=" << hidden;
  }
}

TEST(ReportPrivacyTest, AnOrgBelowKIsSuppressedWhole) {
  json r = Report({Team("a", 2), Team("b", 1)});
  PrivacyOutcome out = ApplyReportPrivacy(r, kAnalyst, {.min_group_size = 5}, "");
  EXPECT_TRUE(out.org_suppressed);
  EXPECT_FALSE(r["org"].contains("nd"));
}

TEST(ReportPrivacyTest, MemberSeesOnlyTheirOwnRow) {
  json r = Report({Team("a", 9), Team("b", 9)});
  PrivacyOutcome out = ApplyReportPrivacy(r, kAlice, {}, "b");
  EXPECT_FALSE(r.contains("org"));
  EXPECT_FALSE(r.contains("teams"));
  ASSERT_EQ(r["people"].size(), 1u);
  EXPECT_EQ(r["people"][0]["person"], "alice");
  EXPECT_EQ(out.people_read, (std::vector<std::string>{"alice"}));
}

}  // namespace
}  // namespace goodhart::access
