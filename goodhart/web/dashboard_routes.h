// Serves the web dashboard (docs/dashboard.md) from the files compiled into the binary: "/" is
// index.html (revalidated on every load, so a new binary's dashboard shows at once), and
// "/assets/<name>-<hash>.<ext>" are content-hashed and cached for a year. No file is read from
// disk and nothing is fetched from the internet. The dashboard reads the JSON API with the
// user's API key; these routes themselves need no key (the files hold no data).
#pragma once

#include <string_view>

#include "goodhart/api/http_server.h"

namespace goodhart::web {

// Add after every API route: "/" and "/assets/..." match nothing else.
void AddDashboardRoutes(api::HttpServer& server);

// "text/javascript; charset=utf-8" for "x.js"; "application/octet-stream" when unknown.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace goodhart::web
