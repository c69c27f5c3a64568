#include "goodhart/store/embedded/internal/writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "goodhart/base/time.h"
#include "goodhart/store/embedded/internal/saturating.h"

namespace goodhart::store::internal {
namespace {

constexpr size_t kMaxKnownPresence = 1 << 20;
// FlatSet keeps keys inline (up to 64 bytes a slot at load <= 1/2): a smaller bound keeps each
// presence cache under 64 MiB.
constexpr size_t kMaxKnownFlat = 1 << 19;

inline size_t Mix(size_t h, int64_t v) {
  uint64_t x = static_cast<uint64_t>(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  return h ^ static_cast<size_t>(x ^ (x >> 29));
}

bool CountsRequests(model::UsageKind kind) {
  return kind == model::UsageKind::kModelCall || kind == model::UsageKind::kUsageAggregate;
}

// The additive value of a record: 5 token buckets, requests, reported and computed cost.
std::array<int64_t, 8> ValueOf(const model::UsageEvent& e) {
  return {e.tokens.input_uncached,
          e.tokens.cache_read,
          e.tokens.cache_write,
          e.tokens.output,
          e.tokens.reasoning,
          CountsRequests(e.kind) ? e.request_count : 0,
          e.reported_cost_micros.value_or(0),
          e.computed_cost_micros};
}

void AddValue(const std::array<int64_t, 8>& v, Sums* s) {
  AddSat(s->tokens.input_uncached, v[0]);
  AddSat(s->tokens.cache_read, v[1]);
  AddSat(s->tokens.cache_write, v[2]);
  AddSat(s->tokens.output, v[3]);
  AddSat(s->tokens.reasoning, v[4]);
  AddSat(s->requests, v[5]);
  AddSat(s->reported_cost, v[6]);
  AddSat(s->computed_cost, v[7]);
}

void BindCell(Stmt* stmt, const CellKey& c) {
  stmt->BindInt64(1, c.day);
  stmt->BindInt64(2, c.actor);
  stmt->BindInt64(3, c.provider);
  stmt->BindInt64(4, c.model);
  stmt->BindInt64(5, c.tool);
  stmt->BindInt64(6, c.source);
}

template <typename Set, typename Key>
bool Known(const Set& set, const Key& key) {
  return set.find(key) != set.end();
}

template <typename Key, typename Hash>
bool Known(const FlatSet<Key, Hash>& set, const Key& key) {
  return set.contains(key);
}

template <typename Key, typename Hash>
void Remember(FlatSet<Key, Hash>& known, const std::vector<Key>& fresh) {
  if (known.size() + fresh.size() > kMaxKnownFlat)
    known.clear();
  for (const Key& key : fresh)
    known.insert(key);
}

// Appends `key` unless it repeats the last one appended (events of one session come in runs).
template <typename Key>
void AddPresence(std::vector<Key>& keys, const Key& key) {
  if (keys.empty() || !(keys.back() == key))
    keys.push_back(key);
}

template <typename Key>
void SortUnique(std::vector<Key>& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

}  // namespace

size_t CellHash::operator()(const CellKey& k) const {
  size_t h = 0;
  for (int64_t v : {k.day, k.actor, k.provider, k.model, k.tool, k.source})
    h = Mix(h, v);
  return h;
}
size_t CellHash::operator()(const CellSessionKey& k) const {
  return Mix((*this)(k.cell), k.session);
}
size_t PairHash::operator()(const std::pair<int64_t, int64_t>& p) const {
  return Mix(Mix(0, p.first), p.second);
}
size_t TripleHash::operator()(const TripleKey& k) const { return Mix(Mix(Mix(0, k.a), k.b), k.c); }

Result<std::unique_ptr<Writer>> Writer::Create(std::unique_ptr<Db> db,
                                               int64_t key_index_merge_threshold,
                                               Fingerprinter fingerprint) {
  return std::unique_ptr<Writer>(new Writer(std::move(db), key_index_merge_threshold, fingerprint));
}

Status Writer::LoadKeyIndex() {
  if (!blocks_loaded_) {
    GOODHART_RETURN_IF_ERROR(blocks_.Load(&filter_));
    blocks_loaded_ = true;
  }
  if (!tail_valid_)
    GOODHART_RETURN_IF_ERROR(ReloadTail());
  return Status::Ok();
}

Status Writer::ReloadTail() {
  tail_.Clear();
  tail_valid_ = false;
  GOODHART_ASSIGN_OR_RETURN(
      key_index_upto_,
      QueryInt64(*db_, "SELECT value FROM store_meta WHERE name = 'key_index_upto'", 0));
  GOODHART_ASSIGN_OR_RETURN(last_chunk_id_,
                            QueryInt64(*db_, "SELECT max(id) FROM event_chunks", 0));
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * scan, db_->PrepareStatic("SELECT body FROM event_chunks WHERE id > ? ORDER BY id"));
  scan->BindInt64(1, key_index_upto_);
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, scan->Step());
    if (!row)
      break;
    ChunkReader reader(scan->ColumnBlob(0));
    ChunkEntry entry;
    while (true) {
      Result<bool> next = reader.Next(&entry);
      if (!next.ok()) {
        scan->Reset();
        return next.status();
      }
      if (!*next)
        break;
      tail_.Insert(fingerprint_(entry.event_key));
    }
  }
  scan->Reset();
  tail_valid_ = true;
  return Status::Ok();
}

Result<std::vector<model::AppendStats>> Writer::Apply(
    std::span<const PreparedBatch* const> batches) {
  GOODHART_RETURN_IF_ERROR(LoadKeyIndex());
  std::vector<model::AppendStats> stats(batches.size());
  ClearTransactionState();
  GOODHART_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  // Strings with a larger id are new in this transaction, so no committed row names them.
  Result<int64_t> max_id = QueryInt64(*db_, "SELECT max(id) FROM strings", 0);
  Status status = max_id.status();
  committed_strings_upto_ = max_id.ok() ? *max_id : 0;
  if (status.ok())
    status = ApplyLocked(batches, &stats);
  if (status.ok())
    status = db_->Exec("COMMIT");
  if (!status.ok()) {
    (void)db_->Exec("ROLLBACK");
    // Cached ids and tail entries may name rows that no longer exist.
    dict_.Forget();
    for (Memo& m : memo_)
      m.id = -1;
    tail_valid_ = false;
    ClearTransactionState();
    return status;
  }
  CommitCaches();
  ClearTransactionState();
  if (static_cast<int64_t>(tail_.size()) >= merge_threshold_) {
    // Best effort: on failure the tail simply stays in memory and the merge is retried later.
    (void)MergeKeyIndex();
  }
  return stats;
}

Status Writer::ApplyLocked(std::span<const PreparedBatch* const> batches,
                           std::vector<model::AppendStats>* stats) {
  for (size_t b = 0; b < batches.size(); ++b) {
    const PreparedBatch& prepared = *batches[b];
    const auto& usage = prepared.batch->usage;
    for (const KeyFingerprint& key : prepared.keys)
      tail_.Prefetch(key);
    for (size_t i = 0; i < usage.size(); ++i) {
      GOODHART_RETURN_IF_ERROR(ApplyEvent(usage[i], prepared.keys[i], &(*stats)[b]));
    }
  }
  return Flush();
}

Result<bool> Writer::IsStored(const KeyFingerprint& key) {
  if (tail_.Contains(key))
    return true;
  if (blocks_.keys() == 0 || !filter_.MayContain(key))
    return false;
  return blocks_.Contains(key);
}

Status Writer::WriteChunk() {
  if (chunk_events_ == 0)
    return Status::Ok();
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * insert,
      db_->PrepareStatic("INSERT INTO event_chunks(min_time_ms, max_time_ms, events, "
                         "body) VALUES (?, ?, ?, ?)"));
  insert->BindInt64(1, chunk_min_time_);
  insert->BindInt64(2, chunk_max_time_);
  insert->BindInt64(3, chunk_events_);
  insert->BindBlob(4, chunk_);
  GOODHART_RETURN_IF_ERROR(insert->Run());
  last_chunk_id_ = db_->LastInsertRowid();
  chunk_.clear();
  chunk_events_ = 0;
  return Status::Ok();
}

Status Writer::ApplyEvent(const model::UsageEvent& e, const KeyFingerprint& key,
                          model::AppendStats* stats) {
  GOODHART_ASSIGN_OR_RETURN(bool stored, IsStored(key));
  if (stored) {
    ++stats->duplicates;
    return Status::Ok();
  }

  DictIds ids{};
  for (int f = 0; f <= kDictFieldCount; ++f) {
    const std::string& value = f == kDictFieldCount ? e.actor : DictFieldValue(e, f);
    Memo& memo = memo_[f];
    if (memo.id < 0 || memo.value != value) {
      GOODHART_ASSIGN_OR_RETURN(memo.id, dict_.Intern(value));
      memo.value = value;
    }
    if (f < kDictFieldCount)
      ids[f] = memo.id;
  }
  int64_t actor = memo_[kDictFieldCount].id;
  bool is_event = e.signal == model::Signal::kEvent;
  bool is_prompt = is_event && e.kind == model::UsageKind::kPrompt;
  EncodeEventBody(e, ids, /*inline_sketch=*/!is_prompt, &body_);

  if (chunk_events_ == 0) {
    chunk_min_time_ = chunk_max_time_ = e.time_unix_ms;
  } else {
    chunk_min_time_ = std::min(chunk_min_time_, e.time_unix_ms);
    chunk_max_time_ = std::max(chunk_max_time_, e.time_unix_ms);
  }
  AppendChunkEntry(e.event_key, e.time_unix_ms, actor, body_, &chunk_);
  ++chunk_events_;
  tail_.Insert(key);
  ++inserted_;
  ++stats->inserted;
  if (chunk_events_ >= kChunkEvents)
    GOODHART_RETURN_IF_ERROR(WriteChunk());

  int64_t day = DayOfMillis(e.time_unix_ms);
  CellKey cell{day, actor, ids[kProvider], ids[kModel], ids[kTool], ids[kSource]};
  int64_t session = ids[kSession];
  std::array<int64_t, 8> value = ValueOf(e);

  if (!is_event) {
    if (e.temporality == model::Temporality::kCumulative) {
      GOODHART_ASSIGN_OR_RETURN(value, CumulativeDelta(ids[kSeriesKey], e, value));
    }
    Sums& sums = metric_cells_[{cell, session}];
    AddValue(value, &sums);
    AddSat(sums.events, 1);
    return Status::Ok();
  }

  Sums& sums = cells_[cell];
  AddValue(value, &sums);
  AddSat(sums.events, 1);
  // Only presence rows not known to be committed go to the transaction's sets.
  if (session != 0) {
    // A session first seen in this transaction skips the lookups (one cache miss each).
    const bool new_session = session > committed_strings_upto_;
    CellSessionKey cell_session{cell, session};
    if (new_session || !Known(known_cell_sessions_, cell_session))
      AddPresence(cell_sessions_, cell_session);
    std::pair session_day{session, day};
    if (new_session || !Known(known_session_days_, session_day))
      AddPresence(session_days_, session_day);
  }
  if (TripleKey adm{actor, day, ids[kModel]}; !Known(known_actor_day_models_, adm))
    AddPresence(actor_day_models_, adm);
  if (is_prompt) {
    AddSat(sums.prompts, 1);
    cadence_[{day, actor}].push_back(e.time_unix_ms);
    if (e.prompt_sketch) {
      GOODHART_ASSIGN_OR_RETURN(
          Stmt * sketch,
          db_->PrepareStatic("INSERT INTO prompt_sketches(day, actor, time_ms, session, event_key, "
                             "simhash, minhash, token_estimate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
      std::string minhash = EncodeMinhash(e.prompt_sketch->minhash);
      sketch->BindInt64(1, day);
      sketch->BindInt64(2, actor);
      sketch->BindInt64(3, e.time_unix_ms);
      sketch->BindInt64(4, session);
      sketch->BindText(5, e.event_key);
      sketch->BindInt64(6, static_cast<int64_t>(e.prompt_sketch->simhash));
      sketch->BindBlob(7, minhash);
      sketch->BindInt64(8, e.prompt_sketch->token_estimate);
      GOODHART_RETURN_IF_ERROR(sketch->Run());
    }
  }
  if (is_event && e.kind == model::UsageKind::kToolCall && e.tool_step_fingerprint != 0 &&
      session != 0) {
    GOODHART_ASSIGN_OR_RETURN(int64_t tool, dict_.Intern(e.tool_name));
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * step,
        db_->PrepareStatic("INSERT INTO tool_steps(day, actor, session, time_ms, tool, "
                           "fingerprint) VALUES (?, ?, ?, ?, ?, ?)"));
    step->BindInt64(1, day);
    step->BindInt64(2, actor);
    step->BindInt64(3, session);
    step->BindInt64(4, e.time_unix_ms);
    step->BindInt64(5, tool);
    step->BindInt64(6, static_cast<int64_t>(e.tool_step_fingerprint));
    GOODHART_RETURN_IF_ERROR(step->Run());
  }
  return Status::Ok();
}

// Per (series, start): the first point counts in full; a later point counts its increase over the
// latest earlier point, or in full when any component went down (a counter reset). A point no
// later than the latest one seen is already included in that cumulative value and counts zero.
Result<std::array<int64_t, 8>> Writer::CumulativeDelta(int64_t series, const model::UsageEvent& e,
                                                       const std::array<int64_t, 8>& value) {
  std::pair<int64_t, int64_t> key{series, e.series_start_unix_ms};
  auto it = series_.find(key);
  if (it == series_.end()) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * load,
        db_->PrepareStatic("SELECT last_time_ms, input_uncached, cache_read, cache_write, output, "
                           "reasoning, requests, reported_cost_micros, computed_cost_micros "
                           "FROM metric_series WHERE series = ? AND start_ms = ?"));
    load->BindInt64(1, series);
    load->BindInt64(2, e.series_start_unix_ms);
    GOODHART_ASSIGN_OR_RETURN(bool row, load->Step());
    if (row) {
      SeriesState state;
      state.last_time = load->ColumnInt64(0);
      for (int i = 0; i < 8; ++i)
        state.last[i] = load->ColumnInt64(i + 1);
      it = series_.emplace(key, state).first;
    }
    load->Reset();
  }
  if (it == series_.end()) {
    series_.emplace(key, SeriesState{e.time_unix_ms, value, true});
    return value;
  }
  SeriesState& state = it->second;
  std::array<int64_t, 8> delta{};
  if (e.time_unix_ms <= state.last_time)
    return delta;
  bool reset = false;
  for (int i = 0; i < 8; ++i)
    reset = reset || value[i] < state.last[i];
  for (int i = 0; i < 8; ++i)
    delta[i] = reset ? value[i] : SubSat(value[i], state.last[i]);
  state.last_time = e.time_unix_ms;
  state.last = value;
  state.dirty = true;
  return delta;
}

Status Writer::Flush() {
  GOODHART_RETURN_IF_ERROR(WriteChunk());
  SortUnique(cell_sessions_);
  SortUnique(session_days_);
  SortUnique(actor_day_models_);
  // Sessions first: a (cell, session) pair new to the table adds one to the cell's count.
  for (const CellSessionKey& k : cell_sessions_) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt, db_->PrepareStatic(
                         "INSERT OR IGNORE INTO rollup_sessions(day, actor, provider, model, tool, "
                         "source, session) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    BindCell(stmt, k.cell);
    stmt->BindInt64(7, k.session);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
    if (db_->Changes() > 0)
      AddSat(cells_[k.cell].sessions, 1);
  }
  // In primary-key order, like the presence rows: neighbouring cells share B-tree pages.
  std::vector<std::pair<CellKey, const Sums*>> cells;
  cells.reserve(cells_.size());
  for (const auto& [cell, sums] : cells_)
    cells.emplace_back(cell, &sums);
  std::sort(cells.begin(), cells.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [cell, sums] : cells) {
    const Sums& s = *sums;
    int64_t values[] = {s.tokens.input_uncached,
                        s.tokens.cache_read,
                        s.tokens.cache_write,
                        s.tokens.output,
                        s.tokens.reasoning,
                        s.requests,
                        s.prompts,
                        s.events,
                        s.reported_cost,
                        s.computed_cost,
                        s.sessions};
    if (Known(known_cells_, cell)) {
      // One seek instead of the UPSERT's failed insert plus update.
      GOODHART_ASSIGN_OR_RETURN(
          Stmt * update,
          db_->PrepareStatic(
              "UPDATE usage_rollup SET input_uncached = input_uncached + ?7, "
              "cache_read = cache_read + ?8, cache_write = cache_write + ?9, "
              "output = output + ?10, reasoning = reasoning + ?11, "
              "requests = requests + ?12, prompts = prompts + ?13, "
              "events = events + ?14, reported_cost_micros = reported_cost_micros + ?15, "
              "computed_cost_micros = computed_cost_micros + ?16, "
              "sessions = sessions + ?17 WHERE day = ?1 AND actor = ?2 AND "
              "provider = ?3 AND model = ?4 AND tool = ?5 AND source = ?6"));
      BindCell(update, cell);
      for (int i = 0; i < 11; ++i)
        update->BindInt64(7 + i, values[i]);
      GOODHART_RETURN_IF_ERROR(update->Run());
      if (db_->Changes() == 1)
        continue;
    }
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt,
        db_->PrepareStatic(
            "INSERT INTO usage_rollup(day, actor, provider, model, tool, source, input_uncached, "
            "cache_read, cache_write, output, reasoning, requests, prompts, events, "
            "reported_cost_micros, computed_cost_micros, sessions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET input_uncached = input_uncached + excluded.input_uncached, "
            "cache_read = cache_read + excluded.cache_read, "
            "cache_write = cache_write + excluded.cache_write, "
            "output = output + excluded.output, reasoning = reasoning + excluded.reasoning, "
            "requests = requests + excluded.requests, prompts = prompts + excluded.prompts, "
            "events = events + excluded.events, "
            "reported_cost_micros = reported_cost_micros + excluded.reported_cost_micros, "
            "computed_cost_micros = computed_cost_micros + excluded.computed_cost_micros, "
            "sessions = sessions + excluded.sessions"));
    BindCell(stmt, cell);
    for (int i = 0; i < 11; ++i)
      stmt->BindInt64(7 + i, values[i]);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  for (const auto& [k, s] : metric_cells_) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt,
        db_->PrepareStatic(
            "INSERT INTO metric_rollup(day, actor, provider, model, tool, source, session, "
            "input_uncached, cache_read, cache_write, output, reasoning, requests, events, "
            "reported_cost_micros, computed_cost_micros) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET input_uncached = input_uncached + excluded.input_uncached, "
            "cache_read = cache_read + excluded.cache_read, "
            "cache_write = cache_write + excluded.cache_write, "
            "output = output + excluded.output, reasoning = reasoning + excluded.reasoning, "
            "requests = requests + excluded.requests, events = events + excluded.events, "
            "reported_cost_micros = reported_cost_micros + excluded.reported_cost_micros, "
            "computed_cost_micros = computed_cost_micros + excluded.computed_cost_micros"));
    BindCell(stmt, k.cell);
    stmt->BindInt64(7, k.session);
    int64_t values[] = {s.tokens.input_uncached,
                        s.tokens.cache_read,
                        s.tokens.cache_write,
                        s.tokens.output,
                        s.tokens.reasoning,
                        s.requests,
                        s.events,
                        s.reported_cost,
                        s.computed_cost};
    for (int i = 0; i < 9; ++i)
      stmt->BindInt64(8 + i, values[i]);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  for (const auto& [session, day] : session_days_) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt,
        db_->PrepareStatic("INSERT OR IGNORE INTO session_day_events(session, day) VALUES (?, ?)"));
    stmt->BindInt64(1, session);
    stmt->BindInt64(2, day);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  for (const TripleKey& k : actor_day_models_) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt, db_->PrepareStatic("INSERT OR IGNORE INTO actor_day_model_events(actor, "
                                        "day, model) VALUES (?, ?, ?)"));
    stmt->BindInt64(1, k.a);
    stmt->BindInt64(2, k.b);
    stmt->BindInt64(3, k.c);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  for (auto& [key, times] : cadence_) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * load,
        db_->PrepareStatic("SELECT times FROM prompt_cadence WHERE day = ? AND actor = ?"));
    load->BindInt64(1, key.first);
    load->BindInt64(2, key.second);
    GOODHART_ASSIGN_OR_RETURN(bool row, load->Step());
    std::vector<int64_t> old;
    if (row && !DecodeTimes(load->ColumnBlob(0), &old)) {
      load->Reset();
      return Status::DataLoss("embedded_store: prompt_cadence: malformed times blob");
    }
    load->Reset();
    std::sort(times.begin(), times.end());
    std::vector<int64_t> merged(old.size() + times.size());
    std::merge(old.begin(), old.end(), times.begin(), times.end(), merged.begin());
    std::string blob = EncodeTimes(merged);
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * store,
        db_->PrepareStatic(
            "INSERT OR REPLACE INTO prompt_cadence(day, actor, times) VALUES (?, ?, ?)"));
    store->BindInt64(1, key.first);
    store->BindInt64(2, key.second);
    store->BindBlob(3, blob);
    GOODHART_RETURN_IF_ERROR(store->Run());
  }
  for (const auto& [key, state] : series_) {
    if (!state.dirty)
      continue;
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt,
        db_->PrepareStatic("INSERT OR REPLACE INTO metric_series(series, start_ms, last_time_ms, "
                           "input_uncached, cache_read, cache_write, output, reasoning, requests, "
                           "reported_cost_micros, computed_cost_micros) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    stmt->BindInt64(1, key.first);
    stmt->BindInt64(2, key.second);
    stmt->BindInt64(3, state.last_time);
    for (int i = 0; i < 8; ++i)
      stmt->BindInt64(4 + i, state.last[i]);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  if (inserted_ > 0) {
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * stmt,
        db_->PrepareStatic("UPDATE store_meta SET value = value + ? WHERE name = 'usage_events'"));
    stmt->BindInt64(1, inserted_);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
  }
  return Status::Ok();
}

void Writer::CommitCaches() {
  if (known_cells_.size() + cells_.size() > kMaxKnownPresence)
    known_cells_.clear();
  for (const auto& entry : cells_)
    known_cells_.insert(entry.first);
  Remember(known_cell_sessions_, cell_sessions_);
  Remember(known_session_days_, session_days_);
  Remember(known_actor_day_models_, actor_day_models_);
}

void Writer::ClearTransactionState() {
  inserted_ = 0;
  chunk_.clear();
  chunk_events_ = 0;
  cells_.clear();
  metric_cells_.clear();
  cell_sessions_.clear();
  session_days_.clear();
  actor_day_models_.clear();
  cadence_.clear();
  series_.clear();
}

Status Writer::MergeKeyIndex() {
  std::vector<KeyFingerprint> keys = tail_.Sorted();
  GOODHART_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto merge = [&]() -> Status {
    GOODHART_RETURN_IF_ERROR(blocks_.Write(keys));
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * mark,
        db_->PrepareStatic("UPDATE store_meta SET value = ? WHERE name = 'key_index_upto'"));
    mark->BindInt64(1, last_chunk_id_);
    GOODHART_RETURN_IF_ERROR(mark->Run());
    return db_->Exec("COMMIT");
  };
  Status status = merge();
  if (!status.ok()) {
    (void)db_->Exec("ROLLBACK");
    blocks_.Abort();
    return status;
  }
  blocks_.Commit();
  key_index_upto_ = last_chunk_id_;
  tail_.Clear();
  if (filter_.WouldOverflow(keys.size())) {
    Status rebuilt = blocks_.Load(&filter_);
    if (!rebuilt.ok()) {
      filter_ = KeyFilter();  // empty: every lookup reads the blocks
      return rebuilt;
    }
  } else {
    for (const KeyFingerprint& key : keys)
      filter_.Add(key);
  }
  return Status::Ok();
}

Result<int64_t> Writer::PurgeSketchesBefore(int64_t before_day) {
  GOODHART_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  int64_t deleted = 0;
  auto purge = [&]() -> Status {
    for (const char* sql :
         {"DELETE FROM prompt_sketches WHERE day < ?", "DELETE FROM prompt_cadence WHERE day < ?",
          "DELETE FROM tool_steps WHERE day < ?"}) {
      GOODHART_ASSIGN_OR_RETURN(Stmt * stmt, db_->PrepareStatic(sql));
      stmt->BindInt64(1, before_day);
      GOODHART_RETURN_IF_ERROR(stmt->Run());
      deleted += db_->Changes();
    }
    return db_->Exec("COMMIT");
  };
  Status status = purge();
  if (!status.ok()) {
    (void)db_->Exec("ROLLBACK");
    return status;
  }
  return deleted;
}

}  // namespace goodhart::store::internal
