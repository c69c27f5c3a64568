// What a DORA computation covers: the organisation, one team (the services it owns in the
// directory), or one service; and the period [from, to).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goodhart::analytics::dora {

enum class ScopeKind { kOrg, kTeam, kService };
// "org", "team", "service".
std::string_view ScopeKindName(ScopeKind kind);

struct DoraScope {
  ScopeKind kind = ScopeKind::kOrg;
  std::string id;  // team id or service id; "" for the organisation
  bool operator==(const DoraScope&) const = default;
};

}  // namespace goodhart::analytics::dora
