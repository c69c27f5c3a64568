#include "goodhart/store/delivery_merge.h"

#include <gtest/gtest.h>

namespace goodhart::store {
namespace {

model::Deployment Deploy(std::string status, std::string sha, int64_t finished) {
  model::Deployment d;
  d.ref = {"github", "delivery-1"};
  d.id = "github:acme/api:42";
  d.repo = "acme/api";
  d.environment = "production";
  d.status = std::move(status);
  d.commit_sha = std::move(sha);
  d.finished_unix_ms = finished;
  return d;
}

TEST(DeliveryMergeTest, EmptyFieldsNeverEraseKnownOnes) {
  model::Deployment stored = Deploy("in_progress", "abc", 0);
  model::Deployment status_only = Deploy("success", "", 5000);
  status_only.environment.clear();
  EXPECT_TRUE(MergeDelivery(stored, status_only));
  EXPECT_EQ(stored.status, "success");
  EXPECT_EQ(stored.commit_sha, "abc");
  EXPECT_EQ(stored.environment, "production");
  EXPECT_EQ(stored.finished_unix_ms, 5000);
}

TEST(DeliveryMergeTest, SameRecordAgainChangesNothing) {
  model::Deployment stored = Deploy("success", "abc", 5000);
  EXPECT_FALSE(MergeDelivery(stored, Deploy("success", "abc", 5000)));
}

TEST(DeliveryMergeTest, TerminalDeploymentStatusIsNotUndoneByALateInProgress) {
  model::Deployment stored = Deploy("success", "abc", 5000);
  EXPECT_FALSE(MergeDelivery(stored, Deploy("in_progress", "abc", 0)));
  EXPECT_EQ(stored.status, "success");
  // A later terminal state does replace it (a deployment marked inactive, or failed).
  EXPECT_TRUE(MergeDelivery(stored, Deploy("failure", "abc", 6000)));
  EXPECT_EQ(stored.status, "failure");
}

TEST(DeliveryMergeTest, AMergedChangeStaysMerged) {
  model::Change stored;
  stored.id = "github:acme/api#7";
  stored.state = "merged";
  stored.merged = true;
  stored.merged_unix_ms = 100;
  model::Change late_open;
  late_open.id = stored.id;
  late_open.state = "open";
  late_open.title = "Add retries";
  EXPECT_TRUE(MergeDelivery(stored, late_open));
  EXPECT_EQ(stored.state, "merged");
  EXPECT_TRUE(stored.merged);
  EXPECT_EQ(stored.title, "Add retries");
}

TEST(DeliveryMergeTest, ImportedCommitKeepsItsDiffsAgainstAWebhookSummary) {
  model::Commit imported;
  imported.ref = {"git", "abc"};
  imported.repo = "acme/api";
  imported.sha = "abc";
  imported.meaningful_lines = 42;
  imported.files = {model::FileDiff{.path = "a.cc", .added = 50, .meaningful = 42}};
  model::Commit pushed;
  pushed.ref = {"github", "delivery-9"};
  pushed.repo = "acme/api";
  pushed.sha = "abc";
  pushed.files = {model::FileDiff{.path = "a.cc"}};
  pushed.subject = "Fix the thing";
  EXPECT_TRUE(MergeDelivery(imported, pushed));
  EXPECT_EQ(imported.subject, "Fix the thing");  // filled in
  EXPECT_EQ(imported.ref.source, "git");
  ASSERT_EQ(imported.files.size(), 1u);
  EXPECT_EQ(imported.files[0].added, 50);
  EXPECT_DOUBLE_EQ(imported.meaningful_lines, 42);

  // The other way round the import's record replaces the webhook's.
  model::Commit from_webhook = pushed;
  model::Commit reimported = imported;
  EXPECT_TRUE(MergeDelivery(from_webhook, reimported));
  EXPECT_EQ(from_webhook.files[0].added, 50);
  EXPECT_EQ(from_webhook.ref.source, "git");
}

TEST(DeliveryMergeTest, IncidentKeepsItsFirstSeverity) {
  model::Incident stored{.id = "INC-1", .severity = "SEV1"};
  model::Incident downgraded{.id = "INC-1", .severity = "SEV3"};
  EXPECT_TRUE(MergeDelivery(stored, downgraded));
  EXPECT_EQ(stored.severity, "SEV3");
  EXPECT_EQ(stored.initial_severity, "SEV1");
  model::Incident again{.id = "INC-1", .severity = "SEV4"};
  again.initial_severity = "SEV4";
  EXPECT_TRUE(MergeDelivery(stored, again));
  EXPECT_EQ(stored.initial_severity, "SEV1");  // an update never rewrites it
  model::Incident unknown{.id = "INC-2"};
  EXPECT_TRUE(MergeDelivery(unknown, model::Incident{.id = "INC-2", .severity = "P2"}));
  EXPECT_EQ(unknown.initial_severity, "P2");
}

TEST(DeliveryMergeTest, ResolvedIncidentStaysResolvedUnlessReopenedLater) {
  model::Incident stored;
  stored.id = "pd:1";
  stored.status = "resolved";
  stored.started_unix_ms = 100;
  stored.resolved_unix_ms = 500;
  model::Incident late_trigger = stored;
  late_trigger.status = "triggered";
  late_trigger.resolved_unix_ms = 0;
  EXPECT_FALSE(MergeDelivery(stored, late_trigger));
  EXPECT_EQ(stored.status, "resolved");

  model::Incident reopen = late_trigger;
  reopen.detected_unix_ms = 900;
  EXPECT_TRUE(MergeDelivery(stored, reopen));
  EXPECT_EQ(stored.status, "triggered");
  EXPECT_EQ(stored.resolved_unix_ms, 0);
}

TEST(DeliveryMergeTest, CompletedPipelineRunIsNotUndone) {
  model::PipelineRun stored;
  stored.id = "run-1";
  stored.status = "completed";
  stored.conclusion = "success";
  model::PipelineRun late = stored;
  late.status = "in_progress";
  late.conclusion.clear();
  EXPECT_FALSE(MergeDelivery(stored, late));
  EXPECT_EQ(stored.conclusion, "success");
}

TEST(DeliveryMergeTest, KeysAndTimes) {
  model::Commit c;
  c.repo = "acme/api";
  c.sha = "abc";
  c.authored_unix_ms = 10;
  EXPECT_EQ(DeliveryKey(c), "acme/api@abc");
  EXPECT_EQ(DeliveryTimeMillis(c), 10);
  c.committed_unix_ms = 20;
  EXPECT_EQ(DeliveryTimeMillis(c), 20);
  model::Deployment d = Deploy("success", "abc", 0);
  d.started_unix_ms = 7;
  EXPECT_EQ(DeliveryKey(d), "github:acme/api:42|acme/api|abc");
  EXPECT_EQ(DeliveryTimeMillis(d), 7);
}

}  // namespace
}  // namespace goodhart::store
