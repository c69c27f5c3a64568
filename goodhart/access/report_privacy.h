// The aggregation rules of metrics.md §7 applied to a report document (analytics/report/report.h)
// before it leaves the API:
//   admin    the report as built; person rows only when asked for (and audited by the caller)
//   analyst  no person rows. A team's aggregate is published only when it has at least k distinct
//            contributors (k = access.min_group_size, default 5). Differencing: when the org and a
//            team differ by fewer than k contributors, the team (the smaller) is suppressed; when
//            the suppressed teams together hold fewer than k contributors, the org total minus
//            the published teams would give them away, so the smallest published team is
//            suppressed too, until the hidden group reaches k. An org with fewer than k
//            contributors is suppressed whole.
//   member   only their own person row: no org, no teams.
// Suppression is decided over every team of the period, before a team filter picks one, so
// asking for each team separately reveals no more than asking for all.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/access/principal.h"

namespace goodhart::access {

struct PrivacyRules {
  int min_group_size = 5;
};

struct PrivacyOutcome {
  std::vector<std::string> suppressed_teams;
  bool org_suppressed = false;
  std::vector<std::string> people_read;  // person ids whose rows remain (for the audit log)
};

// `report` must have been built for every team (no team filter) and, for an admin who asked or a
// member, with person rows. `team_filter` ("" for all) is applied afterwards.
PrivacyOutcome ApplyReportPrivacy(nlohmann::json& report, const Principal& who,
                                  const PrivacyRules& rules, std::string_view team_filter);

}  // namespace goodhart::access
