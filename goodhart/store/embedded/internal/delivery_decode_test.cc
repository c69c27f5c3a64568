#include "goodhart/store/embedded/internal/delivery_decode.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/model/delivery_json.h"

namespace goodhart::store::internal {
namespace {

using testing::StatusIs;

model::Commit FullCommit() {
  model::Commit c;
  c.ref = {"git", "0123abcd"};
  c.repo = "corp/svc \"quoted\" \\ back";
  c.sha = "0123abcd";
  c.parents = {"p1", "p2"};
  c.author_name = "Zoë Ünïcode \xe2\x9c\x93";
  c.author_email = "zoe@example.com";
  c.committer_name = "tab\tnew\nline";
  c.committer_email = "c@example.com";
  c.authored_unix_ms = -5;
  c.committed_unix_ms = std::numeric_limits<int64_t>::max();
  c.subject = std::string("nul\0inside", 10);
  c.trailers = {{"Co-Authored-By", "Claude <noreply@anthropic.com>"}, {"Signed-off-by", ""}};
  c.co_authors = {"Claude <noreply@anthropic.com>"};
  model::FileDiff f;
  f.path = "src/a.go";
  f.old_path = "src/old.go";
  f.added = 12;
  f.deleted = std::numeric_limits<int64_t>::min();
  f.binary = true;
  f.exclusion = "generated";
  f.meaningful = 9.75;
  f.copied = 5;
  f.added_line_hashes = {0, 1, std::numeric_limits<uint64_t>::max(), 0x8000000000000000ULL};
  f.removed_line_hashes = {42};
  c.files = {f, model::FileDiff{}};
  c.patch_id = "patch";
  c.meaningful_lines = 1e-3;
  c.reverts_sha = "deadbeef";
  c.ai_markers = {{"claude-code", "Claude Opus 4.6", "trailer", "Co-Authored-By: Claude"}};
  return c;
}

template <typename T>
T RoundTrip(const T& record) {
  std::string json = nlohmann::json(record).dump();
  DeliveryDecoder decoder;
  T out;
  Status s = decoder.Decode(json, "k", &out);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << json;
  // Same as the nlohmann form the store used to read with.
  EXPECT_EQ(out, nlohmann::json::parse(json).get<T>());
  return out;
}

TEST(DeliveryDecoderTest, ReadsEveryKindAsWritten) {
  EXPECT_EQ(RoundTrip(FullCommit()), FullCommit());
  model::Change ch;
  ch.ref = {"github", "github:corp/a#7"};
  ch.id = "github:corp/a#7";
  ch.repo = "corp/a";
  ch.number = 7;
  ch.author = "alice";
  ch.author_type = "User";
  ch.co_authors = {"bob"};
  ch.title = "Fix \"it\"";
  ch.state = "merged";
  ch.base_ref = "main";
  ch.head_ref = "feature";
  ch.head_sha = "h";
  ch.merge_sha = "m";
  ch.created_unix_ms = 1;
  ch.first_commit_unix_ms = 2;
  ch.merged_unix_ms = 3;
  ch.closed_unix_ms = 4;
  ch.merged = true;
  ch.merged_by = "carol";
  ch.files = {"a", "b"};
  ch.labels = {"x"};
  ch.additions = 10;
  ch.deletions = 20;
  ch.commit_count = 3;
  ch.ai_markers = {{"copilot", "", "pr_author", "Copilot"}};
  EXPECT_EQ(RoundTrip(ch), ch);
  model::Review r{{"github", "r1"}, "github:corp/a#7", "bob", "approved", "h", 99};
  EXPECT_EQ(RoundTrip(r), r);
  model::Release rel{{"git", "v1"}, "corp/a", "v1.0", "s", 5, true};
  EXPECT_EQ(RoundTrip(rel), rel);
  model::PipelineRun run{{"github", "run"}, "run-1",   2,  "corp/a", "ci", "h", "main",
                         "completed",       "success", 10, 20};
  EXPECT_EQ(RoundTrip(run), run);
  model::Deployment d;
  d.ref = {"cdevents", "d"};
  d.id = "d1";
  d.service = "svc";
  d.environment = "production";
  d.artifact_digest = "sha256:00";
  d.commit_sha = "c";
  d.pipeline_id = "p";
  d.pipeline = "github:acme/api/actions/workflows/7";
  d.repo = "corp/a";
  d.ref_name = "main";
  d.environment_tier = "production";
  d.status = "success";
  d.rollout_fraction = 0.25;
  d.started_unix_ms = 1;
  d.finished_unix_ms = 2;
  d.triggered_by = "bot";
  EXPECT_EQ(RoundTrip(d), d);
  model::Incident i{{"pagerduty", "i"},
                    "inc-1",
                    "svc",
                    "production",
                    "sev2",
                    "d1",
                    "down",
                    "resolved",
                    1,
                    2,
                    3,
                    "sev1"};
  EXPECT_EQ(RoundTrip(i), i);
  EXPECT_EQ(RoundTrip(model::Commit{}), model::Commit{});
}

// Every top-level field delivery_json.h writes is read: a field added to a model struct and to
// delivery_json.h but not to delivery_decode.cc fails here, whatever its name.
template <typename T>
void ExpectEveryFieldRead() {
  nlohmann::json j = T{};
  for (auto& [key, value] : j.items()) {
    if (value.is_string())
      value = "v-" + key;
    else if (value.is_boolean())
      value = true;
    else if (value.is_number_float())
      value = 0.5;
    else if (value.is_number())
      value = 7;
    else if (value.is_array())
      value = nlohmann::json::array();  // element types are covered by the round trips above
    else if (value.is_object())
      value = {{"source", "s"}, {"raw_id", "r"}};  // SourceRef
  }
  T want = j.get<T>();
  DeliveryDecoder decoder;
  T got;
  ASSERT_TRUE(decoder.Decode(j.dump(), "k", &got).ok()) << j.dump();
  EXPECT_EQ(got, want) << j.dump();
}

TEST(DeliveryDecoderTest, EveryFieldOfEveryKindIsRead) {
  ExpectEveryFieldRead<model::Commit>();
  ExpectEveryFieldRead<model::Change>();
  ExpectEveryFieldRead<model::Review>();
  ExpectEveryFieldRead<model::Release>();
  ExpectEveryFieldRead<model::PipelineRun>();
  ExpectEveryFieldRead<model::Deployment>();
  ExpectEveryFieldRead<model::Incident>();
}

TEST(DeliveryDecoderTest, MissingFieldsKeepDefaultsAndUnknownOnesAreSkipped) {
  DeliveryDecoder decoder;
  model::Deployment d;
  d.id = "stale";  // the decoder starts from a default record
  ASSERT_TRUE(
      decoder.Decode(R"({"id":"d2","future":{"a":[1,{"b":null}]},"rollout_fraction":1})", "k", &d)
          .ok());
  model::Deployment want;
  want.id = "d2";
  EXPECT_EQ(d, want);
  model::Commit c;
  ASSERT_TRUE(
      decoder.Decode(R"({"files":[{"path":"p","meaningful":3}],"authored_unix_ms":2.0})", "k", &c)
          .ok());
  EXPECT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0].meaningful, 3.0);
  EXPECT_EQ(c.authored_unix_ms, 2);
}

TEST(DeliveryDecoderTest, WrongTypesAndBadJsonAreDataLoss) {
  DeliveryDecoder decoder;
  model::Change ch;
  EXPECT_THAT(decoder.Decode(R"({"id":7})", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"merged":"yes"})", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"files":"a"})", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"([1,2])", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"id":"a"} x)", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"id":"a")", "k", &ch), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode("", "k", &ch), StatusIs(StatusCode::kDataLoss));
}

// Found by store_codec_fuzz: a float no integer field can hold was converted anyway (undefined
// behaviour; UBSan stops there).
TEST(DeliveryDecoderTest, AFloatOutOfAnIntegersRangeIsDataLoss) {
  DeliveryDecoder decoder;
  model::Commit c;
  EXPECT_THAT(decoder.Decode(R"({"authored_unix_ms":1e30})", "k", &c),
              StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"authored_unix_ms":-9.3e18})", "k", &c),
              StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"files":[{"added_line_hashes":[1.9e19]}]})", "k", &c),
              StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(decoder.Decode(R"({"files":[{"added_line_hashes":[-1.5]}]})", "k", &c),
              StatusIs(StatusCode::kDataLoss));
  ASSERT_TRUE(
      decoder
          .Decode(R"({"authored_unix_ms":-9.2e18,"files":[{"added_line_hashes":[1.8e19,-0.5]}]})",
                  "k", &c)
          .ok());
  EXPECT_EQ(c.authored_unix_ms, -9200000000000000000);
  EXPECT_EQ(c.files[0].added_line_hashes, (std::vector<uint64_t>{18000000000000000000u, 0}));
}

}  // namespace
}  // namespace goodhart::store::internal
