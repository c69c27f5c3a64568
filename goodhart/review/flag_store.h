// FlagStore: the review workflow (metrics.md §5.1 "Workflow") over the store's ReviewRecords
// (store/review_records.h): with the embedded store in <data_dir>/flags.db, with ClickHouse in its
// database, where every goodhart node sees the same flags and dispositions.
//
//   flags       one record per flag id (detector, subject, period): re-running detection updates
//               the evidence of a known flag, never its creation time, review date or decisions
//   notes       the subject's annotations and the reviewer's dispositions, in order
//   alerts      the outbox of alert messages, one per alert id, until delivered
//
// A flag's life: the subject sees it at once (awaiting_subject); the reviewer sees it once the
// subject has answered or 5 working days have passed (open); a disposition (benign,
// process_issue, confirmed_gaming) resolves it. Nothing else is automatic. Records older than the
// retention (12 months) are purged by PurgeCreatedBefore.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/detect/flag.h"
#include "goodhart/store/review_records.h"

namespace goodhart::review {

inline constexpr int kSubjectWorkingDays = 5;

struct FlagNote {
  std::string kind;         // "annotation" | "disposition"
  std::string author;       // principal name
  std::string disposition;  // benign | process_issue | confirmed_gaming (dispositions only)
  std::string note;
  int64_t at_unix_ms = 0;
  bool operator==(const FlagNote&) const = default;
};

struct FlagRecord {
  detect::Flag flag;
  int64_t created_unix_ms = 0, updated_unix_ms = 0;
  int64_t review_opens_unix_ms = 0;  // created + 5 working days
  std::vector<FlagNote> notes;       // oldest first

  // The latest disposition, if any.
  const FlagNote* disposition() const;
  // "resolved", "open" (the reviewer may decide) or "awaiting_subject".
  std::string Status(int64_t now_unix_ms) const;
  bool ReviewerMaySee(int64_t now_unix_ms) const {
    return Status(now_unix_ms) != "awaiting_subject";
  }
};

struct FlagFilter {
  std::optional<std::string> subject_id;  // a person, team, service or pipeline id
  std::optional<std::string> team;
  std::optional<std::string> detector_id;
  bool include_silent = false;  // flags below materiality (never shown to people)
  std::optional<int64_t> period_overlaps_from, period_overlaps_to;
};

struct Alert {
  std::string id;
  std::string payload;  // the JSON body to post
  int64_t created_unix_ms = 0;
  int64_t attempts = 0;
  int64_t next_attempt_unix_ms = 0;
  std::string last_error;
};

class FlagStore {
 public:
  // Over a flags file: opens or creates `path` (store/embedded/flags_file.h).
  static Result<std::unique_ptr<FlagStore>> Open(const std::string& path);
  // Over `records`, which must outlive the FlagStore (a store's review_records()).
  explicit FlagStore(store::ReviewRecords& records) : records_(&records) {}
  explicit FlagStore(std::unique_ptr<store::ReviewRecords> records)
      : owned_(std::move(records)), records_(owned_.get()) {}

  // Inserts new flags (review opens 5 working days after `now`) and refreshes known ones. A shown
  // flag stays shown; a flag recorded unshown that is now shown starts its subject's turn anew.
  // Returns the ids that are new, or newly shown.
  Result<std::vector<std::string>> Upsert(const std::vector<detect::Flag>& flags,
                                          int64_t now_unix_ms);

  Result<std::optional<FlagRecord>> Get(const std::string& id) const;
  // Matching flags, newest period first.
  Result<std::vector<FlagRecord>> List(const FlagFilter& filter) const;

  // NotFound for an unknown id; InvalidArgument for another disposition; FailedPrecondition
  // while the subject's 5 working days run and they have not answered.
  Status Dispose(const std::string& id, const std::string& disposition, const std::string& note,
                 const std::string& reviewer, int64_t now_unix_ms);
  // The subject's (or an admin's) comment; it also opens the review early.
  Status Annotate(const std::string& id, const std::string& author, const std::string& note,
                  int64_t now_unix_ms);

  // Deletes flags created before `before` with their notes; returns how many.
  Result<int64_t> PurgeCreatedBefore(int64_t before_unix_ms);

  // Alert outbox. Enqueue is a no-op for an id already queued or sent: no duplicates.
  Result<bool> EnqueueAlert(const std::string& id, const std::string& payload, int64_t now_unix_ms);
  Result<std::vector<Alert>> DueAlerts(int64_t now_unix_ms, int64_t max_attempts) const;
  Status MarkAlertSent(const std::string& id, int64_t now_unix_ms);
  Status MarkAlertFailed(const std::string& id, const std::string& error,
                         int64_t next_attempt_unix_ms);
  // Sent alerts (for the API and tests).
  Result<int64_t> SentAlertCount() const;

  // Differs after any change to the flags or notes, by this process or another (a CLI
  // disposition beside a running server, another node): lets report caches see that ND* may have
  // changed.
  Result<int64_t> ChangeStamp() const { return records_->ChangeStamp(); }

 private:
  Result<FlagRecord> ToRecord(store::FlagRow row) const;
  Status AddNote(const std::string& id, std::string kind, const std::string& author,
                 const std::string& disposition, const std::string& note, int64_t now_unix_ms);

  std::unique_ptr<store::ReviewRecords> owned_;
  store::ReviewRecords* records_;
};

// `from` plus `days` working days (Monday-Friday, UTC), at the same time of day.
int64_t AddWorkingDays(int64_t from_unix_ms, int days);

}  // namespace goodhart::review
