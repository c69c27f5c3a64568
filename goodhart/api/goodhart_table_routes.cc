#include "goodhart/api/goodhart_table_routes.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goodhart/api/http_status.h"

namespace goodhart::api {

void AddGoodhartTableRoutes(HttpServer& server, const std::string& data_dir,
                            const AccessContext& access) {
  std::string path = data_dir + "/goodhart-table.json";
  server.routes().Get("/api/v1/goodhart-table", [path, &access](const httplib::Request& req,
                                                                httplib::Response& res) {
    auto who = Authenticate(req, access);
    if (!who.ok())
      return ReplyAccessError(res, who.status());
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return ReplyError(
          res, Status::NotFound("goodhart-table: no goodhart-table.json in the data directory "
                                "(write it with goodhart simulate --format json --out "
                                "<data_dir>/goodhart-table.json)"));
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    if (!nlohmann::json::accept(body)) {
      return ReplyError(
          res, Status::DataLoss("goodhart-table: goodhart-table.json in the data directory is not "
                                "JSON"));
    }
    res.set_content(body, "application/json");
  });
}

}  // namespace goodhart::api
