// Access to the read API (docs/access.md): the caller's API key (`Authorization: Bearer <key>` or
// `X-Api-Key: <key>`) names a principal with a role; routes check the role, shape what they return
// with access/report_privacy.h, and append every read of person-level data to the audit log
// before answering. Without configured keys every caller is the admin "local" (a server on
// loopback for one operator).
#pragma once

#include <httplib.h>

#include <initializer_list>
#include <string_view>

#include "goodhart/access/api_keys.h"
#include "goodhart/access/audit_log.h"
#include "goodhart/access/report_privacy.h"
#include "goodhart/base/clock.h"

namespace goodhart::api {

struct AccessContext {
  access::ApiKeyRing keys;
  access::PrivacyRules rules;
  access::AuditLog* audit = nullptr;  // must outlive the server
  const Clock* clock = nullptr;       // nullptr: the system clock
};

// 401 (kUnauthenticated) when keys are configured and the request has no matching one.
Result<access::Principal> Authenticate(const httplib::Request& req, const AccessContext& access);

// kPermissionDenied naming `what` unless the principal has one of `roles`.
Status RequireRole(const access::Principal& who, std::initializer_list<access::Role> roles,
                   std::string_view what);

// Appends a read of `subjects`' data by `who` (nothing when `subjects` is empty).
Status AuditRead(const AccessContext& access, const access::Principal& who,
                 const httplib::Request& req, const std::vector<std::string>& subjects);

// ReplyError plus `WWW-Authenticate: Bearer` on a 401.
void ReplyAccessError(httplib::Response& res, const Status& status);

}  // namespace goodhart::api
