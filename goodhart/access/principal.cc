#include "goodhart/access/principal.h"

#include <fmt/format.h>

namespace goodhart::access {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kAnalyst:
      return "analyst";
    case Role::kMember:
      return "member";
  }
  return "member";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "admin")
    return Role::kAdmin;
  if (name == "analyst")
    return Role::kAnalyst;
  if (name == "member")
    return Role::kMember;
  return Status::InvalidArgument(
      fmt::format("access: role: '{}' is not admin|analyst|member", name));
}

}  // namespace goodhart::access
