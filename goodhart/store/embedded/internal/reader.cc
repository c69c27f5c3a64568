#include "goodhart/store/embedded/internal/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "goodhart/store/embedded/internal/event_codec.h"
#include "goodhart/store/embedded/internal/saturating.h"
#include "goodhart/store/embedded/internal/schema.h"

namespace goodhart::store::internal {
namespace {

// Runs `body` inside a read transaction (one snapshot for every statement).
template <typename Fn>
auto InReadTransaction(Db& db, Fn&& body) -> decltype(body()) {
  GOODHART_RETURN_IF_ERROR(db.Exec("BEGIN"));
  auto result = body();
  (void)db.Exec("COMMIT");
  return result;
}

// Resolves an optional actor filter: nullopt = no filter; -1 = an actor never stored.
Result<std::optional<int64_t>> ActorFilter(Db& db, const std::optional<std::string>& actor) {
  if (!actor)
    return std::optional<int64_t>();
  GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> id, IdCache::Find(db, *actor));
  return std::optional<int64_t>(id.value_or(-1));
}

void BindActor(Stmt* stmt, int index, const std::optional<int64_t>& actor) {
  if (actor)
    stmt->BindInt64(index, *actor);
  else
    stmt->BindNull(index);
}

Status CheckDays(int64_t from_day, int64_t to_day, std::string_view where) {
  if (from_day > to_day) {
    return Status::InvalidArgument(
        fmt::format("embedded_store: {}: from_day {} is after to_day {}", where, from_day, to_day));
  }
  return Status::Ok();
}

struct CellIds {
  int64_t actor, day, provider, model, tool, source;
  auto operator<=>(const CellIds&) const = default;
};

}  // namespace

Result<std::unique_ptr<ReaderPool::Lease>> ReaderPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      std::unique_ptr<Db> db = std::move(free_.back());
      free_.pop_back();
      return std::make_unique<Lease>(this, std::move(db));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path_, /*create=*/false));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA busy_timeout = 5000"));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA query_only = 1"));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size = -16384"));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY"));
  return std::make_unique<Lease>(this, std::move(db));
}

void ReaderPool::Release(std::unique_ptr<Db> db) {
  std::lock_guard lock(mu_);
  free_.push_back(std::move(db));
}

Result<std::vector<UsageRollupRow>> ReadUsageRollups(Db& db, IdCache& ids, const RollupQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "usage rollups"));
  return InReadTransaction(db, [&]() -> Result<std::vector<UsageRollupRow>> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> actor, ActorFilter(db, q.actor));
    std::map<CellIds, UsageRollupRow> cells;
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * events,
        db.Prepare("SELECT actor, day, provider, model, tool, source, input_uncached, cache_read, "
                   "cache_write, output, reasoning, requests, prompts, events, "
                   "reported_cost_micros, computed_cost_micros, sessions FROM usage_rollup "
                   "WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR actor = ?3)"));
    // Metric increments count only where no event covers them (model::Signal): a session's
    // increments when that session has no events that day; without a session, when the actor
    // has no events for that model that day.
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * metrics,
        db.Prepare("SELECT m.actor, m.day, m.provider, m.model, m.tool, m.source, "
                   "m.input_uncached, m.cache_read, m.cache_write, m.output, m.reasoning, "
                   "m.requests, 0, m.events, m.reported_cost_micros, m.computed_cost_micros, "
                   "m.session != 0 FROM metric_rollup m "
                   "WHERE m.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR m.actor = ?3) "
                   "AND NOT EXISTS (SELECT 1 FROM session_day_events s WHERE m.session != 0 "
                   "AND s.session = m.session AND s.day = m.day) "
                   "AND NOT EXISTS (SELECT 1 FROM actor_day_model_events a WHERE m.session = 0 "
                   "AND a.actor = m.actor AND a.day = m.day AND a.model = m.model)"));
    for (Stmt* stmt : {events, metrics}) {
      stmt->BindInt64(1, q.from_day);
      stmt->BindInt64(2, q.to_day);
      BindActor(stmt, 3, actor);
      while (true) {
        GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
        if (!row)
          break;
        CellIds key{stmt->ColumnInt64(0), stmt->ColumnInt64(1), stmt->ColumnInt64(2),
                    stmt->ColumnInt64(3), stmt->ColumnInt64(4), stmt->ColumnInt64(5)};
        UsageRollupRow& r = cells[key];
        r.day = key.day;
        AddSat(r.tokens.input_uncached, stmt->ColumnInt64(6));
        AddSat(r.tokens.cache_read, stmt->ColumnInt64(7));
        AddSat(r.tokens.cache_write, stmt->ColumnInt64(8));
        AddSat(r.tokens.output, stmt->ColumnInt64(9));
        AddSat(r.tokens.reasoning, stmt->ColumnInt64(10));
        AddSat(r.requests, stmt->ColumnInt64(11));
        AddSat(r.prompts, stmt->ColumnInt64(12));
        AddSat(r.events, stmt->ColumnInt64(13));
        AddSat(r.reported_cost_micros, stmt->ColumnInt64(14));
        AddSat(r.computed_cost_micros, stmt->ColumnInt64(15));
        AddSat(r.sessions, stmt->ColumnInt64(16));
      }
      stmt->Reset();
    }
    std::vector<UsageRollupRow> rows;
    rows.reserve(cells.size());
    for (auto& [key, row] : cells) {
      GOODHART_ASSIGN_OR_RETURN(row.actor, ids.Get(db, key.actor));
      GOODHART_ASSIGN_OR_RETURN(row.provider, ids.Get(db, key.provider));
      GOODHART_ASSIGN_OR_RETURN(row.model, ids.Get(db, key.model));
      GOODHART_ASSIGN_OR_RETURN(row.tool, ids.Get(db, key.tool));
      GOODHART_ASSIGN_OR_RETURN(row.source, ids.Get(db, key.source));
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const UsageRollupRow& a, const UsageRollupRow& b) {
      return std::tie(a.actor, a.day, a.provider, a.model, a.tool, a.source) <
             std::tie(b.actor, b.day, b.provider, b.model, b.tool, b.source);
    });
    return rows;
  });
}

Result<std::vector<PromptSketchRow>> ReadPromptSketches(Db& db, IdCache& ids,
                                                        const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "prompt sketches"));
  return InReadTransaction(db, [&]() -> Result<std::vector<PromptSketchRow>> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> actor, ActorFilter(db, q.actor));
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt, db.Prepare("SELECT actor, day, time_ms, session, event_key, simhash, minhash, "
                                "token_estimate FROM prompt_sketches "
                                "WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR actor = ?3) "
                                "ORDER BY day, time_ms, event_key"));
    stmt->BindInt64(1, q.from_day);
    stmt->BindInt64(2, q.to_day);
    BindActor(stmt, 3, actor);
    std::vector<PromptSketchRow> rows;
    std::vector<std::pair<int64_t, int64_t>> id_pairs;  // (actor, session) per row
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row)
        break;
      PromptSketchRow r;
      r.day = stmt->ColumnInt64(1);
      r.time_unix_ms = stmt->ColumnInt64(2);
      r.event_key = std::string(stmt->ColumnText(4));
      r.sketch.simhash = static_cast<uint64_t>(stmt->ColumnInt64(5));
      if (!DecodeMinhash(stmt->ColumnBlob(6), &r.sketch.minhash)) {
        stmt->Reset();
        return Status::DataLoss("embedded_store: prompt_sketches: malformed minhash blob");
      }
      r.sketch.token_estimate = static_cast<int32_t>(stmt->ColumnInt64(7));
      id_pairs.emplace_back(stmt->ColumnInt64(0), stmt->ColumnInt64(3));
      rows.push_back(std::move(r));
    }
    stmt->Reset();
    for (size_t i = 0; i < rows.size(); ++i) {
      GOODHART_ASSIGN_OR_RETURN(rows[i].actor, ids.Get(db, id_pairs[i].first));
      GOODHART_ASSIGN_OR_RETURN(rows[i].session_id, ids.Get(db, id_pairs[i].second));
    }
    return rows;
  });
}

Result<std::vector<PromptCadenceRow>> ReadPromptCadence(Db& db, IdCache& ids,
                                                        const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "prompt cadence"));
  return InReadTransaction(db, [&]() -> Result<std::vector<PromptCadenceRow>> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> actor, ActorFilter(db, q.actor));
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt, db.Prepare("SELECT actor, day, times FROM prompt_cadence "
                                "WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR actor = ?3)"));
    stmt->BindInt64(1, q.from_day);
    stmt->BindInt64(2, q.to_day);
    BindActor(stmt, 3, actor);
    std::vector<PromptCadenceRow> rows;
    std::vector<int64_t> actors;
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row)
        break;
      PromptCadenceRow r;
      r.day = stmt->ColumnInt64(1);
      if (!DecodeTimes(stmt->ColumnBlob(2), &r.prompt_times_unix_ms)) {
        stmt->Reset();
        return Status::DataLoss("embedded_store: prompt_cadence: malformed times blob");
      }
      actors.push_back(stmt->ColumnInt64(0));
      rows.push_back(std::move(r));
    }
    stmt->Reset();
    for (size_t i = 0; i < rows.size(); ++i) {
      GOODHART_ASSIGN_OR_RETURN(rows[i].actor, ids.Get(db, actors[i]));
    }
    std::sort(rows.begin(), rows.end(), [](const PromptCadenceRow& a, const PromptCadenceRow& b) {
      return std::tie(a.actor, a.day) < std::tie(b.actor, b.day);
    });
    return rows;
  });
}

Result<std::vector<ToolStepRow>> ReadToolSteps(Db& db, IdCache& ids, const SketchQuery& q) {
  GOODHART_RETURN_IF_ERROR(CheckDays(q.from_day, q.to_day, "tool steps"));
  return InReadTransaction(db, [&]() -> Result<std::vector<ToolStepRow>> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> actor, ActorFilter(db, q.actor));
    // rowid breaks ties in arrival order (steps of one millisecond).
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt, db.Prepare("SELECT actor, session, time_ms, tool, fingerprint FROM tool_steps "
                                "WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR actor = ?3) "
                                "ORDER BY session, time_ms, rowid"));
    stmt->BindInt64(1, q.from_day);
    stmt->BindInt64(2, q.to_day);
    BindActor(stmt, 3, actor);
    std::vector<ToolStepRow> rows;
    std::vector<std::array<int64_t, 3>> id_triples;  // (actor, session, tool) per row
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row)
        break;
      ToolStepRow r;
      r.time_unix_ms = stmt->ColumnInt64(2);
      r.fingerprint = static_cast<uint64_t>(stmt->ColumnInt64(4));
      id_triples.push_back({stmt->ColumnInt64(0), stmt->ColumnInt64(1), stmt->ColumnInt64(3)});
      rows.push_back(std::move(r));
    }
    stmt->Reset();
    for (size_t i = 0; i < rows.size(); ++i) {
      GOODHART_ASSIGN_OR_RETURN(rows[i].actor, ids.Get(db, id_triples[i][0]));
      GOODHART_ASSIGN_OR_RETURN(rows[i].session_id, ids.Get(db, id_triples[i][1]));
      GOODHART_ASSIGN_OR_RETURN(rows[i].tool_name, ids.Get(db, id_triples[i][2]));
    }
    return rows;
  });
}

// Scans the chunks overlapping the time range and keeps the `limit` smallest keys after the
// cursor; only those are decoded. Each page costs a scan of the range (inspection and export
// only; analytics read rollups).
Result<std::vector<model::UsageEvent>> ReadUsageEvents(Db& db, IdCache& ids, const EventQuery& q) {
  if (q.limit <= 0) {
    return Status::InvalidArgument(
        fmt::format("embedded_store: usage events: limit must be positive ({})", q.limit));
  }
  if (q.from_unix_ms > q.to_unix_ms) {
    return Status::InvalidArgument(
        "embedded_store: usage events: from_unix_ms is after to_unix_ms");
  }
  return InReadTransaction(db, [&]() -> Result<std::vector<model::UsageEvent>> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<int64_t> actor, ActorFilter(db, q.actor));
    if (actor && *actor < 0)
      return std::vector<model::UsageEvent>();
    struct Candidate {
      std::string key;
      int64_t time = 0, actor = 0;
      std::string body;
    };
    auto by_key = [](const Candidate& a, const Candidate& b) { return a.key < b.key; };
    std::vector<Candidate> heap;  // max-heap on key, at most `limit` entries
    size_t limit = static_cast<size_t>(std::min<int64_t>(q.limit, 1 << 20));
    GOODHART_ASSIGN_OR_RETURN(Stmt * chunks,
                              db.Prepare("SELECT body FROM event_chunks "
                                         "WHERE max_time_ms >= ?1 AND min_time_ms < ?2"));
    chunks->BindInt64(1, q.from_unix_ms);
    chunks->BindInt64(2, q.to_unix_ms);
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, chunks->Step());
      if (!row)
        break;
      ChunkReader reader(chunks->ColumnBlob(0));
      ChunkEntry entry;
      while (true) {
        Result<bool> next = reader.Next(&entry);
        if (!next.ok()) {
          chunks->Reset();
          return next.status();
        }
        if (!*next)
          break;
        if (entry.time_unix_ms < q.from_unix_ms || entry.time_unix_ms >= q.to_unix_ms ||
            (actor && entry.actor != *actor) || entry.event_key <= q.after_event_key) {
          continue;
        }
        if (heap.size() == limit && entry.event_key >= heap.front().key)
          continue;
        heap.push_back({std::string(entry.event_key), entry.time_unix_ms, entry.actor,
                        std::string(entry.body)});
        std::push_heap(heap.begin(), heap.end(), by_key);
        if (heap.size() > limit) {
          std::pop_heap(heap.begin(), heap.end(), by_key);
          heap.pop_back();
        }
      }
    }
    chunks->Reset();
    std::sort_heap(heap.begin(), heap.end(), by_key);

    std::vector<model::UsageEvent> events;
    events.reserve(heap.size());
    for (Candidate& c : heap) {
      model::UsageEvent e;
      DictIds dict_ids{};
      GOODHART_RETURN_IF_ERROR(DecodeEventBody(c.body, &e, &dict_ids));
      e.event_key = std::move(c.key);
      e.time_unix_ms = c.time;
      GOODHART_ASSIGN_OR_RETURN(e.actor, ids.Get(db, c.actor));
      for (int f = 0; f < kDictFieldCount; ++f) {
        GOODHART_ASSIGN_OR_RETURN(*MutableDictField(&e, f), ids.Get(db, dict_ids[f]));
      }
      if (e.kind == model::UsageKind::kPrompt && e.signal == model::Signal::kEvent) {
        GOODHART_ASSIGN_OR_RETURN(Stmt * sketch,
                                  db.Prepare("SELECT simhash, minhash, token_estimate FROM "
                                             "prompt_sketches WHERE event_key = ?"));
        sketch->BindText(1, e.event_key);
        GOODHART_ASSIGN_OR_RETURN(bool found, sketch->Step());
        if (found) {
          model::PromptSketch s;
          s.simhash = static_cast<uint64_t>(sketch->ColumnInt64(0));
          bool ok = DecodeMinhash(sketch->ColumnBlob(1), &s.minhash);
          s.token_estimate = static_cast<int32_t>(sketch->ColumnInt64(2));
          sketch->Reset();
          if (!ok)
            return Status::DataLoss("embedded_store: prompt_sketches: malformed minhash blob");
          e.prompt_sketch = s;
        } else {
          sketch->Reset();
        }
      }
      events.push_back(std::move(e));
    }
    return events;
  });
}

Result<StoreStats> ReadStats(Db& db) {
  return InReadTransaction(db, [&]() -> Result<StoreStats> {
    StoreStats stats;
    GOODHART_ASSIGN_OR_RETURN(
        stats.usage_events,
        QueryInt64(db, "SELECT value FROM store_meta WHERE name = 'usage_events'", 0));
    GOODHART_ASSIGN_OR_RETURN(int64_t event_cells,
                              QueryInt64(db, "SELECT count(*) FROM usage_rollup", 0));
    GOODHART_ASSIGN_OR_RETURN(int64_t metric_cells,
                              QueryInt64(db, "SELECT count(*) FROM metric_rollup", 0));
    stats.rollup_rows = event_cells + metric_cells;
    GOODHART_ASSIGN_OR_RETURN(stats.prompt_sketches,
                              QueryInt64(db, "SELECT count(*) FROM prompt_sketches", 0));
    GOODHART_ASSIGN_OR_RETURN(stats.schema_version,
                              QueryInt64(db, "SELECT max(version) FROM schema_migrations", 0));
    return stats;
  });
}

}  // namespace goodhart::store::internal
