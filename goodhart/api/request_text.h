// The parts of a request that routes read as text must be UTF-8: the path and the query
// parameters' values (after percent-decoding). CheckRequestText says which part is not, so the
// server answers 400 before any route echoes the bytes into JSON or the audit log.
#pragma once

#include <httplib.h>

#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::api {

// InvalidArgument "http: query parameter 'from': not UTF-8" (or "http: path: not UTF-8").
Status CheckRequestText(const httplib::Request& req);

}  // namespace goodhart::api
