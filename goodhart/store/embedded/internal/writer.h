// Writer: everything that changes the database, on the one write connection. Apply() commits a
// group of validated batches in one transaction: it stores new events (exactly once by
// event_key), and in the same transaction updates the rollups, presence tables, cumulative metric
// series, prompt sketches and cadence rows those events touch. Aggregation happens in memory per
// transaction, so a cell touched by a thousand events costs one UPSERT.
//
// Not thread-safe: EmbeddedStore serialises every call (the writer lock).
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "goodhart/base/hash.h"
#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"
#include "goodhart/store/embedded/internal/dictionary.h"
#include "goodhart/store/embedded/internal/event_codec.h"
#include "goodhart/store/embedded/internal/key_blocks.h"
#include "goodhart/store/embedded/internal/key_filter.h"
#include "goodhart/store/embedded/internal/key_tail.h"
#include "goodhart/store/embedded/internal/sqlite.h"

namespace goodhart::store::internal {

// A batch that passed validation, with the fingerprint of each usage event's key.
struct PreparedBatch {
  const model::EventBatch* batch = nullptr;
  std::vector<KeyFingerprint> keys;
};

// The fingerprint of an event key: 128 bits of XXH3, so two distinct keys are taken for one with
// probability about n^2 / 2^129. A test hook may replace the first 64 bits to force collisions;
// `check` still tells the keys apart.
struct Fingerprinter {
  uint64_t (*test_hash)(std::string_view event_key) = nullptr;
  KeyFingerprint operator()(std::string_view event_key) const {
    Hash128Value h = Hash128(event_key);
    return {test_hash ? test_hash(event_key) : h.low, h.high};
  }
};

// The cell of a rollup row, as dictionary ids.
struct CellKey {
  int64_t day = 0, actor = 0, provider = 0, model = 0, tool = 0, source = 0;
  auto operator<=>(const CellKey&) const = default;
};
// A cell plus a session id (rollup_sessions, metric_rollup).
struct CellSessionKey {
  CellKey cell;
  int64_t session = 0;
  auto operator<=>(const CellSessionKey&) const = default;
};
struct CellHash {
  size_t operator()(const CellKey& k) const;
  size_t operator()(const CellSessionKey& k) const;
};
struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const;
};
struct TripleKey {
  int64_t a = 0, b = 0, c = 0;
  auto operator<=>(const TripleKey&) const = default;
};
struct TripleHash {
  size_t operator()(const TripleKey& k) const;
};

// An open-addressing hash set (linear probing, keys stored inline), for the writer's large
// "known committed" caches: one cache miss per lookup and no allocation per key, where
// std::unordered_set costs a node allocation per insert and two dependent misses per lookup.
template <typename Key, typename Hash>
class FlatSet {
 public:
  size_t size() const { return size_; }
  bool contains(const Key& key) const {
    if (size_ == 0)
      return false;
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (!slots_[i].used)
        return false;
      if (slots_[i].key == key)
        return true;
    }
  }
  void insert(const Key& key) {
    if (2 * (size_ + 1) > slots_.size())
      Grow();
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (!slots_[i].used) {
        slots_[i] = {key, true};
        ++size_;
        return;
      }
      if (slots_[i].key == key)
        return;
    }
  }
  void clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
    mask_ = 0;
  }

 private:
  struct Entry {
    Key key{};
    bool used = false;
  };
  size_t Slot(const Key& key) const {
    return static_cast<size_t>((static_cast<uint64_t>(Hash{}(key)) * 0x9e3779b97f4a7c15ULL) >>
                               shift_) &
           mask_;
  }
  void Grow() {
    std::vector<Entry> old = std::move(slots_);
    size_t capacity = old.empty() ? 1024 : 2 * old.size();
    slots_.assign(capacity, Entry{});
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
    size_ = 0;
    for (const Entry& e : old) {
      if (e.used)
        insert(e.key);
    }
  }
  std::vector<Entry> slots_;
  size_t size_ = 0, mask_ = 0;
  int shift_ = 64;
};

// Additive counters of one rollup cell (saturating, so absurd input cannot overflow).
struct Sums {
  model::TokenCounts tokens;
  int64_t requests = 0, prompts = 0, events = 0, reported_cost = 0, computed_cost = 0, sessions = 0;
};

class Writer {
 public:
  // Takes the migrated write connection. `fingerprint` must be the function the keys were made
  // with. The exactly-once key index (the key tail from the event chunks whose keys are not yet in
  // the on-disk key blocks, and the Bloom filter over those blocks) is loaded by the first Apply,
  // not here: a process that only reads (a report, an export) never pays for it, which at 100 M
  // stored events is reading 1.6 GB of key blocks into a 200 MB filter.
  static Result<std::unique_ptr<Writer>> Create(std::unique_ptr<Db> db,
                                                int64_t key_index_merge_threshold,
                                                Fingerprinter fingerprint);

  // Commits every batch or none; returns one AppendStats per batch. Duplicates are detected
  // against stored events and against earlier events of the same group.
  Result<std::vector<model::AppendStats>> Apply(std::span<const PreparedBatch* const> batches);

  // Deletes sketches and cadence rows of days before `before_day`; returns rows deleted.
  Result<int64_t> PurgeSketchesBefore(int64_t before_day);

  Db& db() { return *db_; }

 private:
  Writer(std::unique_ptr<Db> db, int64_t threshold, Fingerprinter fingerprint)
      : db_(std::move(db)),
        dict_(*db_),
        merge_threshold_(threshold),
        fingerprint_(fingerprint),
        blocks_(*db_) {}

  // The cumulative state of one (series, start) in this transaction.
  struct SeriesState {
    int64_t last_time = 0;
    std::array<int64_t, 8> last{};
    bool dirty = false;
  };

  Status ApplyLocked(std::span<const PreparedBatch* const> batches,
                     std::vector<model::AppendStats>* stats);
  Status ApplyEvent(const model::UsageEvent& e, const KeyFingerprint& key,
                    model::AppendStats* stats);
  Result<bool> IsStored(const KeyFingerprint& key);
  Status WriteChunk();
  Result<std::array<int64_t, 8>> CumulativeDelta(int64_t series, const model::UsageEvent& e,
                                                 const std::array<int64_t, 8>& value);
  Status Flush();
  void CommitCaches();
  void ClearTransactionState();
  Status ReloadTail();
  Status LoadKeyIndex();
  Status MergeKeyIndex();

  std::unique_ptr<Db> db_;
  WriterDictionary dict_;
  int64_t merge_threshold_;
  Fingerprinter fingerprint_;

  KeyTail tail_;      // may hold keys of a rolled-back transaction until reloaded
  KeyBlocks blocks_;  // merged keys, on disk
  KeyFilter filter_;  // over blocks_
  bool tail_valid_ = false;
  bool blocks_loaded_ = false;  // blocks_ and filter_ loaded (by the first Apply)
  int64_t key_index_upto_ = 0;  // keys of chunks with id <= this are in blocks_
  int64_t last_chunk_id_ = 0;

  // The chunk being filled in this transaction.
  std::string chunk_;
  int64_t chunk_events_ = 0, chunk_min_time_ = 0, chunk_max_time_ = 0;

  // Per transaction.
  int64_t inserted_ = 0;
  int64_t committed_strings_upto_ = 0;  // max(strings.id) when the transaction began
  std::string body_;
  std::unordered_map<CellKey, Sums, CellHash> cells_;
  std::unordered_map<CellSessionKey, Sums, CellHash> metric_cells_;
  // Presence rows this transaction touched, not known to be committed: appended per event (a run
  // of one key is appended once), sorted and deduplicated by Flush(), which then inserts them in
  // primary-key order so consecutive inserts land on the same B-tree pages.
  std::vector<CellSessionKey> cell_sessions_;
  std::vector<std::pair<int64_t, int64_t>> session_days_;  // (session, day)
  std::vector<TripleKey> actor_day_models_;
  std::unordered_map<std::pair<int64_t, int64_t>, std::vector<int64_t>, PairHash> cadence_;
  std::unordered_map<std::pair<int64_t, int64_t>, SeriesState, PairHash> series_;

  // Committed presence rows known to exist, so steady-state appends skip the INSERT OR IGNORE.
  // Bounded: cleared when large (a miss only costs a redundant INSERT OR IGNORE).
  std::unordered_set<CellKey, CellHash> known_cells_;  // rows of usage_rollup
  FlatSet<CellSessionKey, CellHash> known_cell_sessions_;
  FlatSet<std::pair<int64_t, int64_t>, PairHash> known_session_days_;
  FlatSet<TripleKey, TripleHash> known_actor_day_models_;

  // One-entry memo per dictionary field: consecutive events mostly repeat their strings.
  struct Memo {
    std::string value;
    int64_t id = -1;
  };
  std::array<Memo, kDictFieldCount + 1> memo_;
};

}  // namespace goodhart::store::internal
