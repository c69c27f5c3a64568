// Apache DevLake's DORA e2e fixtures, reproduced from their input CSVs to their expected output
// CSVs (corpus apache-devlake; SOURCE.txt pairs each with its upstream Go test):
//   prev_success_deployment_commit/  (prev_deployment_commit_enricher_test.go)
//   connect_incident_to_deployment/  (connect_incident_to_deploy_test.go)
// DevLake runs both rules for one project ("project1" in both tests); the project's scopes come
// from project_mapping.csv, and this adapter applies that scoping before calling the linkers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "goodhart/analytics/linking/deployment_linker.h"
#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/analytics/linking/internal/csv.h"
#include "goodhart/analytics/linking/internal/lenient_time.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics {
namespace {

using internal::CsvRecord;
using internal::CsvTable;
using internal::ParseLenientTimestampMillis;

constexpr char kDora[] = "apache-devlake/backend/plugins/dora/e2e/";
constexpr char kProject[] = "project1";

CsvTable ReadTable(const std::string& relative) {
  auto table = CsvTable::Parse(goodhart::testing::ReadCorpus(kDora + relative));
  EXPECT_TRUE(table.ok()) << relative << ": " << table.status().ToString();
  return table.ok() ? std::move(table).value() : CsvTable();
}

// Reads column `name` of every row; fails the test when the column is missing.
std::vector<std::string> Column(const CsvTable& table, std::string_view name) {
  std::vector<std::string> values;
  auto column = table.Column(name);
  EXPECT_TRUE(column.ok()) << column.status().ToString();
  if (column.ok()) {
    for (const auto& row : table.rows()) {
      values.push_back(row[*column]);
    }
  }
  return values;
}

int64_t DevLakeTime(const std::string& text) {
  if (text.empty()) {
    return 0;
  }
  auto ms = ParseLenientTimestampMillis(text);
  EXPECT_TRUE(ms.ok()) << ms.status().ToString();
  return ms.ok() ? *ms : 0;
}

// DevLake writes UTC as "2022-09-10T06:51:47.000+00:00".
std::string FormatDevLakeTime(int64_t unix_ms) {
  if (unix_ms == 0) {
    return "";
  }
  std::string text = FormatMillis(unix_ms);
  return text.substr(0, text.size() - 1) + "+00:00";
}

// cicd_deployment_commits rows as goodhart deployment records: the row id is the source's id,
// cicd_deployment_id the deployment id, cicd_scope_id stands where goodhart's service does.
// result and environment keep DevLake's spelling (SUCCESS, PRODUCTION).
std::vector<model::Deployment> DeploymentRecords(const CsvTable& table) {
  auto ids = Column(table, "id");
  auto shas = Column(table, "commit_sha");
  auto results = Column(table, "result");
  auto started = Column(table, "started_date");
  auto finished = Column(table, "finished_date");
  auto deployment_ids = Column(table, "cicd_deployment_id");
  auto scopes = Column(table, "cicd_scope_id");
  auto repos = Column(table, "repo_url");
  auto environments = Column(table, "environment");
  std::vector<model::Deployment> records;
  for (size_t i = 0; i < ids.size(); ++i) {
    model::Deployment d;
    d.ref = {.source = "devlake", .raw_id = ids[i]};
    d.id = deployment_ids[i];
    d.commit_sha = shas[i];
    d.status = results[i];
    d.started_unix_ms = DevLakeTime(started[i]);
    d.finished_unix_ms = DevLakeTime(finished[i]);
    d.service = scopes[i];
    d.repo = repos[i];
    d.environment = environments[i];
    records.push_back(std::move(d));
  }
  return records;
}

// (table, row_id) pairs that project_mapping.csv assigns to `project`.
std::set<std::pair<std::string, std::string>> ProjectScopes(const CsvTable& mapping,
                                                            std::string_view project) {
  auto projects = Column(mapping, "project_name");
  auto tables = Column(mapping, "table");
  auto row_ids = Column(mapping, "row_id");
  std::set<std::pair<std::string, std::string>> scopes;
  for (size_t i = 0; i < projects.size(); ++i) {
    if (projects[i] == project) {
      scopes.emplace(tables[i], row_ids[i]);
    }
  }
  return scopes;
}

std::vector<CsvRecord> SortedById(std::vector<CsvRecord> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(DevLakeFixtureTest, PrevSuccessDeploymentCommit) {
  const std::string dir = "prev_success_deployment_commit/";
  CsvTable before = ReadTable(dir + "cicd_deployment_commits_before.csv");
  CsvTable after = ReadTable(dir + "cicd_deployment_commits_after.csv");
  auto scopes = ProjectScopes(ReadTable(dir + "project_mapping.csv"), kProject);
  std::vector<model::Deployment> records = DeploymentRecords(before);
  ASSERT_EQ(records.size(), 16u);

  // The second timestamp format: created_date "2022-09-10 6:51:47" equals started_date here.
  auto created = Column(before, "created_date");
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(DevLakeTime(created[i]), records[i].started_unix_ms) << created[i];
  }

  // DevLake enriches only the project's rows; the others keep their (empty) value.
  std::vector<model::Deployment> in_project;
  std::vector<size_t> positions;
  for (size_t i = 0; i < records.size(); ++i) {
    if (scopes.count({"cicd_scopes", records[i].service}) > 0) {
      in_project.push_back(records[i]);
      positions.push_back(i);
    }
  }
  std::vector<std::string> prev_row_id(records.size());
  auto prev = PrevSuccessDeploymentCommit(in_project);
  ASSERT_EQ(prev.size(), in_project.size());
  for (size_t k = 0; k < prev.size(); ++k) {
    if (prev[k]) {
      prev_row_id[positions[k]] = in_project[*prev[k]].ref.raw_id;
    }
  }

  std::vector<CsvRecord> produced;
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& d = records[i];
    CsvRecord row;
    for (const auto& column : after.header()) {
      if (column == "id") {
        row.push_back(d.ref.raw_id);
      } else if (column == "commit_sha") {
        row.push_back(d.commit_sha);
      } else if (column == "result") {
        row.push_back(d.status);
      } else if (column == "started_date") {
        row.push_back(FormatDevLakeTime(d.started_unix_ms));
      } else if (column == "finished_date") {
        row.push_back(FormatDevLakeTime(d.finished_unix_ms));
      } else if (column == "cicd_deployment_id") {
        row.push_back(d.id);
      } else if (column == "cicd_scope_id") {
        row.push_back(d.service);
      } else if (column == "repo_url") {
        row.push_back(d.repo);
      } else if (column == "environment") {
        row.push_back(d.environment);
      } else if (column == "prev_success_deployment_commit_id") {
        row.push_back(prev_row_id[i]);
      } else {
        ADD_FAILURE() << "unexpected column " << column;
      }
    }
    produced.push_back(std::move(row));
  }
  EXPECT_EQ(SortedById(produced), SortedById(after.rows()));

  // Spot checks that pin the rule, from the fixture's own remarks.
  EXPECT_EQ(prev_row_id[12], "3");  // 13: "retried and success should be ok"; failed 11 skipped
  EXPECT_EQ(prev_row_id[10], "");   // 11: "failed record should be ignored"
  EXPECT_EQ(prev_row_id[14], "");   // 15: "not belongs to the project"
  EXPECT_EQ(prev_row_id[7], "7");   // 8: STAGING takes part too
}

TEST(DevLakeFixtureTest, ConnectIncidentToDeployment) {
  const std::string dir = "connect_incident_to_deployment/";
  std::vector<model::Deployment> records = DeploymentRecords(
      ReadTable(dir + "prev_success_deployment_commit/cicd_deployment_commits_after.csv"));
  CsvTable incidents_table = ReadTable(dir + "raw_tables/incidents.csv");
  CsvTable expected =
      ReadTable(dir + "snapshot_tables/project_incident_deployment_relationships.csv");
  auto scopes = ProjectScopes(ReadTable(dir + "raw_tables/project_mapping.csv"), kProject);
  ASSERT_EQ(records.size(), 16u);

  std::vector<model::Deployment> deployments;
  for (const auto& d : records) {
    if (scopes.count({"cicd_scopes", d.service}) > 0) {
      deployments.push_back(d);
    }
  }
  // An incident belongs to the project through its (table, scope_id): repos/repo3 does not.
  auto ids = Column(incidents_table, "id");
  auto created = Column(incidents_table, "created_date");
  auto tables = Column(incidents_table, "table");
  auto scope_ids = Column(incidents_table, "scope_id");
  std::vector<model::Incident> incidents;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (scopes.count({tables[i], scope_ids[i]}) == 0) {
      continue;
    }
    model::Incident incident;
    incident.ref = {.source = "devlake", .raw_id = ids[i]};
    incident.id = ids[i];
    incident.detected_unix_ms = DevLakeTime(created[i]);
    incidents.push_back(std::move(incident));
  }
  ASSERT_EQ(incidents.size(), 6u);

  std::vector<IncidentLink> links = LinkIncidents(incidents, deployments, {});
  std::vector<CsvRecord> produced;
  for (const auto& link : links) {
    EXPECT_EQ(link.evidence, kIncidentPreceding);
    produced.push_back({link.incident_id, kProject, link.deployment_id});
  }
  EXPECT_THAT(expected.header(), ::testing::ElementsAre("id", "project_name", "deployment_id"));
  EXPECT_EQ(SortedById(produced), SortedById(expected.rows()));

  // Without the project scoping, project2's pipeline9 (finished at the same instant as pipeline2's
  // REPO111 record) would compete for the September incident: the scoping is part of the rule.
  ASSERT_EQ(links.back().incident_id, "github:GithubIssue:1:1373792478");
  EXPECT_EQ(links.back().deployment_id, "pipeline2");
  EXPECT_EQ(links.back().deployment_finished_unix_ms, CivilToMillis(2022, 9, 14, 6, 51, 47));
}

}  // namespace
}  // namespace goodhart::analytics
