#include "goodhart/receivers/webhook/cdevents_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::CorpusPath;
using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadFileOrDie;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

constexpr char kMain[] = "cdevents-spec/conformance/";
constexpr char kV041[] = "cdevents-spec/v0.4.1/conformance/";
const int64_t kDeployTime = CivilToMillis(2023, 3, 20, 14, 27, 5) + 315;
const int64_t kIncidentTime = CivilToMillis(2022, 11, 11, 13, 52, 20) + 79;

Headers BinaryHeaders(const Json& event) {
  const Json& c = event["context"];
  return {{"Ce-Specversion", "1.0"},
          {"ce-id", c["id"]},
          {"ce-source", c["source"]},
          {"ce-type", c["type"]},
          {"ce-subject", event["subject"]["id"]},
          {"ce-time", c["timestamp"]}};
}

Json Envelope(const Json& event) {
  const Json& c = event["context"];
  return {{"specversion", "1.0"},
          {"id", c.value("id", Json())},
          {"source", c.value("source", Json())},
          {"type", c.value("type", Json())},
          {"subject", event["subject"].value("id", Json())},
          {"time", c.value("timestamp", Json())},
          {"datacontenttype", "application/json"},
          {"data", event}};
}

WebhookResult Binary(const std::string& body) {
  Result<std::vector<WebhookResult>> r =
      DecodeCdevents("application/json", BinaryHeaders(Json::parse(body)), body);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok() || r->size() != 1) {
    ADD_FAILURE() << "expected one result";
    return {};
  }
  return std::move((*r)[0]);
}

WebhookResult Structured(const std::string& body) {
  Result<std::vector<WebhookResult>> r = DecodeCdevents(
      "application/cloudevents+json; charset=UTF-8", {}, Envelope(Json::parse(body)).dump());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok() || r->size() != 1) {
    ADD_FAILURE() << "expected one result";
    return {};
  }
  return std::move((*r)[0]);
}

void ExpectSameEntities(const WebhookResult& a, const WebhookResult& b) {
  EXPECT_EQ(a.dedupe_key, b.dedupe_key);
  EXPECT_EQ(a.ignored, b.ignored);
  EXPECT_EQ(a.event, b.event);
  EXPECT_EQ(a.batch.changes, b.batch.changes);
  EXPECT_EQ(a.batch.reviews, b.batch.reviews);
  EXPECT_EQ(a.batch.deployments, b.batch.deployments);
  EXPECT_EQ(a.batch.incidents, b.batch.incidents);
  EXPECT_EQ(a.batch.pipeline_runs, b.batch.pipeline_runs);
}

bool IsMapped(const std::string& file) {
  static const std::set<std::string> kMapped = {
      "service_deployed.json",  "service_upgraded.json",  "service_rolledback.json",
      "change_merged.json",     "change_reviewed.json",   "incident_detected.json",
      "incident_reported.json", "incident_resolved.json", "pipelinerun_finished.json"};
  return kMapped.count(file) != 0;
}

std::vector<std::filesystem::path> ConformanceFiles(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(CorpusPath(dir))) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());  // formats/ holds URN test vectors, not events
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(DecodeCdeventsTest, EveryConformanceExampleInBothModes) {
  for (const auto& [dir, count] : {std::pair{kMain, 48}, std::pair{kV041, 45}}) {
    std::vector<std::filesystem::path> files = ConformanceFiles(dir);
    EXPECT_EQ(static_cast<int>(files.size()), count) << dir;
    int mapped = 0;
    for (const auto& path : files) {
      std::string file = path.filename().string();
      SCOPED_TRACE(std::string(dir) + file);
      std::string body = ReadFileOrDie(path);
      WebhookResult binary = Binary(body);
      WebhookResult structured = Structured(body);
      ExpectSameEntities(binary, structured);
      Json context = Json::parse(body)["context"];
      EXPECT_EQ(binary.dedupe_key, "cdevents:" + context["source"].get<std::string>() + "|" +
                                       context["id"].get<std::string>() + "|" +
                                       context["type"].get<std::string>());
      EXPECT_EQ(binary.source, "cdevents");
      EXPECT_EQ(binary.ignored, !IsMapped(file));
      EXPECT_EQ(binary.entity_count(), IsMapped(file) ? 1u : 0u);
      mapped += IsMapped(file) ? 1 : 0;
    }
    EXPECT_EQ(mapped, 9) << dir;
  }
}

TEST(DecodeCdeventsTest, CustomEventIsAcceptedAndIgnored) {
  std::string body = ReadCorpus("cdevents-spec/custom/conformance.json");
  WebhookResult binary = Binary(body);
  EXPECT_TRUE(binary.ignored);
  EXPECT_EQ(binary.event, "dev.cdeventsx.mytool-resource.created.0.1.0");
  EXPECT_TRUE(Structured(body).ignored);
}

TEST(DecodeCdeventsTest, ServiceDeployedBothVersions) {
  for (const char* dir : {kMain, kV041}) {
    SCOPED_TRACE(dir);
    WebhookResult r = Binary(ReadCorpus(std::string(dir) + "service_deployed.json"));
    ASSERT_EQ(r.batch.deployments.size(), 1u);
    const model::Deployment& d = r.batch.deployments[0];
    EXPECT_EQ(d.ref, (model::SourceRef{"cdevents", "271069a8-fc18-44f1-b38f-9d70a1695819"}));
    EXPECT_EQ(d.id, r.dedupe_key);
    EXPECT_EQ(d.service, "mySubject123");
    EXPECT_EQ(d.environment, "test123");
    EXPECT_EQ(d.artifact_digest,
              "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427");
    EXPECT_EQ(d.status, "success");
    EXPECT_EQ(d.started_unix_ms, kDeployTime);
    EXPECT_EQ(d.finished_unix_ms, kDeployTime);
  }
}

TEST(DecodeCdeventsTest, UpgradedAndRolledBack) {
  for (const char* dir : {kMain, kV041}) {
    WebhookResult up = Binary(ReadCorpus(std::string(dir) + "service_upgraded.json"));
    ASSERT_EQ(up.batch.deployments.size(), 1u);
    EXPECT_EQ(up.batch.deployments[0].status, "success");
    WebhookResult back = Binary(ReadCorpus(std::string(dir) + "service_rolledback.json"));
    ASSERT_EQ(back.batch.deployments.size(), 1u);
    EXPECT_EQ(back.batch.deployments[0].status, "rollback");
    // Same context.id as the deployed event, yet a different deployment and dedupe key.
    EXPECT_NE(back.batch.deployments[0].id, up.batch.deployments[0].id);
  }
}

TEST(DecodeCdeventsTest, ChangeMergedAndReviewed) {
  for (const char* dir : {kMain, kV041}) {
    SCOPED_TRACE(dir);
    WebhookResult merged = Binary(ReadCorpus(std::string(dir) + "change_merged.json"));
    ASSERT_EQ(merged.batch.changes.size(), 1u);
    const model::Change& c = merged.batch.changes[0];
    EXPECT_EQ(c.id, "cdevents:mySubject123");  // no sha in the event: the subject id is kept
    EXPECT_EQ(c.repo, "TestRepo/TestOrg");
    EXPECT_TRUE(c.merged);
    EXPECT_EQ(c.state, "merged");
    EXPECT_EQ(c.merged_unix_ms, kDeployTime);
    EXPECT_EQ(c.merge_sha, "");
    WebhookResult reviewed = Binary(ReadCorpus(std::string(dir) + "change_reviewed.json"));
    ASSERT_EQ(reviewed.batch.reviews.size(), 1u);
    EXPECT_EQ(reviewed.batch.reviews[0].change_id, "cdevents:mySubject123");
    EXPECT_EQ(reviewed.batch.reviews[0].state, "commented");
    EXPECT_EQ(reviewed.batch.reviews[0].submitted_unix_ms, kDeployTime);
  }
}

TEST(DecodeCdeventsTest, IncidentLifecycle) {
  for (const char* dir : {kMain, kV041}) {
    SCOPED_TRACE(dir);
    WebhookResult detected = Binary(ReadCorpus(std::string(dir) + "incident_detected.json"));
    ASSERT_EQ(detected.batch.incidents.size(), 1u);
    const model::Incident& i = detected.batch.incidents[0];
    EXPECT_EQ(i.id, "cdevents:incident-123");
    EXPECT_EQ(i.ref, (model::SourceRef{"cdevents", "F4BD2B55-B6F6-4F44-AF72-BD2D0E7A8708"}));
    EXPECT_EQ(i.status, "open");
    EXPECT_EQ(i.title, "Response time above threshold of 100ms");
    EXPECT_EQ(i.service, "myApp");
    EXPECT_EQ(i.environment, "prod1");
    EXPECT_EQ(i.started_unix_ms, kIncidentTime);
    EXPECT_EQ(i.detected_unix_ms, kIncidentTime);
    EXPECT_EQ(i.resolved_unix_ms, 0);

    WebhookResult reported = Binary(ReadCorpus(std::string(dir) + "incident_reported.json"));
    ASSERT_EQ(reported.batch.incidents.size(), 1u);
    EXPECT_EQ(reported.batch.incidents[0].status, "open");
    EXPECT_EQ(reported.batch.incidents[0].severity, "medium");  // from customData

    WebhookResult resolved = Binary(ReadCorpus(std::string(dir) + "incident_resolved.json"));
    ASSERT_EQ(resolved.batch.incidents.size(), 1u);
    EXPECT_EQ(resolved.batch.incidents[0].id, "cdevents:incident-123");
    EXPECT_EQ(resolved.batch.incidents[0].status, "resolved");
    EXPECT_EQ(resolved.batch.incidents[0].resolved_unix_ms, kIncidentTime);
    EXPECT_EQ(resolved.batch.incidents[0].title, "Response time restored below 100ms");
  }
}

// formats.md §7: the conformance files reuse one context.id for the three incident events, so
// (source, id) would drop the resolution as a duplicate.
TEST(DecodeCdeventsTest, DuplicateIdQuirkKeepsThreeDistinctKeys) {
  for (const char* dir : {kMain, kV041}) {
    std::set<std::string> ids, keys;
    for (const char* file :
         {"incident_detected.json", "incident_reported.json", "incident_resolved.json"}) {
      std::string body = ReadCorpus(std::string(dir) + file);
      ids.insert(Json::parse(body)["context"]["id"].get<std::string>());
      keys.insert(Binary(body).dedupe_key);
      keys.insert(Structured(body).dedupe_key);
    }
    EXPECT_EQ(ids.size(), 1u) << dir;
    EXPECT_EQ(keys.size(), 3u) << dir;
  }
}

TEST(DecodeCdeventsTest, PipelineRunFinishedBothVersions) {
  for (const char* dir : {kMain, kV041}) {  // `uri` in 0.6, `url` in 0.4
    SCOPED_TRACE(dir);
    WebhookResult r = Binary(ReadCorpus(std::string(dir) + "pipelinerun_finished.json"));
    ASSERT_EQ(r.batch.pipeline_runs.size(), 1u);
    const model::PipelineRun& p = r.batch.pipeline_runs[0];
    EXPECT_EQ(p.id, "cdevents:mySubject123");
    EXPECT_EQ(p.name, "myPipeline");
    EXPECT_EQ(p.status, "completed");
    EXPECT_EQ(p.conclusion, "failure");
    EXPECT_EQ(p.finished_unix_ms, kDeployTime);
  }
}

TEST(DecodeCdeventsTest, BatchGivesOneResultPerEvent) {
  Json batch = Json::array();
  std::vector<std::string> types;
  for (const auto& path : ConformanceFiles(kV041)) {
    Json event = Json::parse(ReadFileOrDie(path));
    types.push_back(event["context"]["type"]);
    batch.push_back(Envelope(event));
  }
  Result<std::vector<WebhookResult>> r =
      DecodeCdevents("application/cloudevents-batch+json", {}, batch.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), types.size());
  size_t mapped = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    EXPECT_EQ((*r)[i].event, types[i]);
    mapped += (*r)[i].ignored ? 0 : 1;
  }
  EXPECT_EQ(mapped, 9u);
  Result<std::vector<WebhookResult>> empty =
      DecodeCdevents("application/cloudevents-batch+json", {}, "[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, IsEmpty());
}

TEST(DecodeCdeventsTest, StructuredVariants) {
  std::string body = ReadCorpus(std::string(kMain) + "service_deployed.json");
  // data_base64 instead of data.
  Json envelope = Envelope(Json::parse(body));
  envelope.erase("data");
  envelope["data_base64"] =
      "eyJjb250ZXh0Ijp7InNwZWN2ZXJzaW9uIjoiMC41LjAiLCJpZCI6ImFiYyIsInNvdXJjZSI6Ii9jZCIsInR5cGUi"
      "OiJkZXYuY2RldmVudHMuc2VydmljZS5kZXBsb3llZC4wLjMuMCIsInRpbWVzdGFtcCI6IjIwMjYtMDEtMDJUMDM6"
      "MDQ6MDVaIn0sInN1YmplY3QiOnsiaWQiOiJzaG9wIiwiY29udGVudCI6eyJlbnZpcm9ubWVudCI6eyJpZCI6InBy"
      "b2QifSwiYXJ0aWZhY3RJZCI6InBrZzpvY2kvc2hvcEBzaGEyNTYlM0FhYmMxMjMifX19";
  Result<std::vector<WebhookResult>> r =
      DecodeCdevents("application/cloudevents+json", {}, envelope.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)[0].batch.deployments.size(), 1u);
  EXPECT_EQ((*r)[0].batch.deployments[0].service, "shop");
  EXPECT_EQ((*r)[0].batch.deployments[0].environment, "prod");
  EXPECT_EQ((*r)[0].batch.deployments[0].artifact_digest, "sha256:abc123");
  EXPECT_EQ((*r)[0].batch.deployments[0].finished_unix_ms, CivilToMillis(2026, 1, 2, 3, 4, 5));
  EXPECT_EQ((*r)[0].dedupe_key, "cdevents:/cd|abc|dev.cdevents.service.deployed.0.3.0");

  // A structured envelope sent as plain application/json is still recognised.
  Result<std::vector<WebhookResult>> mislabeled =
      DecodeCdevents("application/json", {}, Envelope(Json::parse(body)).dump());
  ASSERT_TRUE(mislabeled.ok()) << mislabeled.status().ToString();
  EXPECT_EQ((*mislabeled)[0].batch.deployments.size(), 1u);

  // A CloudEvent that is no CDEvent is accepted and ignored.
  Json foreign = {{"specversion", "1.0"},
                  {"id", "1"},
                  {"source", "/x"},
                  {"type", "com.example.thing.happened"},
                  {"data", {{"k", 1}}}};
  Result<std::vector<WebhookResult>> other =
      DecodeCdevents("application/cloudevents+json", {}, foreign.dump());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_TRUE((*other)[0].ignored);
  EXPECT_EQ((*other)[0].dedupe_key, "cdevents:/x|1|com.example.thing.happened");
}

TEST(DecodeCdeventsTest, ArtifactWithoutDigest) {
  Json event = Json::parse(ReadCorpus(std::string(kMain) + "service_deployed.json"));
  event["subject"]["content"]["artifactId"] = "pkg:golang/mygit.com/myorg/myapp@234fd47e07d1004f";
  WebhookResult r = Binary(event.dump());
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  EXPECT_EQ(r.batch.deployments[0].artifact_digest, "");
}

TEST(DecodeCdeventsTest, RejectsMalformedEvents) {
  Json event = Json::parse(ReadCorpus(std::string(kMain) + "incident_detected.json"));
  auto decode = [](const Json& e) { return DecodeCdevents("application/json", {}, e.dump()); };

  Json no_time = event;
  no_time["context"].erase("timestamp");
  EXPECT_THAT(decode(no_time).status(),
              StatusIs(StatusCode::kInvalidArgument, "cdevents: context.timestamp: missing"));

  Json bad_time = event;
  bad_time["context"]["timestamp"] = "last tuesday";
  EXPECT_THAT(decode(bad_time).status(), StatusIs(StatusCode::kInvalidArgument,
                                                  "cdevents: context.timestamp: not a timestamp"));

  Json no_version = event;
  no_version["context"].erase("specversion");
  EXPECT_THAT(decode(no_version).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("context.specversion: missing")));

  Json bad_type = event;
  bad_type["context"]["type"] = "dev.cdevents.incident";
  EXPECT_THAT(decode(bad_type).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("context.type: not dev.cdevents.")));

  Json no_subject_id = event;
  no_subject_id["subject"].erase("id");
  EXPECT_THAT(decode(no_subject_id).status(),
              StatusIs(StatusCode::kInvalidArgument, "cdevents: subject.id: missing"));

  Json bad_env = event;
  bad_env["subject"]["content"]["environment"] = "prod1";
  EXPECT_THAT(decode(bad_env).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "cdevents: subject.content.environment: expected an object, got a string"));

  EXPECT_THAT(decode(Json::object()).status(),
              StatusIs(StatusCode::kInvalidArgument, "cdevents: context: missing"));
  EXPECT_THAT(
      DecodeCdevents("application/json", {{"CE-SPECVERSION", "0.3"}}, event.dump()).status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("ce-specversion")));

  // Batches: not an array, and a bad element named by index.
  EXPECT_THAT(DecodeCdevents("application/cloudevents-batch+json", {}, event.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be a JSON array")));
  Json batch = Json::array({Envelope(event), Envelope(no_time)});
  EXPECT_THAT(
      DecodeCdevents("application/cloudevents-batch+json", {}, batch.dump()).status(),
      StatusIs(StatusCode::kInvalidArgument, "cdevents: [1].data.context.timestamp: missing"));

  Json no_data = Envelope(event);
  no_data.erase("data");
  EXPECT_THAT(DecodeCdevents("application/cloudevents+json", {}, no_data.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument, "cdevents: data: missing"));
  Json bad_b64 = no_data;
  bad_b64["data_base64"] = "!!!";
  EXPECT_THAT(DecodeCdevents("application/cloudevents+json", {}, bad_b64.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument, "cdevents: data_base64: not base64"));
  Json v03 = Envelope(event);
  v03["specversion"] = "0.3";
  EXPECT_THAT(DecodeCdevents("application/cloudevents+json", {}, v03.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("only CloudEvents 1.0")));
  EXPECT_THAT(DecodeCdevents("application/cloudevents+json", {}, "nope").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("cdevents: body is not JSON")));
}

}  // namespace
}  // namespace goodhart::receivers::webhook
