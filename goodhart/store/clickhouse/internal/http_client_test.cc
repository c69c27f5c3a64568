// The HTTP client against a small fake of ClickHouse's HTTP interface on 127.0.0.1: retries and
// backoff, which answers are retried, credentials in headers, external data as multipart.
#include "goodhart/store/clickhouse/internal/http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::store::clickhouse {
namespace {

using ::goodhart::testing::StatusIs;

class FakeClickHouse {
 public:
  // Answers the first `failures` requests with `status` and `body`, then 200 "ok\n".
  FakeClickHouse(int failures, int status, std::string body)
      : failures_(failures), status_(status), body_(std::move(body)) {
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      {
        std::lock_guard lock(mu_);
        last_user_ = req.get_header_value("X-ClickHouse-User");
        last_key_ = req.get_header_value("X-ClickHouse-Key");
        last_query_ = req.get_param_value("query");
        last_body_ = req.body;
        if (req.is_multipart_form_data() && req.has_file("keys"))
          last_file_ = req.get_file_value("keys").content;
        last_structure_ = req.get_param_value("keys_structure");
      }
      if (requests_ <= failures_) {
        res.status = status_;
        res.set_content(body_, "text/plain");
        return;
      }
      res.set_content("ok\n", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeClickHouse() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }
  std::string Get(std::string FakeClickHouse::*field) {
    std::lock_guard lock(mu_);
    return this->*field;
  }

  std::string last_user_, last_key_, last_query_, last_body_, last_file_, last_structure_;

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  const int failures_, status_;
  const std::string body_;
  std::mutex mu_;
};

ClientOptions Options(const std::string& url) {
  return {.url = url, .max_attempts = 4, .initial_backoff_ms = 1, .max_backoff_ms = 4};
}

TEST(ClickHouseClientTest, RetriesUnavailableAnswersThenSucceeds) {
  FakeClickHouse fake(2, 503, "Code: 202, e.displayText() = DB::Exception: Too many queries");
  ClickHouseClient client(Options(fake.url()));
  auto body = client.Query("test", "SELECT 1");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "ok\n");
  EXPECT_EQ(fake.requests(), 3);
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_body_), "SELECT 1");
}

TEST(ClickHouseClientTest, RetriesTransientServerErrorsButNotQueryErrors) {
  FakeClickHouse memory(1, 500, "Code: 241, e.displayText() = DB::Exception: Memory limit");
  EXPECT_TRUE(ClickHouseClient(Options(memory.url())).Query("test", "SELECT 1").ok());
  EXPECT_EQ(memory.requests(), 2);

  // The query's own memory limit is not transient: the same query would fail again.
  FakeClickHouse query_memory(
      9, 500,
      "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use "
      "4.00 GiB");
  EXPECT_THAT(ClickHouseClient(Options(query_memory.url())).Query("test", "SELECT 1").status(),
              StatusIs(StatusCode::kInternal, ::testing::HasSubstr("max_memory_usage")));
  EXPECT_EQ(query_memory.requests(), 1);

  FakeClickHouse syntax(9, 400, "Code: 62, e.displayText() = DB::Exception: Syntax error");
  EXPECT_THAT(ClickHouseClient(Options(syntax.url())).Query("test", "SELEC 1").status(),
              StatusIs(StatusCode::kInternal, ::testing::HasSubstr("Code: 62")));
  EXPECT_EQ(syntax.requests(), 1);

  FakeClickHouse type(9, 500, "Code: 43, e.displayText() = DB::Exception: Illegal types");
  EXPECT_THAT(ClickHouseClient(Options(type.url())).Query("test", "SELECT 1").status(),
              StatusIs(StatusCode::kInternal));
  EXPECT_EQ(type.requests(), 1);

  FakeClickHouse table(9, 404, "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist");
  EXPECT_THAT(ClickHouseClient(Options(table.url())).Query("test", "SELECT 1").status(),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("store migrate")));
}

// Once the schema was checked, a table ClickHouse does not know is one it has not attached yet
// after a restart: retried, and kUnavailable (503 + Retry-After) if it stays unknown.
TEST(ClickHouseClientTest, AnUnknownTableAfterTheSchemaCheckIsRetriedAsUnavailable) {
  const std::string unknown =
      "Code: 60, e.displayText() = DB::Exception: Table db.usage_rollup doesn't exist.";
  FakeClickHouse attaching(2, 404, unknown);
  ClickHouseClient verified(Options(attaching.url()));
  verified.SchemaVerified();
  EXPECT_TRUE(verified.Query("refresh", "INSERT INTO db.usage_rollup SELECT 1").ok());
  EXPECT_EQ(attaching.requests(), 3);

  FakeClickHouse gone(9, 404, unknown);
  ClickHouseClient still_verified(Options(gone.url()));
  still_verified.SchemaVerified();
  EXPECT_THAT(still_verified.Query("refresh", "SELECT 1").status(),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("attaching its tables")));
  EXPECT_EQ(gone.requests(), 4);

  FakeClickHouse unmigrated(9, 404, unknown);
  EXPECT_THAT(ClickHouseClient(Options(unmigrated.url())).Query("refresh", "SELECT 1").status(),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("store migrate")));
  EXPECT_EQ(unmigrated.requests(), 1);
}

TEST(ClickHouseClientTest, GivesUpWithUnavailableAfterMaxAttempts) {
  FakeClickHouse down(100, 503, "");
  ClickHouseClient client(Options(down.url()));
  EXPECT_THAT(client.Insert("append: t", "INSERT INTO t FORMAT TabSeparated", "1\n"),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("after 4 attempts")));
  EXPECT_EQ(down.requests(), 4);

  ClickHouseClient nobody(Options("http://127.0.0.1:1"));
  EXPECT_THAT(nobody.Query("test", "SELECT 1").status(),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("cannot reach")));
  EXPECT_EQ(nobody.attempts_for_test(), 4);
}

TEST(ClickHouseClientTest, SendsCredentialsInHeadersAndExternalDataAsMultipart) {
  FakeClickHouse fake(0, 200, "");
  ClientOptions options = Options(fake.url());
  options.user = "ingest";
  options.password = "s3cret";
  ClickHouseClient client(options);
  ExternalTable keys{"keys", "event_key String", "a\nb\n"};
  ASSERT_TRUE(client.Query("test", "SELECT 1 WHERE 'a' IN keys", {&keys, 1}).ok());
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_user_), "ingest");
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_key_), "s3cret");
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_query_), "SELECT 1 WHERE 'a' IN keys");
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_file_), "a\nb\n");
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_structure_), "event_key String");

  ASSERT_TRUE(client.Insert("test", "INSERT INTO t (a) FORMAT TabSeparated", "x\\ty\n").ok());
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_query_), "INSERT INTO t (a) FORMAT TabSeparated");
  EXPECT_EQ(fake.Get(&FakeClickHouse::last_body_), "x\\ty\n");
}

TEST(ClickHouseClientTest, ClassifiesErrors) {
  EXPECT_EQ(ClickHouseErrorCode("Code: 241, e.displayText() = ..."), 241);
  EXPECT_EQ(ClickHouseErrorCode("no code"), 0);
  EXPECT_TRUE(IsRetriable(0, 0));
  EXPECT_TRUE(IsRetriable(503, 0));
  EXPECT_TRUE(IsRetriable(500, 252));  // too many parts
  EXPECT_FALSE(IsRetriable(500, 62));
  EXPECT_FALSE(IsRetriable(401, 193));
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(ClientOptionsTest, Validate) {
  EXPECT_TRUE(Options("http://127.0.0.1:8123").Validate().ok());
  EXPECT_THAT(Options("127.0.0.1:8123").Validate(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Options("http://h:8123/path").Validate(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace goodhart::store::clickhouse
