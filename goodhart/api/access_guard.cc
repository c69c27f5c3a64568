#include "goodhart/api/access_guard.h"

#include <fmt/format.h>

#include <algorithm>

#include "goodhart/api/http_status.h"

namespace goodhart::api {

Result<access::Principal> Authenticate(const httplib::Request& req, const AccessContext& access) {
  std::string key;
  std::string authorization = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() > kBearer.size() &&
      std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                 [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    key = authorization.substr(kBearer.size());
  } else {
    key = req.get_header_value("X-Api-Key");
  }
  std::optional<access::Principal> who = access.keys.Authenticate(key);
  if (!who) {
    return Status::Unauthenticated(
        key.empty() ? "access: no API key (Authorization: Bearer <key> or X-Api-Key)"
                    : "access: the API key is not valid");
  }
  return *who;
}

Status RequireRole(const access::Principal& who, std::initializer_list<access::Role> roles,
                   std::string_view what) {
  if (std::find(roles.begin(), roles.end(), who.role) != roles.end())
    return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("access: {}: not allowed for the {} role", what, access::RoleName(who.role)));
}

Status AuditRead(const AccessContext& access, const access::Principal& who,
                 const httplib::Request& req, const std::vector<std::string>& subjects) {
  if (subjects.empty())
    return Status::Ok();
  if (access.audit == nullptr)
    return Status::Internal("access: no audit log configured");
  std::string detail;
  for (const auto& [name, value] : req.params)
    detail += fmt::format("{}{}={}", detail.empty() ? "" : "&", name, value);
  return access.audit->Append(
      {.time_unix_ms = (access.clock ? *access.clock : SystemClock::Get()).NowMillis(),
       .principal = who.name,
       .role = std::string(access::RoleName(who.role)),
       .action = req.method + " " + req.path,
       .subjects = subjects,
       .detail = detail});
}

void ReplyAccessError(httplib::Response& res, const Status& status) {
  ReplyError(res, status);
  if (status.code() == StatusCode::kUnauthenticated)
    res.set_header("WWW-Authenticate", "Bearer");
}

}  // namespace goodhart::api
