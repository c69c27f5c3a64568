#include "goodhart/review/report_flags.h"

namespace goodhart::review {

namespace {

// The behaviours ND itself credits: confirmed, their ND effect is taken out of ND*. The other
// detectors confirm what ND's gates already gave nothing (a bypassed review has R = 0, re-applied
// content is credited once, a no-op deployment is no QPD) or concern cost, not ND.
bool InflatesNd(const std::string& detector_id) {
  return detector_id == "D7" || detector_id == "D10";
}

}  // namespace

std::vector<analytics::report::PersonFlag> PersonFlags(const std::vector<FlagRecord>& records,
                                                       int64_t now) {
  std::vector<analytics::report::PersonFlag> out;
  for (const FlagRecord& r : records) {
    if (r.flag.subject.kind != detect::SubjectKind::kPerson || !r.flag.shown)
      continue;
    const FlagNote* d = r.disposition();
    out.push_back({.flag_id = r.flag.id,
                   .person = r.flag.subject.id,
                   .detector_id = r.flag.detector_id,
                   .status = r.Status(now),
                   .disposition = d ? d->disposition : "",
                   .period_from_unix_ms = r.flag.period.from_unix_ms,
                   .period_to_unix_ms = r.flag.period.to_unix_ms,
                   .nd_effect = InflatesNd(r.flag.detector_id) ? r.flag.materiality.nd_effect : 0});
  }
  return out;
}

Result<std::vector<analytics::report::PersonFlag>> LoadPersonFlags(const FlagStore& store,
                                                                   int64_t from, int64_t to,
                                                                   int64_t now) {
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRecord> records,
                            store.List({.period_overlaps_from = from, .period_overlaps_to = to}));
  return PersonFlags(records, now);
}

}  // namespace goodhart::review
