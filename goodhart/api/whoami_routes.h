// GET /api/v1/whoami: who the caller's API key stands for, so a client (the dashboard) can show
// what the role may see: {"principal", "role", "person" (a member's person id, else null),
// "min_group_size" (k)}. Without configured keys every caller is the admin "local".
#pragma once

#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"

namespace goodhart::api {

// `access` must outlive the server.
void AddWhoamiRoutes(HttpServer& server, const AccessContext& access);

}  // namespace goodhart::api
