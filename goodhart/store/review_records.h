// ReviewRecords: where the review workflow (metrics.md §5.1) keeps its records: flags, the notes on
// them (subjects' annotations, reviewers' dispositions) and the alert outbox. The workflow itself
// (who may dispose when, which flag is new) is review::FlagStore; this interface only stores rows,
// so that every store backend can hold them:
//
//   - the embedded store keeps them in <data_dir>/flags.db (store/embedded/flags_file.h), a small
//     SQLite file beside the event store;
//   - ClickHouse keeps them in its database, so every goodhart node in front of it sees the same
//     flags and dispositions (issue #8: no detector state or disposition lives in a node).
//
// A flag is opaque to the store: its JSON plus the columns the workflow filters and sorts on.
// Conformance: review/testing/flag_store_conformance.h runs the workflow over every backend.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::store {

struct FlagRow {
  std::string id;  // detect::FlagId(detector, subject, period): the same flag has the same id
  std::string detector_id;
  std::string subject_kind;
  std::string subject_id;
  std::string team;
  int64_t period_from_ms = 0;
  int64_t period_to_ms = 0;
  bool shown = false;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t review_opens_ms = 0;
  std::string flag_json;
  bool operator==(const FlagRow&) const = default;
};

struct FlagRowFilter {
  std::optional<std::string> subject_id;
  std::optional<std::string> team;
  std::optional<std::string> detector_id;
  bool include_silent = false;  // also rows with shown = false
  std::optional<int64_t> period_overlaps_from, period_overlaps_to;
};

struct FlagNoteRow {
  std::string flag_id;
  // Unique per note (chosen by the writer): a note written twice by a retried request is one.
  std::string note_id;
  std::string kind;  // "annotation" | "disposition"
  std::string author;
  std::string disposition;
  std::string note;
  int64_t at_ms = 0;
  bool operator==(const FlagNoteRow&) const = default;
};

struct AlertRow {
  std::string id;
  std::string payload;
  int64_t created_ms = 0;
  int64_t attempts = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;
  std::optional<int64_t> sent_ms;
};

// Thread-safe.
class ReviewRecords {
 public:
  virtual ~ReviewRecords() = default;

  // Reads the stored rows of `ids` (those that exist, in any order), passes them to `merge`, and
  // stores the rows it returns, each replacing the row of its id. The embedded file does this in
  // one transaction; ClickHouse has none, so two nodes upserting the same flag at the same moment
  // both write and the later write wins (both computed it from the same detection data).
  using FlagMerge = std::function<Result<std::vector<FlagRow>>(std::vector<FlagRow> stored)>;
  virtual Status UpsertFlags(std::span<const std::string> ids, const FlagMerge& merge) = 0;

  virtual Result<std::optional<FlagRow>> GetFlag(const std::string& id) const = 0;
  // Matching rows ordered by period_from descending, then detector_id, then subject_id.
  virtual Result<std::vector<FlagRow>> ListFlags(const FlagRowFilter& filter) const = 0;

  // The notes of each flag, oldest first (by at_ms, then in the order they were added).
  virtual Result<std::vector<FlagNoteRow>> NotesOf(const std::string& flag_id) const = 0;
  // Storing a note_id already stored stores nothing.
  virtual Status AddNote(const FlagNoteRow& note) = 0;

  // Deletes the flags created before `before_ms`, with their notes; returns how many flags.
  virtual Result<int64_t> PurgeFlagsCreatedBefore(int64_t before_ms) = 0;

  // Alert outbox. Enqueue stores nothing for an id already queued or sent, and returns false.
  virtual Result<bool> EnqueueAlert(const std::string& id, const std::string& payload,
                                    int64_t now_ms) = 0;
  // Unsent alerts due at `now_ms` with fewer than `max_attempts` attempts, oldest first.
  virtual Result<std::vector<AlertRow>> DueAlerts(int64_t now_ms, int64_t max_attempts) const = 0;
  virtual Status MarkAlertSent(const std::string& id, int64_t now_ms) = 0;
  virtual Status MarkAlertFailed(const std::string& id, const std::string& error,
                                 int64_t next_attempt_ms) = 0;
  virtual Result<int64_t> SentAlertCount() const = 0;

  // Differs after a change to flags or notes, by this process or another (a CLI disposition
  // beside a running server, or another node): report caches compare it to see that ND* may
  // have changed. A backend may answer a value up to a second old for other processes' changes.
  virtual Result<int64_t> ChangeStamp() const = 0;
};

}  // namespace goodhart::store
