#include "bench/report_scale/baseline_writer.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace goodhart::bench {
namespace {

constexpr char kSchema[] = R"sql(
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE people(email TEXT PRIMARY KEY, team TEXT NOT NULL);
CREATE TABLE services(id TEXT PRIMARY KEY, team TEXT NOT NULL);
CREATE TABLE usage_events(
  ts_ms INTEGER NOT NULL, actor TEXT NOT NULL, session TEXT NOT NULL, model TEXT NOT NULL,
  input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
  cost_micros INTEGER NOT NULL);
CREATE TABLE changes(
  id TEXT PRIMARY KEY, repo TEXT NOT NULL, author TEXT NOT NULL,
  first_commit_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL, merged_ms INTEGER NOT NULL,
  merge_sha TEXT NOT NULL, additions INTEGER NOT NULL, deletions INTEGER NOT NULL);
CREATE TABLE deployments(
  id TEXT PRIMARY KEY, service TEXT NOT NULL, repo TEXT NOT NULL, environment TEXT NOT NULL,
  status TEXT NOT NULL, commit_sha TEXT NOT NULL, started_ms INTEGER NOT NULL,
  finished_ms INTEGER NOT NULL);
CREATE TABLE deployment_changes(deployment_id TEXT NOT NULL, change_id TEXT NOT NULL);
CREATE TABLE incidents(
  id TEXT PRIMARY KEY, service TEXT NOT NULL, severity TEXT NOT NULL,
  caused_by_deployment TEXT NOT NULL, started_ms INTEGER NOT NULL, resolved_ms INTEGER NOT NULL);
)sql";

// DevLake's tables carry indexes on their time and id columns; built once, after the load.
constexpr char kIndexes[] = R"sql(
CREATE INDEX usage_events_ts ON usage_events(ts_ms);
CREATE INDEX changes_merged ON changes(merged_ms);
CREATE INDEX deployments_finished ON deployments(finished_ms);
CREATE INDEX deployment_changes_deployment ON deployment_changes(deployment_id);
CREATE INDEX incidents_deployment ON incidents(caused_by_deployment);
ANALYZE;
)sql";

Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = Status::Internal(fmt::format("baseline: {}", error ? error : "?"));
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

// A prepared statement bound column by column; Run() steps and resets it.
class Insert {
 public:
  Insert(sqlite3* db, const char* sql) : db_(db) {
    sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  ~Insert() { sqlite3_finalize(stmt_); }
  Insert& Text(const std::string& v) {
    sqlite3_bind_text(stmt_, ++col_, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Insert& Int(int64_t v) {
    sqlite3_bind_int64(stmt_, ++col_, v);
    return *this;
  }
  Status Run() {
    col_ = 0;
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE)
      return Status::Internal(fmt::format("baseline: insert: {}", sqlite3_errmsg(db_)));
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int col_ = 0;
};

std::string Email(int32_t person) { return fmt::format("p{:05d}@corp.example", person); }

}  // namespace

BaselineWriter::~BaselineWriter() {
  if (thread_.joinable())
    (void)Finish();
}

Status BaselineWriter::Open(const std::string& path, const std::vector<std::string>& models,
                            const std::vector<std::pair<std::string, std::string>>& email_team,
                            const std::vector<std::pair<std::string, std::string>>& service_team) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
    return Status::Unavailable(fmt::format("baseline: open {}", path));
  models_ = models;
  if (Status s = Exec(db_, kSchema); !s.ok())
    return s;
  if (Status s = Exec(db_, "BEGIN"); !s.ok())
    return s;
  {
    Insert people(db_, "INSERT INTO people VALUES (?, ?)");
    for (const auto& [email, team] : email_team) {
      if (Status s = people.Text(email).Text(team).Run(); !s.ok())
        return s;
    }
    Insert services(db_, "INSERT INTO services VALUES (?, ?)");
    for (const auto& [service, team] : service_team) {
      if (Status s = services.Text(service).Text(team).Run(); !s.ok())
        return s;
    }
  }
  if (Status s = Exec(db_, "COMMIT"); !s.ok())
    return s;
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void BaselineWriter::Add(RawDay day) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.size() < 2; });
  queue_.push_back(std::move(day));
  cv_.notify_all();
}

void BaselineWriter::Run() {
  while (true) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty())
      return;
    RawDay day = std::move(queue_.front());
    lock.unlock();
    Status s = Write(day);
    lock.lock();
    queue_.pop_front();
    if (!s.ok() && status_.ok())
      status_ = s;
    cv_.notify_all();
  }
}

Status BaselineWriter::Write(const RawDay& day) {
  if (Status s = Exec(db_, "BEGIN"); !s.ok())
    return s;
  Insert usage(db_, "INSERT INTO usage_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::string actor, session;
  for (const RawUsage& u : day.usage) {
    actor = Email(u.person);
    session = fmt::format("s-{}-{}-{}", u.person, u.time_ms / 86'400'000, u.session);
    Status s = usage.Int(u.time_ms)
                   .Text(actor)
                   .Text(session)
                   .Text(models_[static_cast<size_t>(u.model)])
                   .Int(u.input)
                   .Int(u.cache_read)
                   .Int(u.cache_write)
                   .Int(u.output)
                   .Int(u.cost_micros)
                   .Run();
    if (!s.ok())
      return s;
  }
  Insert change(db_, "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const RawChange& c : day.changes) {
    Status s = change.Text(c.id)
                   .Text(c.repo)
                   .Text(c.author)
                   .Int(c.first_commit_ms)
                   .Int(c.created_ms)
                   .Int(c.merged_ms)
                   .Text(c.merge_sha)
                   .Int(c.additions)
                   .Int(c.deletions)
                   .Run();
    if (!s.ok())
      return s;
  }
  Insert deployment(db_, "INSERT INTO deployments VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  Insert shipped(db_, "INSERT INTO deployment_changes VALUES (?, ?)");
  for (const RawDeployment& d : day.deployments) {
    Status s = deployment.Text(d.id)
                   .Text(d.service)
                   .Text(d.repo)
                   .Text(d.environment)
                   .Text(d.status)
                   .Text(d.commit_sha)
                   .Int(d.started_ms)
                   .Int(d.finished_ms)
                   .Run();
    for (const std::string& id : d.change_ids) {
      if (!s.ok())
        break;
      s = shipped.Text(d.id).Text(id).Run();
    }
    if (!s.ok())
      return s;
  }
  Insert incident(db_, "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?)");
  for (const RawIncident& i : day.incidents) {
    Status s = incident.Text(i.id)
                   .Text(i.service)
                   .Text(i.severity)
                   .Text(i.caused_by_deployment)
                   .Int(i.started_ms)
                   .Int(i.resolved_ms)
                   .Run();
    if (!s.ok())
      return s;
  }
  return Exec(db_, "COMMIT");
}

Status BaselineWriter::Finish() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable())
    thread_.join();
  if (db_ == nullptr)
    return status_;
  if (status_.ok())
    status_ = Exec(db_, kIndexes);
  sqlite3_close(db_);
  db_ = nullptr;
  return status_;
}

}  // namespace goodhart::bench
