#include "goodhart/review/flag_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/detect/flag_json.h"
#include "goodhart/store/embedded/flags_file.h"

namespace goodhart::review {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// A note's id: unique, so that a note stored twice by a retried request is kept once.
std::string NewNoteId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", rng(), rng());
}

std::string FlagJson(const detect::Flag& f) { return JsonText(detect::ToJson(f)); }

// The stored row for `f`, given what was stored before (metrics.md §5.1): a known flag keeps its
// creation time, review date and shown state and takes the new evidence; a flag stored unshown
// (a held-back candidate, or below materiality) that is now shown starts its subject's turn anew.
// `*added`: new, or newly shown.
store::FlagRow MergeFlag(const store::FlagRow* stored, const detect::Flag& f, int64_t now,
                         bool* added) {
  bool was_shown = stored != nullptr && stored->shown;
  detect::Flag merged = f;
  merged.shown = f.shown || was_shown;
  store::FlagRow row;
  if (stored != nullptr && (was_shown || !f.shown)) {
    row = *stored;
    *added = false;
  } else {
    row = {.id = f.id,
           .detector_id = f.detector_id,
           .subject_kind = std::string(detect::SubjectKindName(f.subject.kind)),
           .subject_id = f.subject.id,
           .team = f.team,
           .period_from_ms = f.period.from_unix_ms,
           .period_to_ms = f.period.to_unix_ms,
           .shown = merged.shown,
           .created_ms = now,
           .review_opens_ms = AddWorkingDays(now, kSubjectWorkingDays)};
    *added = true;
  }
  row.updated_ms = now;
  row.flag_json = FlagJson(merged);
  return row;
}

}  // namespace

int64_t AddWorkingDays(int64_t from_unix_ms, int days) {
  int64_t t = from_unix_ms;
  while (days > 0) {
    t += kDayMs;
    int64_t day = t >= 0 ? t / kDayMs : (t - kDayMs + 1) / kDayMs;
    int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 0 = Monday (1970-01-01: Thursday)
    if (weekday < 5)
      --days;
  }
  return t;
}

const FlagNote* FlagRecord::disposition() const {
  for (auto it = notes.rbegin(); it != notes.rend(); ++it) {
    if (it->kind == "disposition")
      return &*it;
  }
  return nullptr;
}

std::string FlagRecord::Status(int64_t now_unix_ms) const {
  if (disposition() != nullptr)
    return "resolved";
  bool answered = std::any_of(notes.begin(), notes.end(),
                              [](const FlagNote& n) { return n.kind == "annotation"; });
  return answered || now_unix_ms >= review_opens_unix_ms ? "open" : "awaiting_subject";
}

Result<std::unique_ptr<FlagStore>> FlagStore::Open(const std::string& path) {
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<store::ReviewRecords> file, store::OpenFlagsFile(path));
  return std::make_unique<FlagStore>(std::move(file));
}

Result<std::vector<std::string>> FlagStore::Upsert(const std::vector<detect::Flag>& flags,
                                                   int64_t now) {
  std::vector<std::string> ids;
  ids.reserve(flags.size());
  for (const detect::Flag& f : flags)
    ids.push_back(f.id);
  std::vector<std::string> added;
  GOODHART_RETURN_IF_ERROR(records_->UpsertFlags(
      ids, [&](std::vector<store::FlagRow> stored) -> Result<std::vector<store::FlagRow>> {
        added.clear();
        std::map<std::string, store::FlagRow> by_id;
        for (store::FlagRow& row : stored)
          by_id.emplace(row.id, std::move(row));
        std::vector<store::FlagRow> rows;
        for (const detect::Flag& f : flags) {
          auto it = by_id.find(f.id);
          bool is_added = false;
          store::FlagRow row =
              MergeFlag(it == by_id.end() ? nullptr : &it->second, f, now, &is_added);
          if (is_added)
            added.push_back(f.id);
          // A flag listed twice in one call: the second sees the first.
          by_id.insert_or_assign(f.id, row);
          rows.push_back(std::move(row));
        }
        return rows;
      }));
  return added;
}

Result<FlagRecord> FlagStore::ToRecord(store::FlagRow row) const {
  FlagRecord r;
  nlohmann::json j = nlohmann::json::parse(row.flag_json, nullptr, false);
  if (j.is_discarded())
    return Status::DataLoss(fmt::format("flags: {}: the stored flag is not JSON", row.id));
  GOODHART_ASSIGN_OR_RETURN(r.flag, detect::FlagFromJson(j));
  r.created_unix_ms = row.created_ms;
  r.updated_unix_ms = row.updated_ms;
  r.review_opens_unix_ms = row.review_opens_ms;
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::FlagNoteRow> notes, records_->NotesOf(row.id));
  for (store::FlagNoteRow& n : notes) {
    r.notes.push_back({.kind = std::move(n.kind),
                       .author = std::move(n.author),
                       .disposition = std::move(n.disposition),
                       .note = std::move(n.note),
                       .at_unix_ms = n.at_ms});
  }
  return r;
}

Result<std::optional<FlagRecord>> FlagStore::Get(const std::string& id) const {
  GOODHART_ASSIGN_OR_RETURN(std::optional<store::FlagRow> row, records_->GetFlag(id));
  if (!row)
    return std::optional<FlagRecord>();
  GOODHART_ASSIGN_OR_RETURN(FlagRecord r, ToRecord(std::move(*row)));
  return std::optional<FlagRecord>(std::move(r));
}

Result<std::vector<FlagRecord>> FlagStore::List(const FlagFilter& filter) const {
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<store::FlagRow> rows,
      records_->ListFlags({.subject_id = filter.subject_id,
                           .team = filter.team,
                           .detector_id = filter.detector_id,
                           .include_silent = filter.include_silent,
                           .period_overlaps_from = filter.period_overlaps_from,
                           .period_overlaps_to = filter.period_overlaps_to}));
  std::vector<FlagRecord> out;
  out.reserve(rows.size());
  for (store::FlagRow& row : rows) {
    GOODHART_ASSIGN_OR_RETURN(FlagRecord r, ToRecord(std::move(row)));
    out.push_back(std::move(r));
  }
  return out;
}

Status FlagStore::AddNote(const std::string& id, std::string kind, const std::string& author,
                          const std::string& disposition, const std::string& note, int64_t now) {
  return records_->AddNote({.flag_id = id,
                            .note_id = NewNoteId(),
                            .kind = std::move(kind),
                            .author = author,
                            .disposition = disposition,
                            .note = note,
                            .at_ms = now});
}

Status FlagStore::Dispose(const std::string& id, const std::string& disposition,
                          const std::string& note, const std::string& reviewer, int64_t now) {
  if (disposition != "benign" && disposition != "process_issue" &&
      disposition != "confirmed_gaming") {
    return Status::InvalidArgument(fmt::format(
        "flags: disposition: '{}' is not benign|process_issue|confirmed_gaming", disposition));
  }
  if (note.empty())
    return Status::InvalidArgument("flags: note: a disposition records the reviewer's reasons");
  GOODHART_ASSIGN_OR_RETURN(std::optional<FlagRecord> record, Get(id));
  if (!record)
    return Status::NotFound(fmt::format("flags: {}: no such flag", id));
  if (!record->ReviewerMaySee(now)) {
    return Status::FailedPrecondition(
        fmt::format("flags: {}: the subject has until {} to respond before review", id,
                    FormatMillis(record->review_opens_unix_ms)));
  }
  return AddNote(id, "disposition", reviewer, disposition, note, now);
}

Status FlagStore::Annotate(const std::string& id, const std::string& author,
                           const std::string& note, int64_t now) {
  if (note.empty())
    return Status::InvalidArgument("flags: note: empty");
  GOODHART_ASSIGN_OR_RETURN(std::optional<store::FlagRow> row, records_->GetFlag(id));
  if (!row)
    return Status::NotFound(fmt::format("flags: {}: no such flag", id));
  return AddNote(id, "annotation", author, "", note, now);
}

Result<int64_t> FlagStore::PurgeCreatedBefore(int64_t before) {
  return records_->PurgeFlagsCreatedBefore(before);
}

Result<bool> FlagStore::EnqueueAlert(const std::string& id, const std::string& payload,
                                     int64_t now) {
  return records_->EnqueueAlert(id, payload, now);
}

Result<std::vector<Alert>> FlagStore::DueAlerts(int64_t now, int64_t max_attempts) const {
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::AlertRow> rows,
                            records_->DueAlerts(now, max_attempts));
  std::vector<Alert> out;
  out.reserve(rows.size());
  for (store::AlertRow& r : rows) {
    out.push_back({.id = std::move(r.id),
                   .payload = std::move(r.payload),
                   .created_unix_ms = r.created_ms,
                   .attempts = r.attempts,
                   .next_attempt_unix_ms = r.next_attempt_ms,
                   .last_error = std::move(r.last_error)});
  }
  return out;
}

Status FlagStore::MarkAlertSent(const std::string& id, int64_t now) {
  return records_->MarkAlertSent(id, now);
}

Status FlagStore::MarkAlertFailed(const std::string& id, const std::string& error,
                                  int64_t next_attempt) {
  return records_->MarkAlertFailed(id, error, next_attempt);
}

Result<int64_t> FlagStore::SentAlertCount() const { return records_->SentAlertCount(); }

}  // namespace goodhart::review
