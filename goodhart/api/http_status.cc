#include "goodhart/api/http_status.h"

#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"

namespace goodhart::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return 503;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorJson(const Status& status) {
  nlohmann::json j;
  j["error"]["code"] = std::string(StatusCodeName(status.code()));
  j["error"]["message"] = status.message();
  return JsonText(j);
}

void ReplyError(httplib::Response& res, const Status& status) {
  res.status = HttpStatusFor(status.code());
  if (status.code() == StatusCode::kUnavailable)
    res.set_header("Retry-After", "5");
  res.set_content(ErrorJson(status), "application/json");
}

}  // namespace goodhart::api
