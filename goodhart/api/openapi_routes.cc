#include "goodhart/api/openapi_routes.h"

namespace goodhart::api {

void AddOpenApiRoutes(HttpServer& server) {
  server.routes().Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApiDocument, "application/json");
  });
}

}  // namespace goodhart::api
