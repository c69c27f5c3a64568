#include "goodhart/receivers/file/delivery_jsonl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

model::EventBatch OneOfEachKind() {
  model::EventBatch b;
  model::Commit c;
  c.repo = "acme/mono";
  c.sha = "a1b2c3";
  c.parents = {"000111"};
  c.author_email = "alice@example.com";
  c.committed_unix_ms = 1'767'607'200'000;
  model::FileDiff f;
  f.path = "services/payments/a.go";
  f.added = 3;
  f.meaningful = 3;
  f.added_line_hashes = {1, 2, 18'446'744'073'709'551'615ULL};  // a full 64-bit hash survives
  c.files = {f};
  c.meaningful_lines = 3;
  b.commits.push_back(c);
  model::Change ch;
  ch.id = "github:acme/mono#1";
  ch.merged = true;
  ch.merged_unix_ms = 1'767'607'200'000;
  b.changes.push_back(ch);
  b.reviews.push_back({.change_id = ch.id, .reviewer = "carol", .state = "approved"});
  b.releases.push_back({.repo = "acme/mono", .tag = "v1.0.0"});
  b.pipeline_runs.push_back({.id = "run-7", .attempt = 2});
  b.deployments.push_back({.id = "d1", .service = "payments-api", .status = "success"});
  b.incidents.push_back({.id = "INC-1", .severity = "sev2"});
  return b;
}

TEST(DeliveryJsonlTest, EncodeThenDecodeGivesBackEveryRecord) {
  model::EventBatch in = OneOfEachKind();
  std::string text = EncodeDeliveryJsonl(in);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 7);
  EXPECT_EQ(DetectFormat("export.jsonl", text), FileFormat::kDeliveryJsonl);
  auto out = DecodeFile(FileFormat::kDeliveryJsonl, text);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->rejected, 0);
  EXPECT_EQ(out->batch.commits, in.commits);
  EXPECT_EQ(out->batch.changes, in.changes);
  EXPECT_EQ(out->batch.reviews, in.reviews);
  EXPECT_EQ(out->batch.releases, in.releases);
  EXPECT_EQ(out->batch.pipeline_runs, in.pipeline_runs);
  EXPECT_EQ(out->batch.deployments, in.deployments);
  EXPECT_EQ(out->batch.incidents, in.incidents);
  EXPECT_TRUE(out->batch.usage.empty());
}

TEST(DeliveryJsonlTest, BadLinesAreRejectedWithTheirLineAndTheRestIsKept) {
  std::string text =
      "{\"kind\":\"deployment\",\"record\":{\"id\":\"d1\"}}\n"
      "\n"
      "{\"kind\":\"deploy\",\"record\":{\"id\":\"d2\"}}\n"
      "{\"kind\":\"commit\",\"record\":{\"repo\":\"acme/mono\"}}\n"
      "{\"kind\":\"change\",\"record\":{\"id\":\"x\",\"number\":\"seven\"}}\n"
      "{\"kind\":\"incident\",\"record\":[1]}\n"
      "not json\n"
      "{\"kind\":\"incident\",\"record\":{\"id\":\"INC-9\"}}";
  FileDecodeResult out;
  ASSERT_TRUE(DecodeDeliveryJsonl(text, &out).ok());
  EXPECT_EQ(out.rejected, 5);
  ASSERT_EQ(out.errors.size(), 5u);
  EXPECT_THAT(out.errors[0], HasSubstr("delivery: line 3: kind: 'deploy' is not"));
  EXPECT_THAT(out.errors[1], HasSubstr("delivery: line 4: record.sha: missing"));
  EXPECT_THAT(out.errors[2], HasSubstr("delivery: line 5: record: "));
  EXPECT_THAT(out.errors[3], HasSubstr("delivery: line 6: record: missing or not an object"));
  EXPECT_THAT(out.errors[4], HasSubstr("delivery: line 7: not a JSON object"));
  ASSERT_EQ(out.batch.deployments.size(), 1u);
  EXPECT_EQ(out.batch.deployments[0].id, "d1");
  ASSERT_EQ(out.batch.incidents.size(), 1u);
  EXPECT_EQ(out.batch.incidents[0].id, "INC-9");
}

// nlohmann casts a float into an integer field without a range check (undefined behaviour):
// such a record is rejected before it is read.
TEST(DeliveryJsonlTest, AFloatNoIntegerFieldHoldsIsRejected) {
  std::string text =
      "{\"kind\":\"deployment\",\"record\":{\"id\":\"d1\",\"finished_unix_ms\":1e30}}\n"
      "{\"kind\":\"deployment\",\"record\":{\"id\":\"d2\",\"finished_unix_ms\":2.0}}\n";
  FileDecodeResult out;
  ASSERT_TRUE(DecodeDeliveryJsonl(text, &out).ok());
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_THAT(out.errors[0],
              HasSubstr("delivery: line 1: record.finished_unix_ms: number out of range"));
  ASSERT_EQ(out.batch.deployments.size(), 1u);
  EXPECT_EQ(out.batch.deployments[0].finished_unix_ms, 2);
}

TEST(DeliveryJsonlTest, UsageJsonlIsNotMistakenForDelivery) {
  EXPECT_EQ(DetectFormat("x.jsonl",
                         "{\"event_key\":\"k\",\"kind\":\"model_call\",\"time\":\"2026-01-01T00:00:"
                         "00Z\",\"tokens\":{}}\n"),
            FileFormat::kCanonicalJsonl);
  EXPECT_EQ(FileFormatName(FileFormat::kDeliveryJsonl), "delivery_jsonl");
}

}  // namespace
}  // namespace goodhart::receivers::file
