#include "goodhart/api/read_cache.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "goodhart/access/audit_log.h"
#include "goodhart/base/testing/fake_clock.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::api {
namespace {

using access::Principal;
using access::Role;

const Principal kAdminA{.name = "ops-laptop", .role = Role::kAdmin};
const Principal kAdminB{.name = "reviewer", .role = Role::kAdmin};
const Principal kAnalyst{.name = "ana", .role = Role::kAnalyst};
const Principal kAlice{.name = "alice-laptop", .role = Role::kMember, .person = "alice"};
const Principal kBob{.name = "bob-laptop", .role = Role::kMember, .person = "bob"};

// A real embedded store and flag store in a temporary directory, and a computation that counts
// its calls and answers {"call": n} naming alice.
class ReadCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::filesystem::temp_directory_path() / "goodhart_read_cache_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = store::OpenEmbeddedStore({.data_dir = dir_, .synchronous_full = false});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto flags = review::FlagStore::Open(dir_ + "/flags.db");
    ASSERT_TRUE(flags.ok()) << flags.status().ToString();
    flags_ = std::move(flags).value();
    audit_ = std::make_unique<access::AuditLog>(dir_ + "/audit.jsonl");
    access_.audit = audit_.get();
    access_.clock = &clock_;
    cache_ = std::make_unique<ReadCache>(ReadCache::Options{.max_stale_ms = 5'000}, *store_,
                                         flags_.get(), clock_);
  }
  void TearDown() override {
    cache_.reset();
    flags_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static httplib::Request Request(const std::string& path, httplib::Params params,
                                  const std::string& cache_control = "") {
    httplib::Request req;
    req.method = "GET";
    req.path = path;
    req.params = std::move(params);
    if (!cache_control.empty())
      req.headers.emplace("Cache-Control", cache_control);
    return req;
  }

  // The answer's call number, or -1 with a failure.
  int Serve(const httplib::Request& req, const Principal& who, std::string* age = nullptr) {
    httplib::Response res;
    ServeRead(cache_.get(), access_, req, res, who, "test", [&]() -> Result<ReadAnswer> {
      return ReadAnswer{.body = nlohmann::json{{"call", ++calls_}}.dump(),
                        .people_read = {"alice"}};
    });
    if (age != nullptr)
      *age = res.get_header_value("Age");
    auto body = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(body.contains("call")) << res.body;
    return body.value("call", -1);
  }

  void NewData() { ASSERT_TRUE(store_->PutGitHeads("acme/mono", {std::to_string(++heads_)}).ok()); }

  std::string dir_;
  testing::FakeClock clock_{1'780'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<review::FlagStore> flags_;
  std::unique_ptr<access::AuditLog> audit_;
  AccessContext access_;
  std::unique_ptr<ReadCache> cache_;
  int calls_ = 0;
  int heads_ = 0;
};

TEST_F(ReadCacheTest, OneAnswerPerQuestionAndAudience) {
  auto report = Request("/api/v1/report", {{"to", "2026-06-28"}, {"from", "2026-06-01"}});
  EXPECT_EQ(Serve(report, kAdminA), 1);
  EXPECT_EQ(Serve(report, kAdminB), 1);  // another key of the same role: the same answer
  EXPECT_EQ(Serve(report, kAnalyst), 2);
  EXPECT_EQ(Serve(report, kAlice), 3);
  EXPECT_EQ(Serve(report, kBob), 4);
  EXPECT_EQ(Serve(report, kAlice), 3);
  EXPECT_EQ(
      Serve(Request("/api/v1/report", {{"from", "2026-06-01"}, {"to", "2026-06-28"}}), kAnalyst),
      2);  // the same parameters in another order
  EXPECT_EQ(
      Serve(Request("/api/v1/report", {{"from", "2026-06-01"}, {"to", "2026-06-29"}}), kAnalyst),
      5);
  EXPECT_EQ(
      Serve(Request("/api/v1/costs", {{"from", "2026-06-01"}, {"to", "2026-06-28"}}), kAnalyst), 6);
}

TEST_F(ReadCacheTest, NewDataShowsOnceTheAnswerIsStaleOrWhenAskedFresh) {
  auto report = Request("/api/v1/report", {{"from", "2026-06-01"}, {"to", "2026-06-28"}});
  std::string age;
  EXPECT_EQ(Serve(report, kAnalyst, &age), 1);
  EXPECT_EQ(age, "0");
  NewData();
  clock_.Advance(2'500);
  EXPECT_EQ(Serve(report, kAnalyst, &age), 1);  // younger than max_stale_ms: still served
  EXPECT_EQ(age, "2");
  auto fresh = report;
  fresh.headers.emplace("Cache-Control", "no-cache");
  EXPECT_EQ(Serve(fresh, kAnalyst, &age), 2);
  EXPECT_EQ(age, "0");
  EXPECT_EQ(Serve(fresh, kAnalyst), 2);  // nothing changed since: fresh as it is
  NewData();
  clock_.Advance(4'999);
  EXPECT_EQ(Serve(report, kAnalyst), 2);
  clock_.Advance(1);
  EXPECT_EQ(Serve(report, kAnalyst), 3);
  clock_.Advance(60'000);
  EXPECT_EQ(Serve(report, kAnalyst), 3);  // old, but nothing changed
}

TEST_F(ReadCacheTest, FlagChangesShowAtOnce) {
  auto costs = Request("/api/v1/costs", {{"from", "2026-06-01"}, {"to", "2026-06-28"}});
  EXPECT_EQ(Serve(costs, kAdminA), 1);
  ASSERT_TRUE(flags_->EnqueueAlert("flag:f-1", "{}", clock_.NowMillis()).ok());
  EXPECT_EQ(Serve(costs, kAdminA), 2);
  EXPECT_EQ(Serve(costs, kAdminA), 2);
}

TEST_F(ReadCacheTest, EveryServeIsAuditedCachedOrNot) {
  auto person = Request("/api/v1/people/alice/delivery", {{"from", "2026-06-01"}});
  EXPECT_EQ(Serve(person, kAlice), 1);
  EXPECT_EQ(Serve(person, kAlice), 1);
  EXPECT_EQ(Serve(person, kAdminB), 2);
  auto records = audit_->ReadAll();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[1].principal, "alice-laptop");
  EXPECT_EQ((*records)[1].subjects, std::vector<std::string>{"alice"});
  EXPECT_EQ((*records)[2].principal, "reviewer");
  EXPECT_EQ((*records)[2].action, "GET /api/v1/people/alice/delivery");
}

TEST_F(ReadCacheTest, FailuresAreAnsweredInTheErrorShapeAndNotKept) {
  auto report = Request("/api/v1/report", {{"from", "2026-06-01"}, {"to", "2026-06-28"}});
  for (int i = 0; i < 2; ++i) {
    httplib::Response res;
    ServeRead(cache_.get(), access_, report, res, kAnalyst, "report", [&]() -> Result<ReadAnswer> {
      ++calls_;
      return Status::InvalidArgument("report: team: unknown team 'x' (not in the directory)");
    });
    EXPECT_EQ(res.status, 400);
    EXPECT_NE(res.body.find("unknown team 'x'"), std::string::npos) << res.body;
  }
  EXPECT_EQ(calls_, 2);
  EXPECT_EQ(Serve(report, kAnalyst), 3);
}

TEST_F(ReadCacheTest, WithoutACacheEveryRequestComputes) {
  auto report = Request("/api/v1/report", {{"from", "2026-06-01"}, {"to", "2026-06-28"}});
  cache_.reset();
  EXPECT_EQ(Serve(report, kAnalyst), 1);
  EXPECT_EQ(Serve(report, kAnalyst), 2);
}

}  // namespace
}  // namespace goodhart::api
