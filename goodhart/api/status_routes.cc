#include "goodhart/api/status_routes.h"

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"

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
                        j["store"] = {{"usage_events", stats->usage_events},
                                      {"rollup_rows", stats->rollup_rows},
                                      {"prompt_sketches", stats->prompt_sketches},
                                      {"bytes_on_disk", stats->bytes_on_disk},
                                      {"schema_version", stats->schema_version},
                                      {"commits", stats->commits},
                                      {"changes", stats->changes},
                                      {"reviews", stats->reviews},
                                      {"releases", stats->releases},
                                      {"pipeline_runs", stats->pipeline_runs},
                                      {"deployments", stats->deployments},
                                      {"incidents", stats->incidents},
                                      {"raw_deliveries", stats->raw_deliveries},
                                      {"directory_versions", stats->directory_versions}};
                        res.set_content(j.dump(), "application/json");
                      });
}

}  // namespace goodhart::api
