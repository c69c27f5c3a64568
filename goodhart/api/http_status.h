// Maps Status codes to HTTP statuses and renders goodhart's one JSON error shape:
//   {"error": {"code": "INVALID_ARGUMENT", "message": "otlp_http: ...: ..."}}
#pragma once

#include <httplib.h>

#include <string>

#include "goodhart/base/status.h"

namespace goodhart::api {

// kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403, kNotFound 404,
// kAlreadyExists/kFailedPrecondition 409, kResourceExhausted 429, kUnimplemented 501,
// kUnavailable/kDeadlineExceeded 503, the rest 500.
int HttpStatusFor(StatusCode code);

std::string ErrorJson(const Status& status);

// Answers `res` with HttpStatusFor(status), ErrorJson(status), and Retry-After on a 503.
void ReplyError(httplib::Response& res, const Status& status);

}  // namespace goodhart::api
