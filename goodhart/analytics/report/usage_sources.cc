#include "goodhart/analytics/report/usage_sources.h"

#include <set>
#include <string>
#include <tuple>

#include "goodhart/analytics/companion/cost_per_nd.h"
#include "goodhart/analytics/companion/identity.h"

namespace goodhart::analytics::report {

SourceGrade GradeOf(std::string_view source) {
  if (source == "otlp_logs" || source == "otlp_traces" || source == "otlp_metrics")
    return SourceGrade::kTelemetry;
  if (source == "claude_code_report" || source == "copilot_usage" ||
      source == "anthropic_analytics")
    return SourceGrade::kDailyReport;
  return SourceGrade::kOther;
}

SetAsideUsage SetAsideReportsCoveredByTelemetry(std::vector<store::UsageRollupRow>& rows,
                                                const IdentityResolver& resolve) {
  using Key = std::tuple<std::string, int64_t, std::string>;  // person, day, tool
  // A person id, else (the directory does not know the identity) the identity itself.
  auto key_of = [&](const store::UsageRollupRow& r) {
    std::string person = resolve ? resolve(r.actor) : std::string();
    if (person.empty())
      person = "identity:" + companion::ResolvePerson({}, r.actor);
    return Key{std::move(person), r.day, r.tool};
  };
  std::set<Key> covered;
  bool any_report = false;
  for (const store::UsageRollupRow& r : rows) {
    const SourceGrade grade = GradeOf(r.source);
    any_report = any_report || grade == SourceGrade::kDailyReport;
    if (grade == SourceGrade::kTelemetry && !r.actor.empty())
      covered.insert(key_of(r));
  }
  SetAsideUsage out;
  if (!any_report || covered.empty())
    return out;
  std::erase_if(rows, [&](const store::UsageRollupRow& r) {
    if (GradeOf(r.source) != SourceGrade::kDailyReport || r.actor.empty() ||
        !covered.contains(key_of(r)))
      return false;
    out.rows += 1;
    out.tokens += r.tokens.Total();
    out.cost_micros += companion::CellSpendMicros(r);
    return true;
  });
  return out;
}

IdentityResolver PersonResolver(const directory::Directory* dir) {
  if (dir == nullptr)
    return {};
  return [dir](std::string_view identity) -> std::string {
    directory::Resolution r = dir->Resolve(identity);
    return r.kind == directory::IdentityKind::kPerson ? r.person_id : "";
  };
}

}  // namespace goodhart::analytics::report
