#include "goodhart/api/whoami_routes.h"

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/base/json_text.h"

namespace goodhart::api {

void AddWhoamiRoutes(HttpServer& server, const AccessContext& access) {
  server.routes().Get(
      "/api/v1/whoami", [&access](const httplib::Request& req, httplib::Response& res) {
        auto who = Authenticate(req, access);
        if (!who.ok())
          return ReplyAccessError(res, who.status());
        nlohmann::json out = {
            {"principal", who->name},
            {"role", access::RoleName(who->role)},
            {"person", who->person.empty() ? nlohmann::json(nullptr) : nlohmann::json(who->person)},
            {"min_group_size", access.rules.min_group_size}};
        res.set_content(JsonText(out), "application/json");
      });
}

}  // namespace goodhart::api
