#include "goodhart/api/status_routes.h"

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/base/json_text.h"
#include "goodhart/store/stats_json.h"

namespace goodhart::api {

void AddStatusRoutes(HttpServer& server, const store::Store& store,
                     const IngestCounters& counters) {
  server.routes().Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  server.routes().Get("/readyz", [&store](const httplib::Request&, httplib::Response& res) {
    auto stats = store.Stats();
    if (!stats.ok()) {
      res.status = 503;
      res.set_content(ErrorJson(stats.status()), "application/json");
      return;
    }
    res.set_content(R"({"status":"ready"})", "application/json");
  });
  server.routes().Get("/api/v1/ingest/status",
                      [&](const httplib::Request&, httplib::Response& res) {
                        auto stats = store.Stats();
                        if (!stats.ok()) {
                          res.status = HttpStatusFor(stats.status().code());
                          res.set_content(ErrorJson(stats.status()), "application/json");
                          return;
                        }
                        nlohmann::json j;
                        j["receivers"] = counters.ToJson();
                        j["store"] = store::StatsJson(*stats);
                        res.set_content(JsonText(j), "application/json");
                      });
}

}  // namespace goodhart::api
