#include "goodhart/review/detection_windows.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/store/embedded/embedded_store.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::review {
namespace {

constexpr char kDirectory[] = R"(teams:
  - {id: t1, name: Team one}
people:
  - {id: ann, team: t1, emails: [ann@example.com], github: ann}
  - {id: bob, team: t1, emails: [bob@example.com], github: bob}
services:
  - {id: app, team: t1, repo: acme/app, production_environments: [production]}
)";

// Five months of one service: a squash-merged pull request a day, alternating authors, approved
// by the other, deployed the same day; and a model call per person a day.
model::EventBatch History(int64_t first_day, int days) {
  model::EventBatch batch;
  std::string head;
  for (int d = 0; d < days; ++d) {
    const int64_t day = first_day + d * kMillisPerDay;
    const std::string author = d % 2 == 0 ? "ann" : "bob", other = d % 2 == 0 ? "bob" : "ann";
    model::Commit c;
    c.repo = "acme/app";
    c.sha = fmt::format("{:040x}", 0xc0ffee000 + d);
    if (!head.empty())
      c.parents = {head};
    c.author_email = c.committer_email = author + "@example.com";
    c.authored_unix_ms = c.committed_unix_ms = day + 12 * 3'600'000;
    model::FileDiff f;
    f.path = fmt::format("src/f{}.go", d % 7);
    f.added = 20 + d % 30;
    f.meaningful = static_cast<double>(f.added);
    for (int i = 0; i < f.added; ++i)
      f.added_line_hashes.push_back(static_cast<uint64_t>(d) * 1000 + static_cast<uint64_t>(i));
    c.files = {f};
    c.meaningful_lines = f.meaningful;
    c.patch_id = fmt::format("pid-{}", d);
    head = c.sha;
    model::Change ch;
    ch.ref = {.source = "github", .raw_id = std::to_string(d)};
    ch.id = fmt::format("github:acme/app#{}", d);
    ch.repo = "acme/app";
    ch.number = d;
    ch.author = author;
    ch.state = "merged";
    ch.base_ref = "main";
    ch.head_sha = ch.merge_sha = c.sha;
    ch.merged = true;
    ch.created_unix_ms = day;
    ch.merged_unix_ms = c.committed_unix_ms;
    ch.commit_count = 1;
    model::Review r;
    r.ref = {.source = "github", .raw_id = fmt::format("review-{}", d)};
    r.change_id = ch.id;
    r.reviewer = other;
    r.state = "approved";
    r.commit_sha = c.sha;
    r.submitted_unix_ms = day + 11 * 3'600'000;
    model::Deployment dep;
    dep.id = fmt::format("dep-{}", d);
    dep.service = "app";
    dep.environment = "production";
    dep.repo = "acme/app";
    dep.commit_sha = c.sha;
    dep.artifact_digest = "sha256:" + c.sha;
    dep.pipeline_id = "pipeline-" + dep.id;
    dep.status = "success";
    dep.started_unix_ms = day + 13 * 3'600'000;
    dep.finished_unix_ms = day + 14 * 3'600'000;
    batch.commits.push_back(std::move(c));
    batch.changes.push_back(std::move(ch));
    batch.reviews.push_back(std::move(r));
    batch.deployments.push_back(std::move(dep));
    for (const std::string person : {"ann", "bob"}) {
      batch.usage.push_back(store::storetest::ModelCall(
          fmt::format("{}-{}", person, d), person + "@example.com", day + 10 * 3'600'000));
    }
  }
  return batch;
}

// Reading the history once and summing one ND run per window gives each window what loading it
// on its own gives: the same records, the same ND and the same usage.
TEST(DetectionWindowsTest, ReadingOnceGivesWhatEachWindowReadAloneGives) {
  goodhart::testing::TempDir temp("detection-windows");
  const std::string& dir = temp.path();
  auto store = store::OpenEmbeddedStore({.data_dir = dir});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE(directory::ImportDirectory(**store, kDirectory, CivilToMillis(2026, 5, 1)).ok());
  model::EventBatch delivery = History(CivilToMillis(2026, 6, 1), 150), usage;
  usage.usage = std::move(delivery.usage);  // a batch holds one or the other
  delivery.usage.clear();
  for (model::EventBatch* batch : {&delivery, &usage}) {
    auto appended = (*store)->Append(*batch);
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  }

  const int64_t end = CivilToMillis(2026, 10, 18), now = CivilToMillis(2026, 10, 20);
  const int64_t four_weeks = 28 * kMillisPerDay;
  std::vector<DetectionWindow> windows;
  for (int k = 0; k < 3; ++k)
    windows.push_back({{end - (k + 1) * four_weeks, end - k * four_weeks}, WindowLoad::kAll});
  windows.push_back(
      {{CivilToMillis(2026, 7, 1), CivilToMillis(2026, 10, 1)}, WindowLoad::kDeliveryOnly});

  auto once = LoadDetectionWindows(**store, {}, windows, now, WindowSharing::kWhenAlike);
  auto each = LoadDetectionWindows(**store, {}, windows, now, WindowSharing::kEachWindow);
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  ASSERT_TRUE(each.ok()) << each.status().ToString();
  ASSERT_EQ(once->size(), windows.size());
  ASSERT_EQ(each->size(), windows.size());
  for (size_t i = 0; i < windows.size(); ++i) {
    const LoadedWindow &a = *(*once)[i], &b = *(*each)[i];
    EXPECT_EQ(a.input.period, windows[i].period) << i;
    // The window's sums, and the records the detectors read (shared or its own).
    EXPECT_EQ(a.nd->definition_version, b.nd->definition_version) << i;
    EXPECT_EQ(a.nd->as_of_unix_ms, b.nd->as_of_unix_ms) << i;
    EXPECT_EQ(a.nd->period_from_unix_ms, b.nd->period_from_unix_ms) << i;
    EXPECT_EQ(a.nd->period_to_unix_ms, b.nd->period_to_unix_ms) << i;
    EXPECT_EQ(a.nd->people, b.nd->people) << i;
    EXPECT_EQ(a.nd->teams, b.nd->teams) << i;
    EXPECT_EQ(a.nd->unattributed_nd, b.nd->unattributed_nd) << i;
    EXPECT_EQ(a.input.NdChanges(), b.input.NdChanges()) << i;
    EXPECT_EQ(a.input.NdDeployments(), b.input.NdDeployments()) << i;
    EXPECT_EQ(a.input.nd, a.nd.get()) << i;
    EXPECT_EQ(a.input.Delivery().commits, b.input.Delivery().commits) << i;
    EXPECT_EQ(a.input.Delivery().changes, b.input.Delivery().changes) << i;
    EXPECT_EQ(a.input.Delivery().reviews, b.input.Delivery().reviews) << i;
    EXPECT_EQ(a.input.Delivery().deployments, b.input.Delivery().deployments) << i;
    EXPECT_EQ(a.input.Delivery().incidents, b.input.Delivery().incidents) << i;
    // Held once: every window reads the first one's records and credited changes.
    const detect::PeriodInput& first = (*once)[0]->input;
    EXPECT_EQ(&a.input.Delivery(), &first.Delivery()) << i;
    EXPECT_EQ(&a.input.NdChanges(), &first.NdChanges()) << i;
    EXPECT_EQ(a.nd->changes.empty(), i > 0) << i;
    EXPECT_EQ(a.input.rollups, b.input.rollups) << i;
    // Not vacuous: each window has changes delivered in it, and the periods their usage.
    EXPECT_GT(a.nd->people.front().nd + a.nd->people.front().nd_pending, 0) << i;
    EXPECT_EQ(a.input.rollups.empty(), windows[i].what == WindowLoad::kDeliveryOnly) << i;
  }
  ASSERT_TRUE((*once)[0]->data.directory.has_value());
  EXPECT_EQ((*once)[0]->data.directory_version, (*each)[0]->data.directory_version);
}

}  // namespace
}  // namespace goodhart::review
