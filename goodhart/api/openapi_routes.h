// GET /api/v1/openapi.json: the OpenAPI 3 description of every route, kept in the repository as
// goodhart/api/openapi/openapi.json and compiled into the binary (tests/integration/openapi_test.cc
// validates it and calls every documented operation).
#pragma once

#include "goodhart/api/http_server.h"

namespace goodhart::api {

extern const char kOpenApiDocument[];

void AddOpenApiRoutes(HttpServer& server);

}  // namespace goodhart::api
