// GET /api/v1/goodhart-table: the Goodhart test's result (metrics.md §6, docs/simulate.md) for the
// dashboard, exactly as `goodhart simulate --format json` wrote it to
// `<data_dir>/goodhart-table.json` (the demo writes it there). Synthetic engineers only, so any
// role may read it. Absent: 404 in the API's error shape; not JSON: 500.
#pragma once

#include <string>

#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"

namespace goodhart::api {

// `access` must outlive the server. The file is read on every request, so a new simulation shows
// without a restart.
void AddGoodhartTableRoutes(HttpServer& server, const std::string& data_dir,
                            const AccessContext& access);

}  // namespace goodhart::api
