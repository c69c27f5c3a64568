#include "goodhart/review/flag_record_json.h"

#include "goodhart/base/time.h"
#include "goodhart/detect/flag_json.h"

namespace goodhart::review {

nlohmann::json FlagRecordJson(const FlagRecord& r, int64_t now) {
  nlohmann::json j = detect::ToJson(r.flag);
  j["status"] = r.Status(now);
  j["created"] = FormatMillis(r.created_unix_ms);
  j["review_opens"] = FormatMillis(r.review_opens_unix_ms);
  nlohmann::json notes = nlohmann::json::array();
  for (const FlagNote& n : r.notes) {
    nlohmann::json note = {{"kind", n.kind},
                           {"author", n.author},
                           {"note", n.note},
                           {"at", FormatMillis(n.at_unix_ms)}};
    if (n.kind == "disposition")
      note["disposition"] = n.disposition;
    notes.push_back(note);
  }
  j["notes"] = notes;
  const FlagNote* d = r.disposition();
  j["disposition"] = d ? nlohmann::json(d->disposition) : nlohmann::json(nullptr);
  return j;
}

}  // namespace goodhart::review
