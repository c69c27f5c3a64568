// Conformance tests of the delivery side of a Store: records kept one per identity and merged,
// raw deliveries deduplicating retries, time and repo filters, git heads, directory versions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/store/storetest/store_conformance.h"

namespace goodhart::store::storetest {

int DeliveryConformanceAnchor() { return 0; }

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kDay = 86'400'000;

model::Deployment Deploy(std::string id, std::string status, int64_t finished) {
  model::Deployment d;
  d.ref = {"github", "delivery-" + id};
  d.id = std::move(id);
  d.repo = "acme/api";
  d.commit_sha = "c1";
  d.environment = "production";
  d.status = std::move(status);
  d.finished_unix_ms = finished;
  return d;
}

model::Commit MakeCommit(std::string repo, std::string sha, int64_t time) {
  model::Commit c;
  c.ref = {"git", sha};
  c.repo = std::move(repo);
  c.sha = std::move(sha);
  c.committed_unix_ms = time;
  c.subject = "Commit " + c.sha;
  c.files = {model::FileDiff{.path = "src/a.cc",
                             .added = 8,
                             .meaningful = 2.5,
                             .copied = 5,
                             .added_line_hashes = {1, 2, 0xffffffffffffffffULL}}};
  c.trailers = {{"Co-authored-by", "Claude <noreply@anthropic.com>"}};
  c.ai_markers = {{"claude-code", "", "trailer", "Co-authored-by: Claude"}};
  c.meaningful_lines = 2.5;
  return c;
}

model::EventBatch WithDelivery(model::EventBatch batch, std::string key, std::string body) {
  batch.raw_deliveries.push_back(
      {std::move(key), "github", "deployment_status", 5, std::move(body)});
  return batch;
}

DeliveryRecords MustQuery(const Store& store, const DeliveryQuery& q = {}) {
  auto r = store.QueryDelivery(q);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : DeliveryRecords{};
}

TEST_P(StoreConformanceTest, DeliveryRecordsRoundTripEveryField) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch;
  batch.commits = {MakeCommit("acme/api", "c1", 10 * kDay)};
  model::Change change;
  change.ref = {"github", "d-7"};
  change.id = "github:acme/api#7";
  change.repo = "acme/api";
  change.number = 7;
  change.author = "alice-gh";
  change.state = "merged";
  change.merged = true;
  change.merged_unix_ms = 11 * kDay;
  change.files = {"src/a.cc"};
  change.ai_markers = {{"copilot", "", "pr_author", "Copilot"}};
  batch.changes = {change};
  batch.reviews = {{{"github", "d-8"}, change.id, "bob-gh", "approved", "c1", 11 * kDay - 5}};
  batch.releases = {{{"github", "d-9"}, "acme/api", "v1.0", "c1", 12 * kDay, false}};
  model::PipelineRun run;
  run.ref = {"github", "d-10"};
  run.id = "run-1";
  run.repo = "acme/api";
  run.status = "completed";
  run.conclusion = "success";
  run.finished_unix_ms = 12 * kDay;
  batch.pipeline_runs = {run};
  batch.deployments = {Deploy("dep-1", "success", 12 * kDay)};
  model::Incident incident;
  incident.ref = {"cdevents", "i-1"};
  incident.id = "inc-1";
  incident.service = "payments-api";
  incident.started_unix_ms = 13 * kDay;
  batch.incidents = {incident};

  auto stats = store->Append(batch);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->inserted, 7);
  EXPECT_EQ(stats->duplicates, 0);

  DeliveryRecords got = MustQuery(*store);
  EXPECT_EQ(got.commits, batch.commits);
  EXPECT_EQ(got.changes, batch.changes);
  EXPECT_EQ(got.reviews, batch.reviews);
  EXPECT_EQ(got.releases, batch.releases);
  EXPECT_EQ(got.pipeline_runs, batch.pipeline_runs);
  EXPECT_EQ(got.deployments, batch.deployments);
  EXPECT_EQ(got.incidents, batch.incidents);

  auto s = store->Stats();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->commits, 1);
  EXPECT_EQ(s->changes, 1);
  EXPECT_EQ(s->deployments, 1);
  EXPECT_EQ(s->incidents, 1);
  EXPECT_EQ(s->usage_events, 0);
}

// Git history holds Latin-1 subjects and author names; JSON cannot carry those bytes, so the
// store keeps U+FFFD in their place rather than failing (or throwing) on the whole batch.
TEST_P(StoreConformanceTest, BytesThatAreNotUtf8AreStoredAsReplacementCharacters) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch;
  batch.commits = {MakeCommit("acme/api", "c1", 10 * kDay)};
  batch.commits[0].subject = "Caf\xe9 fix";
  batch.commits[0].author_name = "Jos\xe9";
  auto stats = store->Append(batch);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->inserted, 1);

  DeliveryRecords got = MustQuery(*store);
  ASSERT_EQ(got.commits.size(), 1u);
  EXPECT_EQ(got.commits[0].subject, "Caf\xef\xbf\xbd fix");
  EXPECT_EQ(got.commits[0].author_name, "Jos\xef\xbf\xbd");
  EXPECT_EQ(got.commits[0].files, batch.commits[0].files);
}

TEST_P(StoreConformanceTest, LaterDeliveryStatesMergeIntoOneRecord) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch created;
  created.deployments = {Deploy("dep-1", "in_progress", 0)};
  created.deployments[0].started_unix_ms = 5 * kDay;
  ASSERT_TRUE(store->Append(created).ok());

  model::EventBatch finished;
  model::Deployment status = Deploy("dep-1", "success", 5 * kDay + 600'000);
  status.environment.clear();  // a status event that does not repeat the environment
  finished.deployments = {status};
  auto stats = store->Append(finished);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->inserted, 1);

  // A late in_progress retry does not undo the terminal state and counts as a duplicate.
  auto late = store->Append(created);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->inserted, 0);
  EXPECT_EQ(late->duplicates, 1);

  DeliveryRecords got = MustQuery(*store);
  ASSERT_EQ(got.deployments.size(), 1u);
  EXPECT_EQ(got.deployments[0].status, "success");
  EXPECT_EQ(got.deployments[0].environment, "production");
  EXPECT_EQ(got.deployments[0].started_unix_ms, 5 * kDay);
  EXPECT_EQ(got.deployments[0].finished_unix_ms, 5 * kDay + 600'000);
}

TEST_P(StoreConformanceTest, ARetriedWebhookDeliveryIsSkippedWhole) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch;
  batch.deployments = {Deploy("dep-1", "success", kDay)};
  batch = WithDelivery(batch, "github:guid-1", R"({"action":"created"})");
  auto first = store->Append(batch);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, 1);

  // Same delivery id, even with a different body: the sender's retry, stored once.
  model::EventBatch retry;
  retry.deployments = {Deploy("dep-1", "failure", 2 * kDay)};
  retry = WithDelivery(retry, "github:guid-1", R"({"action":"created","retry":1})");
  auto second = store->Append(retry);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->duplicates, 1);
  DeliveryRecords got = MustQuery(*store);
  ASSERT_EQ(got.deployments.size(), 1u);
  EXPECT_EQ(got.deployments[0].status, "success");

  auto raw = store->QueryRawDeliveries({});
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_EQ((*raw)[0].dedupe_key, "github:guid-1");
  EXPECT_EQ((*raw)[0].body, R"({"action":"created"})");
  EXPECT_EQ((*raw)[0].event, "deployment_status");

  // An ignored event (no records) is still kept for replay, once.
  model::EventBatch ping = WithDelivery({}, "github:guid-2", R"({"zen":"x"})");
  ASSERT_TRUE(store->Append(ping).ok());
  ASSERT_TRUE(store->Append(ping).ok());
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->raw_deliveries, 2);
}

TEST_P(StoreConformanceTest, RawDeliveriesPage) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 5; ++i) {
    model::EventBatch b;
    b.raw_deliveries.push_back({"k" + std::to_string(i), "github", "ping", 100 + i / 2, "{}"});
    ASSERT_TRUE(store->Append(b).ok());
  }
  RawDeliveryQuery q;
  q.limit = 2;
  std::vector<std::string> keys;
  while (true) {
    auto page = store->QueryRawDeliveries(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty())
      break;
    for (const auto& d : *page)
      keys.push_back(d.dedupe_key);
    q.after_dedupe_key = page->back().dedupe_key;
    q.after_received_unix_ms = page->back().received_unix_ms;
  }
  EXPECT_THAT(keys, ElementsAre("k0", "k1", "k2", "k3", "k4"));
}

TEST_P(StoreConformanceTest, DeliveryQueryFiltersByTimeAndRepo) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch;
  batch.commits = {MakeCommit("acme/api", "a1", 1 * kDay), MakeCommit("acme/api", "a2", 3 * kDay),
                   MakeCommit("acme/web", "w1", 2 * kDay), MakeCommit("acme/web", "w0", 0)};
  ASSERT_TRUE(store->Append(batch).ok());

  DeliveryRecords all = MustQuery(*store);
  ASSERT_EQ(all.commits.size(), 4u);
  // Ordered by time, then identity; unknown time (0) first.
  EXPECT_EQ(all.commits[0].sha, "w0");
  EXPECT_EQ(all.commits[1].sha, "a1");
  EXPECT_EQ(all.commits[2].sha, "w1");
  EXPECT_EQ(all.commits[3].sha, "a2");

  DeliveryRecords window = MustQuery(*store, {.from_unix_ms = 2 * kDay, .to_unix_ms = 3 * kDay});
  ASSERT_EQ(window.commits.size(), 2u);  // w1, and w0 whose time is unknown
  EXPECT_EQ(window.commits[0].sha, "w0");
  EXPECT_EQ(window.commits[1].sha, "w1");

  DeliveryRecords api = MustQuery(*store, {.repo = "acme/api"});
  ASSERT_EQ(api.commits.size(), 2u);
  EXPECT_EQ(api.commits[0].sha, "a1");

  EXPECT_FALSE(store->QueryDelivery({.from_unix_ms = 5, .to_unix_ms = 4}).ok());
}

TEST_P(StoreConformanceTest, UsageAndDeliveryInOneBatchIsRefused) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch;
  batch.commits = {MakeCommit("acme/api", "a1", kDay)};
  batch.usage.emplace_back();
  auto r = store->Append(batch);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(MustQuery(*store).commits, IsEmpty());
}

TEST_P(StoreConformanceTest, GitHeadsAreKeptPerRepo) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto none = store->GetGitHeads("acme/api");
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, IsEmpty());
  ASSERT_TRUE(store->PutGitHeads("acme/api", {"h1", "tag:h2:v1"}).ok());
  ASSERT_TRUE(store->PutGitHeads("acme/web", {"w"}).ok());
  ASSERT_TRUE(store->PutGitHeads("acme/api", {"h3"}).ok());
  store.reset();
  store = Open();
  ASSERT_NE(store, nullptr);
  auto api = store->GetGitHeads("acme/api");
  ASSERT_TRUE(api.ok());
  EXPECT_THAT(*api, ElementsAre("h3"));
  auto web = store->GetGitHeads("acme/web");
  ASSERT_TRUE(web.ok());
  EXPECT_THAT(*web, ElementsAre("w"));
}

TEST_P(StoreConformanceTest, DirectoryVersionsAreKeptInOrder) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto empty = store->QueryDirectory(std::nullopt);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());

  auto v1 = store->PutDirectory("people: []\n", 1000);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  auto same = store->PutDirectory("people: []\n", 2000);  // unchanged: no new version
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(same->imported_unix_ms, 1000);
  auto v2 = store->PutDirectory("people: [{id: alice}]\n", 3000);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);

  auto latest = store->QueryDirectory(std::nullopt);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->yaml, "people: [{id: alice}]\n");
  auto then = store->QueryDirectory(2500);
  ASSERT_TRUE(then.ok() && then->has_value());
  EXPECT_EQ((*then)->version, 1);
  EXPECT_EQ((*then)->yaml, "people: []\n");
  auto before = store->QueryDirectory(999);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());

  auto history = store->DirectoryHistory();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[1].imported_unix_ms, 3000);
  EXPECT_TRUE((*history)[1].yaml.empty());
  EXPECT_NE((*history)[0].content_hash, (*history)[1].content_hash);
}

}  // namespace
}  // namespace goodhart::store::storetest
