#include "goodhart/access/report_privacy.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace goodhart::access {
namespace {

using nlohmann::json;

int64_t Contributors(const json& team) {
  auto it = team.find("contributors");
  return it != team.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

json Suppressed(const json& team, const std::string& reason) {
  return {{"team", team.value("team", "")},
          {"name", team.value("name", "")},
          {"members", team.value("members", 0)},
          {"suppressed", true},
          {"suppressed_reason", reason}};
}

void AddNote(json& report, std::string note) {
  if (!report.contains("notes") || !report["notes"].is_array())
    report["notes"] = json::array();
  report["notes"].push_back(std::move(note));
}

void SuppressForAnalyst(json& report, const PrivacyRules& rules, PrivacyOutcome& out) {
  const int64_t k = rules.min_group_size;
  json& teams = report["teams"];
  int64_t org_contributors = 0;
  for (const json& t : teams)
    org_contributors += Contributors(t);

  std::map<std::string, std::string> reason;  // team id -> why it is suppressed
  for (const json& t : teams) {
    int64_t c = Contributors(t);
    std::string id = t.value("team", "");
    if (c < k) {
      reason[id] = fmt::format("fewer than {} contributors", k);
    } else if (org_contributors - c > 0 && org_contributors - c < k) {
      reason[id] = fmt::format(
          "differs from the organisation by fewer than {} contributors (differencing)", k);
    }
  }
  // Complementary suppression: the hidden teams together must hold k contributors or none.
  auto hidden = [&] {
    int64_t sum = 0;
    for (const json& t : teams) {
      if (reason.count(t.value("team", "")))
        sum += Contributors(t);
    }
    return sum;
  };
  while (hidden() > 0 && hidden() < k) {
    const json* smallest = nullptr;
    for (const json& t : teams) {
      if (!reason.count(t.value("team", "")) &&
          (smallest == nullptr || Contributors(t) < Contributors(*smallest))) {
        smallest = &t;
      }
    }
    if (smallest == nullptr)
      break;
    reason[smallest->value("team", "")] = fmt::format(
        "suppressed with a smaller team so that the organisation total does not reveal a group "
        "of fewer than {} contributors",
        k);
  }
  for (json& t : teams) {
    std::string id = t.value("team", "");
    if (auto it = reason.find(id); it != reason.end()) {
      t = Suppressed(t, it->second);
      out.suppressed_teams.push_back(id);
    }
  }
  if (org_contributors < k) {
    report["org"] = {{"suppressed", true},
                     {"suppressed_reason", fmt::format("fewer than {} contributors", k)}};
    out.org_suppressed = true;
  }
  if (!out.suppressed_teams.empty() || out.org_suppressed) {
    AddNote(report, fmt::format("{} team aggregate(s){} suppressed to protect individuals "
                                "(fewer than {} contributors, or differencing)",
                                out.suppressed_teams.size(),
                                out.org_suppressed ? " and the organisation" : "", k));
  }
}

}  // namespace

PrivacyOutcome ApplyReportPrivacy(json& report, const Principal& who, const PrivacyRules& rules,
                                  std::string_view team_filter) {
  PrivacyOutcome out;
  if (!report.contains("teams") || !report["teams"].is_array())
    report["teams"] = json::array();
  switch (who.role) {
    case Role::kAdmin:
      break;
    case Role::kAnalyst:
      report.erase("people");
      SuppressForAnalyst(report, rules, out);
      break;
    case Role::kMember: {
      json own = json::array();
      if (report.contains("people")) {
        for (const json& p : report["people"]) {
          if (p.value("person", "") == who.person)
            own.push_back(p);
        }
      }
      report.erase("org");
      report.erase("teams");
      report["people"] = std::move(own);
      break;
    }
  }
  if (!team_filter.empty() && report.contains("teams")) {
    json kept = json::array();
    for (const json& t : report["teams"]) {
      if (t.value("team", "") == team_filter)
        kept.push_back(t);
    }
    report["teams"] = std::move(kept);
    if (report.contains("people")) {
      json people = json::array();
      for (const json& p : report["people"]) {
        if (p.value("team", "") == team_filter || who.role == Role::kMember)
          people.push_back(p);
      }
      report["people"] = std::move(people);
    }
  }
  if (report.contains("people")) {
    for (const json& p : report["people"])
      out.people_read.push_back(p.value("person", ""));
  }
  return out;
}

}  // namespace goodhart::access
