#include "goodhart/store/clickhouse/internal/http_client.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {
namespace {

// ClickHouse answers a failed statement with its exception text; keep the first line, short, so a
// message never carries a whole payload (a parse error quotes the row it stopped at).
std::string ErrorText(std::string_view body) {
  std::string_view line = body.substr(0, body.find('\n'));
  if (size_t what = line.find(", e.what() = "); what != std::string_view::npos)
    line = line.substr(0, what);
  std::string out(line.substr(0, 300));
  if (line.size() > 300)
    out += "...";
  return out;
}

int64_t Backoff(const ClientOptions& o, int attempt) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int64_t ceiling = o.initial_backoff_ms;
  for (int i = 1; i < attempt && ceiling < o.max_backoff_ms; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, o.max_backoff_ms);
  // Full jitter over the upper half: nodes retrying together spread out.
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, std::max<int64_t>(ceiling, 1));
  return jitter(rng);
}

}  // namespace

Status ClientOptions::Validate() const {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(
        fmt::format("clickhouse_store: url: '{}' is not http://HOST:PORT or https://", url));
  }
  std::string_view rest = std::string_view(url).substr(url.find("://") + 3);
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("clickhouse_store: url: '{}' must be scheme://HOST[:PORT] with no path", url));
  }
  if (user.empty())
    return Status::InvalidArgument("clickhouse_store: user: empty");
  if (connect_timeout_ms < 1 || request_timeout_ms < 1)
    return Status::InvalidArgument("clickhouse_store: timeouts must be positive");
  if (max_attempts < 1 || max_attempts > 100)
    return Status::InvalidArgument(
        fmt::format("clickhouse_store: max_attempts: {} is not 1-100", max_attempts));
  if (initial_backoff_ms < 0 || max_backoff_ms < initial_backoff_ms)
    return Status::InvalidArgument("clickhouse_store: backoff: 0 <= initial <= max");
  return Status::Ok();
}

int ClickHouseErrorCode(std::string_view message) {
  size_t at = message.find("Code: ");
  if (at == std::string_view::npos)
    return 0;
  int code = 0;
  for (size_t i = at + 6; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i)
    code = code * 10 + (message[i] - '0');
  return code;
}

bool IsRetriable(int http_status, int clickhouse_code, std::string_view message) {
  if (http_status == 0 || http_status == 502 || http_status == 503 || http_status == 504)
    return true;
  if (http_status < 500)
    return false;  // 400 syntax, 401/403 credentials, 404 unknown database or table
  switch (clickhouse_code) {
    case 6:    // CANNOT_PARSE_TEXT
    case 10:   // NOT_FOUND_COLUMN_IN_BLOCK
    case 16:   // NO_SUCH_COLUMN_IN_TABLE
    case 26:   // CANNOT_PARSE_QUOTED_STRING
    case 27:   // CANNOT_PARSE_INPUT_ASSERTION_FAILED
    case 36:   // BAD_ARGUMENTS
    case 41:   // CANNOT_PARSE_DATETIME
    case 42:   // NUMBER_OF_ARGUMENTS_DOESNT_MATCH
    case 43:   // ILLEGAL_TYPE_OF_ARGUMENT
    case 44:   // ILLEGAL_COLUMN
    case 46:   // UNKNOWN_FUNCTION
    case 47:   // UNKNOWN_IDENTIFIER
    case 48:   // NOT_IMPLEMENTED
    case 53:   // TYPE_MISMATCH
    case 57:   // TABLE_ALREADY_EXISTS
    case 60:   // UNKNOWN_TABLE
    case 62:   // SYNTAX_ERROR
    case 69:   // ARGUMENT_OUT_OF_BOUND
    case 70:   // CANNOT_CONVERT_TYPE
    case 72:   // CANNOT_PARSE_NUMBER
    case 81:   // UNKNOWN_DATABASE
    case 115:  // UNKNOWN_SETTING
    case 117:  // INCORRECT_DATA
    case 164:  // READONLY
    case 184:  // ILLEGAL_AGGREGATION
    case 192:  // UNKNOWN_USER
    case 193:  // WRONG_PASSWORD
    case 194:  // REQUIRED_PASSWORD
    case 195:  // IP_ADDRESS_NOT_ALLOWED
    case 215:  // NOT_AN_AGGREGATE
    case 386:  // NO_COMMON_TYPE
    case 497:  // ACCESS_DENIED (newer releases)
    case 516:  // AUTHENTICATION_FAILED (newer releases)
      return false;
    case 241:  // MEMORY_LIMIT_EXCEEDED
      return message.find("Memory limit (for query)") == std::string_view::npos;
    default:
      return true;  // memory limit, too many parts or queries, timeouts, unknown: try again
  }
}

std::string UrlEncode(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 3 / 2);
  for (char c : value) {
    auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.append(fmt::format("%{:02X}", b));
    }
  }
  return out;
}

ClickHouseClient::ClickHouseClient(ClientOptions options) : options_(std::move(options)) {}
ClickHouseClient::~ClickHouseClient() = default;

int64_t ClickHouseClient::attempts_for_test() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

std::unique_ptr<httplib::Client> ClickHouseClient::Acquire() const {
  {
    std::lock_guard lock(mu_);
    ++attempts_;
    if (!idle_.empty()) {
      std::unique_ptr<httplib::Client> client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<httplib::Client>(options_.url);
  client->set_keep_alive(true);
  // Without it every request on a kept-alive connection waits ~40 ms for a delayed ACK.
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(options_.connect_timeout_ms / 1000,
                                 (options_.connect_timeout_ms % 1000) * 1000);
  client->set_read_timeout(options_.request_timeout_ms / 1000,
                           (options_.request_timeout_ms % 1000) * 1000);
  client->set_write_timeout(options_.request_timeout_ms / 1000,
                            (options_.request_timeout_ms % 1000) * 1000);
  return client;
}

void ClickHouseClient::Release(std::unique_ptr<httplib::Client> client) const {
  std::lock_guard lock(mu_);
  if (idle_.size() < options_.max_idle_connections)
    idle_.push_back(std::move(client));
}

ClickHouseClient::Response ClickHouseClient::SendOnce(const Request& request) const {
  std::unique_ptr<httplib::Client> client = Acquire();
  // Credentials travel in headers, never in the URL (which servers and proxies log).
  httplib::Headers headers = {{"X-ClickHouse-User", options_.user}};
  if (!options_.password.empty())
    headers.emplace("X-ClickHouse-Key", options_.password);
  Response response;
  try {
    httplib::MultipartFormDataItems items;
    for (const ExternalTable& t : request.tables)
      items.push_back({t.name, t.tsv, t.name, "text/tab-separated-values"});
    httplib::Result result = items.empty() ? client->Post(request.path, headers, request.body,
                                                          "text/plain; charset=utf-8")
                                           : client->Post(request.path, headers, items);
    if (!result) {
      response.error = httplib::to_string(result.error());
      return response;  // the connection is dropped with `client`
    }
    response.status = result->status;
    response.body = std::move(result->body);
  } catch (const std::exception& e) {
    response.status = 0;
    response.error = e.what();
    return response;
  }
  Release(std::move(client));
  return response;
}

Status ClickHouseClient::Send(const Request& request, std::string_view what,
                              std::string* body) const {
  std::string last;
  bool unknown_table = false;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    Response r = SendOnce(request);
    if (r.status == 200) {
      *body = std::move(r.body);
      return Status::Ok();
    }
    int code = ClickHouseErrorCode(r.body);
    last = r.status == 0 ? fmt::format("cannot reach {}: {}", options_.url, r.error)
                         : fmt::format("HTTP {}: {}", r.status, ErrorText(r.body));
    unknown_table = code == 60 || code == 81;
    const bool attaching = unknown_table && (schema_verified_.load() ||
                                             (request.insert && attempt < options_.max_attempts));
    if (!IsRetriable(r.status, code, r.body) && !attaching) {
      std::string message = fmt::format("clickhouse_store: {}: {}", what, last);
      if (r.status == 401 || r.status == 403 || (code >= 192 && code <= 195) || code == 516 ||
          code == 497) {
        return Status::FailedPrecondition(message);
      }
      if (code == 60 || code == 81) {
        return Status::FailedPrecondition(message + " (run `goodhart store migrate`)");
      }
      if (code == 241) {
        message +=
            " (the query needs more memory than ClickHouse's max_memory_usage allows it; "
            "raise it in the ClickHouse user's profile)";
      }
      return Status::Internal(message);
    }
    if (attempt < options_.max_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(Backoff(options_, attempt)));
    }
  }
  return Status::Unavailable(fmt::format(
      "clickhouse_store: {}: {} (gave up after {} attempts{})", what, last, options_.max_attempts,
      unknown_table ? "; ClickHouse may still be attaching its tables after a restart: if this "
                      "lasts, check the database and run `goodhart store migrate`"
                    : ""));
}

Result<std::string> ClickHouseClient::Query(std::string_view what, std::string_view sql,
                                            std::span<const ExternalTable> tables) const {
  Request request;
  request.path = "/?wait_end_of_query=1";
  if (!options_.settings.empty())
    request.path += "&" + options_.settings;
  if (tables.empty()) {
    request.body = std::string(sql);
  } else {
    // With external data the body is multipart, so the statement goes in the URL.
    request.path += "&query=" + UrlEncode(sql);
    for (const ExternalTable& t : tables) {
      request.path += fmt::format("&{}_structure={}&{}_format=TabSeparated", t.name,
                                  UrlEncode(t.structure), t.name);
    }
    request.tables = tables;
  }
  std::string body;
  GOODHART_RETURN_IF_ERROR(Send(request, what, &body));
  return body;
}

Status ClickHouseClient::Insert(std::string_view what, std::string_view statement,
                                std::string_view tsv) const {
  Request request;
  request.path = "/?query=" + UrlEncode(statement);
  if (!options_.settings.empty())
    request.path += "&" + options_.settings;
  request.body = std::string(tsv);
  request.insert = true;
  std::string body;
  return Send(request, what, &body);
}

Result<std::vector<int64_t>> QueryInt64Row(const ClickHouseClient& client, std::string_view what,
                                           std::string_view sql, size_t n) {
  GOODHART_ASSIGN_OR_RETURN(std::string body, client.Query(what, sql));
  TsvReader r(body, what);
  if (!r.Next())
    return Status::DataLoss(fmt::format("clickhouse_store: {}: empty answer", what));
  GOODHART_RETURN_IF_ERROR(r.Expect(n));
  std::vector<int64_t> out;
  for (size_t i = 0; i < n; ++i) {
    GOODHART_ASSIGN_OR_RETURN(int64_t v, r.Int(i));
    out.push_back(v);
  }
  return out;
}

}  // namespace goodhart::store::clickhouse
