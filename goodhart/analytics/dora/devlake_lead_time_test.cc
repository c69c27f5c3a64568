// Apache DevLake's change_lead_time e2e fixture (calculate_change_lead_time_test.go, corpus
// apache-devlake/backend/plugins/dora/e2e/change_lead_time/), reproduced from its input CSVs to
// its expected project_pr_metrics.csv, row by row and column by column. The Go test runs
// calculateChangeLeadTime for "project1"; the project's repos and CI/CD scopes come from
// project_mapping.csv, and this adapter applies that scoping as DevLake's SQL joins do.
#include "goodhart/analytics/dora/devlake_lead_time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

constexpr char kDir[] = "apache-devlake/backend/plugins/dora/e2e/change_lead_time/";
constexpr char kProject[] = "project1";

// The fixture's CSVs have no quoted fields: a header line, then one record per line.
using Row = std::map<std::string, std::string>;
std::vector<Row> ReadCsv(const std::string& name) {
  std::istringstream in(goodhart::testing::ReadCorpus(std::string(kDir) + name));
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream s(line);
    while (std::getline(s, field, ',')) {
      fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',') {
      fields.push_back("");
    }
    return fields;
  };
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') {  // the fixture mixes LF and CRLF files
    line.pop_back();
  }
  std::vector<std::string> header = split(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    std::vector<std::string> fields = split(line);
    EXPECT_EQ(fields.size(), header.size()) << name << ": " << line;
    Row row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) {
      row[header[i]] = fields[i];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// DevLake mixes "2023-04-10T06:51:47.000+00:00" and "2023-4-10 6:51:47" (both UTC).
int64_t Time(const std::string& text) {
  if (text.empty()) {
    return 0;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char sep = 0;
  int n = std::sscanf(text.c_str(), "%d-%d-%d%c%d:%d:%d", &y, &mo, &d, &sep, &h, &mi, &s);
  EXPECT_EQ(n, 7) << text;
  return CivilToMillis(y, mo, d, h, mi, s);
}

// DevLake writes times back as "2023-04-10T06:51:47.000+00:00".
std::string FormatDevLake(const std::optional<int64_t>& unix_ms) {
  if (!unix_ms) {
    return "";
  }
  std::string text = FormatMillis(*unix_ms);  // "...T06:51:47.000Z"
  return text.substr(0, text.size() - 1) + "+00:00";
}

std::string Minutes(const std::optional<int64_t>& m) { return m ? std::to_string(*m) : ""; }

std::set<std::string> ProjectRows(const std::string& table) {
  std::set<std::string> ids;
  for (const auto& row : ReadCsv("project_mapping.csv")) {
    if (row.at("project_name") == kProject && row.at("table") == table) {
      ids.insert(row.at("row_id"));
    }
  }
  return ids;
}

DevLakeLeadTimeInput FixtureInput() {
  DevLakeLeadTimeInput in;
  std::set<std::string> repos = ProjectRows("repos");
  std::set<std::string> scopes = ProjectRows("cicd_scopes");
  for (const auto& row : ReadCsv("pull_requests.csv")) {
    if (repos.count(row.at("base_repo_id")) == 0) {
      continue;
    }
    model::Change pr;
    pr.id = row.at("id");
    pr.author = row.at("author_id");
    pr.merge_sha = row.at("merge_commit_sha");
    pr.created_unix_ms = Time(row.at("created_date"));
    pr.merged_unix_ms = Time(row.at("merged_date"));
    pr.merged = pr.merged_unix_ms != 0;
    in.pull_requests.push_back(std::move(pr));
  }
  for (const auto& row : ReadCsv("pull_request_commits.csv")) {
    in.pull_request_commits.push_back({.change_id = row.at("pull_request_id"),
                                       .sha = row.at("commit_sha"),
                                       .authored_unix_ms = Time(row.at("commit_authored_date"))});
  }
  for (const auto& row : ReadCsv("pull_request_comments.csv")) {
    model::Review comment;
    comment.ref = {.source = "devlake", .raw_id = row.at("id")};
    comment.change_id = row.at("pull_request_id");
    comment.reviewer = row.at("account_id");
    comment.submitted_unix_ms = Time(row.at("created_date"));
    in.comments.push_back(std::move(comment));
  }
  for (const auto& row : ReadCsv("cicd_deployment_commits.csv")) {
    if (scopes.count(row.at("cicd_scope_id")) == 0) {
      continue;
    }
    in.deployment_commits.push_back(
        {.id = row.at("id"),
         .deployment_id = row.at("cicd_deployment_id"),
         .commit_sha = row.at("commit_sha"),
         .result = row.at("result"),
         .environment = row.at("environment"),
         .started_unix_ms = Time(row.at("started_date")),
         .finished_unix_ms = Time(row.at("finished_date")),
         .prev_success_deployment_commit_id = row.at("prev_success_deployment_commit_id")});
  }
  for (const auto& row : ReadCsv("commits_diffs.csv")) {
    in.commits_diffs.push_back({.new_commit_sha = row.at("new_commit_sha"),
                                .old_commit_sha = row.at("old_commit_sha"),
                                .commit_sha = row.at("commit_sha")});
  }
  return in;
}

TEST(DevLakeChangeLeadTimeTest, ReproducesChangeLeadTimeFixture) {
  std::vector<DevLakePrMetric> metrics = DevLakeChangeLeadTime(FixtureInput());
  std::vector<Row> expected = ReadCsv("project_pr_metrics.csv");
  ASSERT_EQ(metrics.size(), expected.size());  // pr6 is unmerged: no row
  for (size_t i = 0; i < metrics.size(); ++i) {
    const DevLakePrMetric& m = metrics[i];
    Row produced = {
        {"id", m.id},
        {"project_name", kProject},
        {"first_commit_sha", m.first_commit_sha},
        {"pr_coding_time", Minutes(m.pr_coding_time)},
        {"first_review_id", m.first_review_id},
        {"pr_pickup_time", Minutes(m.pr_pickup_time)},
        {"pr_review_time", Minutes(m.pr_review_time)},
        {"deployment_commit_id", m.deployment_commit_id},
        {"pr_deploy_time", Minutes(m.pr_deploy_time)},
        {"pr_cycle_time", std::to_string(m.pr_cycle_time)},
        {"first_commit_authored_date", FormatDevLake(m.first_commit_authored_date)},
        {"first_comment_date", FormatDevLake(m.first_comment_date)},
        {"pr_created_date", FormatDevLake(m.pr_created_date)},
        {"pr_merged_date", FormatDevLake(m.pr_merged_date)},
        {"pr_deployed_date", FormatDevLake(m.pr_deployed_date)},
    };
    EXPECT_EQ(produced.size(), expected[i].size());
    for (const auto& [column, value] : expected[i]) {
      ASSERT_TRUE(produced.count(column)) << "unexpected column " << column;
      EXPECT_EQ(produced.at(column), value) << expected[i].at("id") << "." << column;
    }
  }
}

// The rules the fixture pins, checked by hand against its rows.
TEST(DevLakeChangeLeadTimeTest, FixtureRowsByHand) {
  std::vector<DevLakePrMetric> m = DevLakeChangeLeadTime(FixtureInput());
  ASSERT_EQ(m.size(), 6u);
  // pr0: its only comment is by its author "a": no review. Its deployment (row 1, commit1) has no
  // previous successful deployment, so it never counts. Cycle = 1440 coding + 30 days open.
  EXPECT_EQ(m[0].first_review_id, "");
  EXPECT_EQ(m[0].deployment_commit_id, "");
  EXPECT_EQ(m[0].pr_cycle_time, 1440 + 30 * 1440);
  // pr2: the first comment comes 2 s after creation: ceil(2/60) = 1 minute. Its first commit was
  // authored after the PR was created: coding time missing.
  EXPECT_EQ(m[2].pr_pickup_time, 1);
  EXPECT_EQ(m[2].pr_coding_time, std::nullopt);
  // pr3: deployed (row 6) before it was merged: the deployment is kept, the deploy time missing.
  EXPECT_EQ(m[3].deployment_commit_id, "6");
  EXPECT_EQ(m[3].pr_deploy_time, std::nullopt);
  // pr4: no author, so every comment counts; two at the same instant: the first listed wins.
  // Its merge commit shipped only to STAGING (row 8): no deployment.
  EXPECT_EQ(m[4].first_review_id, "comment10");
  EXPECT_EQ(m[4].deployment_commit_id, "");
  // pr5: shipped only by the FAILURE row 11.
  EXPECT_EQ(m[5].deployment_commit_id, "");
}

TEST(DevLakeSpanMinutesTest, CeilsAndDropsNegativeSpans) {
  EXPECT_EQ(DevLakeSpanMinutes(0, 60'000), 1);
  EXPECT_EQ(DevLakeSpanMinutes(0, 60'001), 2);
  EXPECT_EQ(DevLakeSpanMinutes(0, 0), 0);
  EXPECT_EQ(DevLakeSpanMinutes(30'000, 0), 0);  // ceil(-0.5) = -0: Go keeps it
  EXPECT_EQ(DevLakeSpanMinutes(60'000, 0), std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::dora
