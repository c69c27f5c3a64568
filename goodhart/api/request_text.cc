#include "goodhart/api/request_text.h"

#include <fmt/format.h>

#include "goodhart/base/utf8.h"

namespace goodhart::api {

Status CheckRequestText(const httplib::Request& req) {
  if (!IsUtf8(req.path)) {
    return Status::InvalidArgument("http: path: not UTF-8");
  }
  for (const auto& [name, value] : req.params) {
    if (!IsUtf8(name)) {
      return Status::InvalidArgument("http: query parameter name: not UTF-8");
    }
    if (!IsUtf8(value)) {
      return Status::InvalidArgument(fmt::format("http: query parameter '{}': not UTF-8", name));
    }
  }
  return Status::Ok();
}

}  // namespace goodhart::api
