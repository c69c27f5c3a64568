// ClickHouseClient: ClickHouse's HTTP interface (port 8123), the only way to reach it from C++ with
// Debian's packages (no C++ client library is packaged). One statement per request, as the HTTP
// interface requires. Keep-alive connections are pooled, so concurrent callers each use their own.
//
// Every request is retried with exponential backoff and jitter on connection errors and on 5xx
// answers that are not deterministic query errors (a syntax error stays one), up to
// `max_attempts`; then the caller gets kUnavailable, which the API answers with 503 and
// Retry-After. Every statement the store sends is safe to repeat: inserts land in deduplicating
// tables (README.md, "Idempotency"), so an insert whose answer was lost may simply run again.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace httplib {
class Client;
}

namespace goodhart::store::clickhouse {

struct ClientOptions {
  std::string url;  // http://host:port or https://host:port, no path
  std::string user = "default";
  std::string password;
  int64_t connect_timeout_ms = 2'000;
  int64_t request_timeout_ms = 60'000;
  int max_attempts = 4;  // 1 = no retry
  int64_t initial_backoff_ms = 100;
  int64_t max_backoff_ms = 2'000;
  size_t max_idle_connections = 8;
  // Settings sent with every request, as URL parameters ("a=1&b=x"); empty: none.
  std::string settings;

  // kInvalidArgument naming the field.
  Status Validate() const;
};

// Data sent along with a query as a temporary table (ClickHouse's "external data"): how a batch's
// event keys reach `WHERE event_key IN keys` without a query text of megabytes.
struct ExternalTable {
  std::string name;       // referenced in the query by this name
  std::string structure;  // "event_key String" or "day UInt32, actor String"
  std::string tsv;        // TabSeparated rows
};

// Thread-safe.
class ClickHouseClient {
 public:
  explicit ClickHouseClient(ClientOptions options);
  ~ClickHouseClient();
  ClickHouseClient(const ClickHouseClient&) = delete;
  ClickHouseClient& operator=(const ClickHouseClient&) = delete;

  // Runs one statement and returns the answer's body (for SELECT, in the FORMAT it names). The
  // server buffers the whole answer first (wait_end_of_query), so a failure is never half an
  // answer. `what` names the operation in error messages ("clickhouse_store: <what>: ...").
  Result<std::string> Query(std::string_view what, std::string_view sql,
                            std::span<const ExternalTable> tables = {}) const;

  // `statement` is "INSERT INTO db.t (cols) FORMAT TabSeparated"; `tsv` its rows.
  Status Insert(std::string_view what, std::string_view statement, std::string_view tsv) const;

  // Called once the store has checked that the schema is current. Before it, a table or database
  // ClickHouse does not know means the schema is missing: kFailedPrecondition, run `goodhart store
  // migrate`. After it, the table was there a moment ago: ClickHouse is restarting (18.16 answers
  // queries before it has attached every table and view, and a server shutting down detaches them
  // first), so the statement is retried like a connection error and ends in kUnavailable.
  void SchemaVerified() { schema_verified_ = true; }

  const ClientOptions& options() const { return options_; }
  // Requests sent so far, counting retries (for tests).
  int64_t attempts_for_test() const;

 private:
  struct Response {
    int status = 0;  // 0: no answer (connection error)
    std::string body;
    std::string error;  // the connection error
  };
  struct Request {
    std::string path;  // "/?query=..." with settings
    std::string body;
    std::span<const ExternalTable> tables;
    // An insert into a table ClickHouse does not know (yet) is retried even before
    // SchemaVerified(): just after a restart 18.16 can accept inserts before it has attached every
    // table and view ("Table ... doesn't exist ... while pushing to view").
    bool insert = false;
  };
  Status Send(const Request& request, std::string_view what, std::string* body) const;
  Response SendOnce(const Request& request) const;
  std::unique_ptr<httplib::Client> Acquire() const;
  void Release(std::unique_ptr<httplib::Client> client) const;

  const ClientOptions options_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<httplib::Client>> idle_;  // guarded by mu_
  mutable int64_t attempts_ = 0;                                // guarded by mu_
  std::atomic<bool> schema_verified_{false};
};

// Runs a query answering one row of integers (counts, versions) in TabSeparated; kDataLoss when
// the answer is not `n` integers.
Result<std::vector<int64_t>> QueryInt64Row(const ClickHouseClient& client, std::string_view what,
                                           std::string_view sql, size_t n);

// The ClickHouse error code in a message ("Code: 60, e.displayText() = ..."), or 0.
int ClickHouseErrorCode(std::string_view message);

// What the HTTP status and ClickHouse's error code say about retrying: false for deterministic
// query errors (syntax, unknown table, type mismatch, bad credentials, ...).
// `message` is ClickHouse's error text: code 241 is retried for the server's total memory
// limit, not for the query's own ("Memory limit (for query)"), which the same query hits again.
bool IsRetriable(int http_status, int clickhouse_code, std::string_view message = {});

// %-encodes `value` for a URL query parameter.
std::string UrlEncode(std::string_view value);

}  // namespace goodhart::store::clickhouse
