#include "goodhart/store/clickhouse/internal/usage_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "goodhart/base/time.h"
#include "goodhart/store/clickhouse/internal/event_row.h"
#include "goodhart/store/clickhouse/internal/metric_deltas.h"
#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {
namespace {

constexpr int64_t kMaxDay = 0xffffffffLL;  // day is UInt32

void AddSat(int64_t& into, int64_t v) {
  if (__builtin_add_overflow(into, v, &into))
    into = v > 0 ? INT64_MAX : INT64_MIN;
}

Status CheckDays(int64_t from_day, int64_t to_day, std::string_view where) {
  if (from_day > to_day) {
    return Status::InvalidArgument(fmt::format(
        "clickhouse_store: {}: from_day {} is after to_day {}", where, from_day, to_day));
  }
  return Status::Ok();
}

// "day BETWEEN a AND b", clamped to the column's range; nullopt when no day can match.
std::optional<std::string> DayFilter(int64_t from_day, int64_t to_day) {
  if (to_day < 0 || from_day > kMaxDay)
    return std::nullopt;
  return fmt::format("day BETWEEN {} AND {}", std::max<int64_t>(from_day, 0),
                     std::min(to_day, kMaxDay));
}

std::string ActorFilter(const std::optional<std::string>& actor) {
  return actor ? " AND actor = " + SqlString(*actor) : "";
}

ExternalTable Column(std::string name, std::string structure, const std::set<std::string>& values) {
  ExternalTable t{std::move(name), std::move(structure), {}};
  for (const std::string& v : values) {
    AppendTsvEscaped(v, &t.tsv);
    t.tsv.push_back('\n');
  }
  return t;
}

// Metric points matching `where` (with its external tables), deduplicated.
Result<std::vector<MetricPoint>> ReadMetricPoints(const ClickHouseClient& client,
                                                  const std::string& db, const std::string& where,
                                                  std::span<const ExternalTable> tables = {}) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("usage rollups: metric points",
                   fmt::format("SELECT day, actor, provider, model, tool, source, session, "
                               "series_key, temporality, series_start_ms, time_ms, event_key, "
                               "input_uncached, cache_read, cache_write, output, reasoning, "
                               "requests, reported_cost_micros, computed_cost_micros "
                               "FROM {}.metric_points FINAL WHERE {} FORMAT TabSeparated",
                               db, where),
                   tables));
  std::vector<MetricPoint> points;
  TsvReader r(body, "metric_points");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(20));
    MetricPoint p;
    GOODHART_ASSIGN_OR_RETURN(p.day, r.Int(0));
    p.actor = r.Str(1);
    p.provider = r.Str(2);
    p.model = r.Str(3);
    p.tool = r.Str(4);
    p.source = r.Str(5);
    p.session = r.Str(6);
    p.series_key = r.Str(7);
    GOODHART_ASSIGN_OR_RETURN(int64_t temporality, r.Int(8));
    p.temporality = temporality == 2 ? model::Temporality::kCumulative : model::Temporality::kDelta;
    GOODHART_ASSIGN_OR_RETURN(p.series_start_ms, r.Int(9));
    GOODHART_ASSIGN_OR_RETURN(p.time_ms, r.Int(10));
    p.event_key = r.Str(11);
    for (size_t c = 0; c < p.value.size(); ++c) {
      GOODHART_ASSIGN_OR_RETURN(p.value[c], r.Int(12 + c));
    }
    points.push_back(std::move(p));
  }
  return points;
}

using CellKey =
    std::tuple<std::string, int64_t, std::string, std::string, std::string, std::string>;

struct MetricSums {
  MetricValue value{};
  int64_t events = 0;
};

// Adds to `cells` the metric points of the range that no event covers (model::Signal).
Status AddMetricCells(const ClickHouseClient& client, const std::string& db, const RollupQuery& q,
                      const std::string& days, std::map<CellKey, UsageRollupRow>* cells) {
  GOODHART_ASSIGN_OR_RETURN(std::vector<MetricPoint> points,
                            ReadMetricPoints(client, db, days + ActorFilter(q.actor)));
  if (points.empty())
    return Status::Ok();
  // A cumulative point's increase depends on the earlier points of its run, wherever they lie:
  // read each run from the day it started.
  std::set<std::pair<std::string, int64_t>> runs;
  int64_t first_day = std::max<int64_t>(q.from_day, 0);
  for (const MetricPoint& p : points) {
    if (p.temporality != model::Temporality::kCumulative)
      continue;
    runs.emplace(p.series_key, p.series_start_ms);
    first_day = std::min(first_day, std::max<int64_t>(DayOfMillis(p.series_start_ms), 0));
  }
  if (!runs.empty()) {
    ExternalTable table{"series_runs", "series_key String, series_start_ms Int64", {}};
    TsvWriter rows;
    for (const auto& [series, start] : runs)
      rows.Str(series).Int(start).EndRow();
    table.tsv = std::move(rows.data());
    GOODHART_ASSIGN_OR_RETURN(
        std::vector<MetricPoint> cumulative,
        ReadMetricPoints(client, db,
                         fmt::format("temporality = 2 AND day BETWEEN {} AND {} AND "
                                     "(series_key, series_start_ms) GLOBAL IN series_runs",
                                     first_day, std::min(q.to_day, kMaxDay)),
                         {&table, 1}));
    std::erase_if(points, [](const MetricPoint& p) {
      return p.temporality == model::Temporality::kCumulative;
    });
    for (MetricPoint& p : cumulative)
      points.push_back(std::move(p));
  }
  std::vector<MetricValue> contributions = MetricContributions(points);

  // Sums per (cell, session) of the points inside the query.
  std::map<std::pair<CellKey, std::string>, MetricSums> groups;
  std::set<std::string> sessions, actors;
  for (size_t i = 0; i < points.size(); ++i) {
    const MetricPoint& p = points[i];
    if (p.day < q.from_day || p.day > q.to_day || (q.actor && p.actor != *q.actor))
      continue;
    MetricSums& s = groups[{{p.actor, p.day, p.provider, p.model, p.tool, p.source}, p.session}];
    for (size_t c = 0; c < s.value.size(); ++c)
      AddSat(s.value[c], contributions[i][c]);
    ++s.events;
    if (p.session.empty())
      actors.insert(p.actor);
    else
      sessions.insert(p.session);
  }
  // Which of them events cover: the session has an event that day, or, without a session, the
  // actor has an event for that model that day.
  std::set<std::pair<int64_t, std::string>> session_days;
  if (!sessions.empty()) {
    ExternalTable table = Column("metric_sessions", "session String", sessions);
    GOODHART_ASSIGN_OR_RETURN(
        std::string body,
        client.Query("usage rollups: session days",
                     fmt::format("SELECT DISTINCT day, session FROM {}.session_days WHERE {} AND "
                                 "session GLOBAL IN metric_sessions FORMAT TabSeparated",
                                 db, days),
                     {&table, 1}));
    TsvReader r(body, "session_days");
    while (r.Next()) {
      GOODHART_RETURN_IF_ERROR(r.Expect(2));
      GOODHART_ASSIGN_OR_RETURN(int64_t day, r.Int(0));
      session_days.emplace(day, r.Str(1));
    }
  }
  std::set<std::tuple<int64_t, std::string, std::string>> actor_day_models;
  if (!actors.empty()) {
    ExternalTable table = Column("metric_actors", "actor String", actors);
    GOODHART_ASSIGN_OR_RETURN(
        std::string body,
        client.Query("usage rollups: actor day models",
                     fmt::format("SELECT DISTINCT day, actor, model FROM {}.actor_day_models "
                                 "WHERE {} AND actor GLOBAL IN metric_actors FORMAT TabSeparated",
                                 db, days),
                     {&table, 1}));
    TsvReader r(body, "actor_day_models");
    while (r.Next()) {
      GOODHART_RETURN_IF_ERROR(r.Expect(3));
      GOODHART_ASSIGN_OR_RETURN(int64_t day, r.Int(0));
      actor_day_models.emplace(day, r.Str(1), r.Str(2));
    }
  }
  for (const auto& [key, sums] : groups) {
    const auto& [cell, session] = key;
    const auto& [actor, day, provider, model, tool, source] = cell;
    bool covered = session.empty() ? actor_day_models.count({day, actor, model}) != 0
                                   : session_days.count({day, session}) != 0;
    if (covered)
      continue;
    UsageRollupRow& row = (*cells)[cell];
    row.actor = actor;
    row.day = day;
    row.provider = provider;
    row.model = model;
    row.tool = tool;
    row.source = source;
    AddSat(row.tokens.input_uncached, sums.value[0]);
    AddSat(row.tokens.cache_read, sums.value[1]);
    AddSat(row.tokens.cache_write, sums.value[2]);
    AddSat(row.tokens.output, sums.value[3]);
    AddSat(row.tokens.reasoning, sums.value[4]);
    AddSat(row.requests, sums.value[5]);
    AddSat(row.reported_cost_micros, sums.value[6]);
    AddSat(row.computed_cost_micros, sums.value[7]);
    AddSat(row.events, sums.events);
    AddSat(row.sessions, session.empty() ? 0 : 1);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<UsageRollupRow>> ReadUsageRollups(const ClickHouseClient& client,
                                                     const std::string& database,
                                                     const RollupQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "usage rollups"));
  std::optional<std::string> days = DayFilter(q.from_day, q.to_day);
  if (!days)
    return std::vector<UsageRollupRow>();
  const std::string db = SqlIdentifier(database);
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("usage rollups",
                   fmt::format("SELECT actor, day, provider, model, tool, source, input_uncached, "
                               "cache_read, cache_write, output, reasoning, requests, prompts, "
                               "events, reported_cost_micros, computed_cost_micros, sessions "
                               "FROM {}.usage_rollup FINAL WHERE {}{} FORMAT TabSeparated",
                               db, *days, ActorFilter(q.actor))));
  std::map<CellKey, UsageRollupRow> cells;
  TsvReader r(body, "usage_rollup");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(17));
    UsageRollupRow row;
    row.actor = r.Str(0);
    GOODHART_ASSIGN_OR_RETURN(row.day, r.Int(1));
    row.provider = r.Str(2);
    row.model = r.Str(3);
    row.tool = r.Str(4);
    row.source = r.Str(5);
    int64_t* fields[] = {&row.tokens.input_uncached,
                         &row.tokens.cache_read,
                         &row.tokens.cache_write,
                         &row.tokens.output,
                         &row.tokens.reasoning,
                         &row.requests,
                         &row.prompts,
                         &row.events,
                         &row.reported_cost_micros,
                         &row.computed_cost_micros,
                         &row.sessions};
    for (size_t i = 0; i < std::size(fields); ++i) {
      GOODHART_ASSIGN_OR_RETURN(*fields[i], r.Int(6 + i));
    }
    CellKey key{row.actor, row.day, row.provider, row.model, row.tool, row.source};
    cells.emplace(std::move(key), std::move(row));
  }
  GOODHART_RETURN_IF_ERROR(AddMetricCells(client, db, q, *days, &cells));
  std::vector<UsageRollupRow> rows;
  rows.reserve(cells.size());
  for (auto& [key, row] : cells)
    rows.push_back(std::move(row));
  return rows;  // ordered by (actor, day, provider, model, tool, source), as CellKey
}

Result<std::vector<PromptSketchRow>> ReadPromptSketches(const ClickHouseClient& client,
                                                        const std::string& database,
                                                        const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "prompt sketches"));
  std::optional<std::string> days = DayFilter(q.from_day, q.to_day);
  if (!days)
    return std::vector<PromptSketchRow>();
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("prompt sketches",
                   fmt::format("SELECT actor, day, time_ms, session, event_key, simhash, minhash, "
                               "token_estimate FROM {}.prompt_sketches FINAL WHERE {}{} "
                               "ORDER BY day, time_ms, event_key FORMAT TabSeparated",
                               SqlIdentifier(database), *days, ActorFilter(q.actor))));
  std::vector<PromptSketchRow> rows;
  TsvReader r(body, "prompt_sketches");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(8));
    PromptSketchRow row;
    row.actor = r.Str(0);
    GOODHART_ASSIGN_OR_RETURN(row.day, r.Int(1));
    GOODHART_ASSIGN_OR_RETURN(row.time_unix_ms, r.Int(2));
    row.session_id = r.Str(3);
    row.event_key = r.Str(4);
    GOODHART_ASSIGN_OR_RETURN(row.sketch.simhash, r.UInt(5));
    GOODHART_ASSIGN_OR_RETURN(std::vector<uint64_t> minhash, r.UIntArray(6));
    if (minhash.size() != row.sketch.minhash.size()) {
      return Status::DataLoss(
          fmt::format("clickhouse_store: prompt_sketches: {}: minhash has {} values", row.event_key,
                      minhash.size()));
    }
    std::copy(minhash.begin(), minhash.end(), row.sketch.minhash.begin());
    GOODHART_ASSIGN_OR_RETURN(int64_t tokens, r.Int(7));
    row.sketch.token_estimate = static_cast<int32_t>(tokens);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<PromptCadenceRow>> ReadPromptCadence(const ClickHouseClient& client,
                                                        const std::string& database,
                                                        const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "prompt cadence"));
  std::optional<std::string> days = DayFilter(q.from_day, q.to_day);
  if (!days)
    return std::vector<PromptCadenceRow>();
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("prompt cadence",
                   fmt::format("SELECT actor, day, times FROM {}.prompt_cadence FINAL WHERE {}{} "
                               "ORDER BY actor, day FORMAT TabSeparated",
                               SqlIdentifier(database), *days, ActorFilter(q.actor))));
  std::vector<PromptCadenceRow> rows;
  TsvReader r(body, "prompt_cadence");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(3));
    PromptCadenceRow row;
    row.actor = r.Str(0);
    GOODHART_ASSIGN_OR_RETURN(row.day, r.Int(1));
    GOODHART_ASSIGN_OR_RETURN(row.prompt_times_unix_ms, r.IntArray(2));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<ToolStepRow>> ReadToolSteps(const ClickHouseClient& client,
                                               const std::string& database, const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "tool steps"));
  std::optional<std::string> days = DayFilter(q.from_day, q.to_day);
  if (!days)
    return std::vector<ToolStepRow>();
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("tool steps",
                   fmt::format("SELECT actor, session, time_ms, tool_name, fingerprint "
                               "FROM {}.tool_steps FINAL WHERE {}{} "
                               "ORDER BY session, time_ms, arrival, event_key FORMAT TabSeparated",
                               SqlIdentifier(database), *days, ActorFilter(q.actor))));
  std::vector<ToolStepRow> rows;
  TsvReader r(body, "tool_steps");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(5));
    ToolStepRow row;
    row.actor = r.Str(0);
    row.session_id = r.Str(1);
    GOODHART_ASSIGN_OR_RETURN(row.time_unix_ms, r.Int(2));
    row.tool_name = r.Str(3);
    GOODHART_ASSIGN_OR_RETURN(row.fingerprint, r.UInt(4));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<model::UsageEvent>> ReadUsageEvents(const ClickHouseClient& client,
                                                       const std::string& database,
                                                       const EventQuery& q) {
  if (q.limit <= 0) {
    return Status::InvalidArgument(
        fmt::format("clickhouse_store: usage events: limit must be positive ({})", q.limit));
  }
  if (q.from_unix_ms > q.to_unix_ms) {
    return Status::InvalidArgument(
        "clickhouse_store: usage events: from_unix_ms is after to_unix_ms");
  }
  std::vector<model::UsageEvent> events;
  std::optional<std::string> days =
      DayFilter(q.from_unix_ms <= 0 ? 0 : DayOfMillis(q.from_unix_ms),
                q.to_unix_ms <= 0 ? -1 : DayOfMillis(q.to_unix_ms - 1));
  if (!days)
    return events;
  const std::string db = SqlIdentifier(database);
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query(
          "usage events",
          fmt::format("SELECT {} FROM {}.usage_events FINAL WHERE {} AND time_ms >= {} "
                      "AND time_ms < {}{} AND event_key > {} ORDER BY event_key "
                      "LIMIT {} FORMAT TabSeparated",
                      kEventColumns, db, *days, q.from_unix_ms, q.to_unix_ms, ActorFilter(q.actor),
                      SqlString(q.after_event_key), std::min<int64_t>(q.limit, 1 << 20))));
  TsvReader r(body, "usage_events");
  std::set<std::string> prompt_keys;
  while (r.Next()) {
    GOODHART_ASSIGN_OR_RETURN(model::UsageEvent e, ReadEventRow(r));
    if (IsPromptEvent(e))
      prompt_keys.insert(e.event_key);
    events.push_back(std::move(e));
  }
  if (prompt_keys.empty())
    return events;
  // Prompts' sketches live in prompt_sketches (a purge removes them there).
  ExternalTable keys = Column("page_keys", "event_key String", prompt_keys);
  GOODHART_ASSIGN_OR_RETURN(
      std::string sketches,
      client.Query(
          "usage events: sketches",
          fmt::format("SELECT event_key, simhash, minhash, token_estimate "
                      "FROM {}.prompt_sketches FINAL WHERE {} AND event_key GLOBAL IN page_keys "
                      "FORMAT TabSeparated",
                      db, *days),
          {&keys, 1}));
  std::unordered_map<std::string, model::PromptSketch> by_key;
  TsvReader s(sketches, "prompt_sketches");
  while (s.Next()) {
    GOODHART_RETURN_IF_ERROR(s.Expect(4));
    model::PromptSketch sketch;
    GOODHART_ASSIGN_OR_RETURN(sketch.simhash, s.UInt(1));
    GOODHART_ASSIGN_OR_RETURN(std::vector<uint64_t> minhash, s.UIntArray(2));
    if (minhash.size() != sketch.minhash.size())
      return Status::DataLoss("clickhouse_store: prompt_sketches: minhash of the wrong size");
    std::copy(minhash.begin(), minhash.end(), sketch.minhash.begin());
    GOODHART_ASSIGN_OR_RETURN(int64_t tokens, s.Int(3));
    sketch.token_estimate = static_cast<int32_t>(tokens);
    by_key.emplace(s.Str(0), sketch);
  }
  for (model::UsageEvent& e : events) {
    if (auto it = by_key.find(e.event_key); it != by_key.end() && IsPromptEvent(e))
      e.prompt_sketch = it->second;
  }
  return events;
}

Result<int64_t> PurgeSketchesBefore(const ClickHouseClient& client, const std::string& database,
                                    std::span<const LocalTables> locals, int64_t before_day,
                                    int64_t now_unix_ms) {
  if (before_day <= 0)
    return int64_t{0};
  const std::string db = SqlIdentifier(database);
  int64_t day = std::min(before_day, kMaxDay);
  const char* tables[] = {"prompt_sketches", "prompt_cadence", "tool_steps"};
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<int64_t> counts,
      QueryInt64Row(
          client, "purge: count",
          fmt::format("SELECT (SELECT count() FROM {0}.prompt_sketches FINAL WHERE day < {1}), "
                      "(SELECT count() FROM {0}.prompt_cadence FINAL WHERE day < {1}), "
                      "(SELECT count() FROM {0}.tool_steps FINAL WHERE day < {1}) "
                      "FORMAT TabSeparated",
                      db, day),
          3));
  // The watermark first: from now on no cadence row below it is rebuilt by a refresh.
  TsvWriter mark;
  mark.Int(day).Int(now_unix_ms).EndRow();
  GOODHART_RETURN_IF_ERROR(client.Insert(
      "purge: watermark",
      fmt::format("INSERT INTO {}.sketch_purges (before_day, purged_ms) FORMAT TabSeparated", db),
      mark.data()));
  int64_t deleted = 0;
  for (size_t i = 0; i < std::size(tables); ++i) {
    if (counts[i] == 0)
      continue;
    deleted += counts[i];
    // Mutations are not supported through Distributed tables: each shard deletes its own rows.
    for (const LocalTables& local : locals) {
      GOODHART_RETURN_IF_ERROR(
          local.client
              ->Query(fmt::format("purge: {}", tables[i]),
                      fmt::format("ALTER TABLE {}.{} DELETE WHERE day < {}",
                                  SqlIdentifier(local.database), tables[i], day))
              .status());
    }
  }
  if (deleted == 0)
    return deleted;
  GOODHART_RETURN_IF_ERROR(WaitForMutations(locals, "purge"));
  return deleted;
}

Status WaitForMutations(std::span<const LocalTables> locals, std::string_view what) {
  // ALTER ... DELETE is a mutation that runs in the background (18.16 has no mutations_sync).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (const LocalTables& local : locals) {
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(
          std::vector<int64_t> running,
          QueryInt64Row(*local.client, fmt::format("{}: mutations", what),
                        fmt::format("SELECT count() FROM system.mutations WHERE database = {} AND "
                                    "is_done = 0 FORMAT TabSeparated",
                                    SqlString(local.database)),
                        1));
      if (running[0] == 0)
        break;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Unavailable(fmt::format(
            "clickhouse_store: {}: {} deletions still running after 120 s", what, running[0]));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Status::Ok();
}

Status ReadUsageStats(const ClickHouseClient& client, const std::string& database,
                      std::span<const LocalTables> shards, StoreStats* stats) {
  const std::string db = SqlIdentifier(database);
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<int64_t> v,
      QueryInt64Row(
          client, "stats",
          // count() over FINAL streams the merge of each partition's sorted keys (a key's day
          // fixes its partition): exact in bounded memory, where uniqExact over 100 M keys
          // outgrew a 4 GB query limit.
          fmt::format("SELECT (SELECT count() FROM {0}.event_keys FINAL), "
                      "(SELECT count() FROM {0}.usage_rollup FINAL), "
                      "(SELECT count() FROM (SELECT DISTINCT day, actor, provider, model, "
                      "tool, source, session FROM {0}.metric_points)), "
                      "(SELECT count() FROM {0}.prompt_sketches FINAL), "
                      "(SELECT toInt64(sum(bytes_on_disk)) FROM system.parts "
                      "WHERE database = {1} AND active), "
                      "(SELECT max(version) FROM {0}.schema_migrations) FORMAT TabSeparated",
                      db, SqlString(database)),
          6));
  stats->usage_events = v[0];
  stats->rollup_rows = v[1] + v[2];
  stats->prompt_sketches = v[3];
  stats->bytes_on_disk = v[4];
  stats->schema_version = v[5];
  if (shards.empty())
    return Status::Ok();
  // Cluster mode: the rows are in the shards' local databases.
  stats->bytes_on_disk = 0;
  for (const LocalTables& shard : shards) {
    GOODHART_ASSIGN_OR_RETURN(
        std::vector<int64_t> bytes,
        QueryInt64Row(*shard.client, "stats: shard size",
                      fmt::format("SELECT toInt64(sum(bytes_on_disk)) FROM system.parts WHERE "
                                  "database IN ({}, {}) AND active FORMAT TabSeparated",
                                  SqlString(shard.database), SqlString(database)),
                      1));
    stats->bytes_on_disk += bytes[0];
  }
  return Status::Ok();
}

}  // namespace goodhart::store::clickhouse
