// Who is asking: the roles of metrics.md §7 and the principal an API key stands for.
//   admin    everything, including person-level rows (each such read is audited)
//   analyst  team and org aggregates, only where at least k people contributed; never a person
//   member   their own data only (self-view): their person row and their own flags
#pragma once

#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::access {

enum class Role { kAdmin, kAnalyst, kMember };

std::string_view RoleName(Role role);  // "admin", "analyst", "member"
Result<Role> ParseRole(std::string_view name);

struct Principal {
  std::string name;  // the API key's name, "local" without keys, "cli" for a local operator
  Role role = Role::kAdmin;
  std::string person;  // the directory person a member key belongs to
  bool operator==(const Principal&) const = default;
};

}  // namespace goodhart::access
