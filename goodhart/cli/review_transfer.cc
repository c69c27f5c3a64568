#include "goodhart/cli/review_transfer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "goodhart/base/json_text.h"

namespace goodhart::cli {
namespace {

using nlohmann::json;

json FlagJson(const store::FlagRow& r) {
  return {{"id", r.id},
          {"detector_id", r.detector_id},
          {"subject_kind", r.subject_kind},
          {"subject_id", r.subject_id},
          {"team", r.team},
          {"period_from_ms", r.period_from_ms},
          {"period_to_ms", r.period_to_ms},
          {"shown", r.shown},
          {"created_ms", r.created_ms},
          {"updated_ms", r.updated_ms},
          {"review_opens_ms", r.review_opens_ms},
          {"flag_json", r.flag_json}};
}

store::FlagRow FlagFromJson(const json& j) {
  return {.id = j.at("id").get<std::string>(),
          .detector_id = j.at("detector_id").get<std::string>(),
          .subject_kind = j.at("subject_kind").get<std::string>(),
          .subject_id = j.at("subject_id").get<std::string>(),
          .team = j.at("team").get<std::string>(),
          .period_from_ms = j.at("period_from_ms").get<int64_t>(),
          .period_to_ms = j.at("period_to_ms").get<int64_t>(),
          .shown = j.at("shown").get<bool>(),
          .created_ms = j.at("created_ms").get<int64_t>(),
          .updated_ms = j.at("updated_ms").get<int64_t>(),
          .review_opens_ms = j.at("review_opens_ms").get<int64_t>(),
          .flag_json = j.at("flag_json").get<std::string>()};
}

json NoteJson(const store::FlagNoteRow& n) {
  return {{"note_id", n.note_id},         {"kind", n.kind}, {"author", n.author},
          {"disposition", n.disposition}, {"note", n.note}, {"at_ms", n.at_ms}};
}

store::FlagNoteRow NoteFromJson(const std::string& flag_id, const json& j) {
  return {.flag_id = flag_id,
          .note_id = j.at("note_id").get<std::string>(),
          .kind = j.at("kind").get<std::string>(),
          .author = j.at("author").get<std::string>(),
          .disposition = j.at("disposition").get<std::string>(),
          .note = j.at("note").get<std::string>(),
          .at_ms = j.at("at_ms").get<int64_t>()};
}

}  // namespace

Result<int64_t> ExportReviewRecords(store::Store& store,
                                    const std::function<Status(std::string_view)>& line) {
  GOODHART_ASSIGN_OR_RETURN(store::ReviewRecords * records, store.review_records());
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::FlagRow> flags,
                            records->ListFlags({.include_silent = true}));
  for (const store::FlagRow& flag : flags) {
    GOODHART_ASSIGN_OR_RETURN(std::vector<store::FlagNoteRow> notes, records->NotesOf(flag.id));
    json j = {{"flag", FlagJson(flag)}, {"notes", json::array()}};
    for (const store::FlagNoteRow& n : notes)
      j["notes"].push_back(NoteJson(n));
    GOODHART_RETURN_IF_ERROR(line(JsonText(j)));
  }
  return static_cast<int64_t>(flags.size());
}

Status ImportReviewRecord(store::Store& store, std::string_view line, std::string_view where,
                          bool* added) {
  store::FlagRow flag;
  std::vector<store::FlagNoteRow> notes;
  try {
    json j = json::parse(line);
    flag = FlagFromJson(j.at("flag"));
    for (const json& n : j.at("notes"))
      notes.push_back(NoteFromJson(flag.id, n));
  } catch (const json::exception& e) {
    return Status::DataLoss(fmt::format("store import: {}: {}", where, e.what()));
  }
  if (flag.id.empty())
    return Status::DataLoss(fmt::format("store import: {}: a flag without an id", where));
  GOODHART_ASSIGN_OR_RETURN(store::ReviewRecords * records, store.review_records());
  *added = false;
  const std::string ids[] = {flag.id};
  Status upserted = records->UpsertFlags(
      ids, [&](std::vector<store::FlagRow> stored) -> Result<std::vector<store::FlagRow>> {
        if (!stored.empty())
          return std::vector<store::FlagRow>{};  // the store's own state of it wins
        *added = true;
        return std::vector<store::FlagRow>{flag};
      });
  if (!upserted.ok())
    return upserted.WithPrefix(fmt::format("store import: {}", where));
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::FlagNoteRow> stored_notes,
                            records->NotesOf(flag.id));
  std::set<std::string> known;
  for (const store::FlagNoteRow& n : stored_notes)
    known.insert(n.note_id);
  for (const store::FlagNoteRow& n : notes) {
    if (known.contains(n.note_id))
      continue;
    Status s = records->AddNote(n);
    if (!s.ok())
      return s.WithPrefix(fmt::format("store import: {}", where));
    *added = true;
  }
  return Status::Ok();
}

}  // namespace goodhart::cli
