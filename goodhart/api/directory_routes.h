// The directory over HTTP:
//   PUT /api/v1/directory           body: the directory YAML (JSON works too); validated, stored
//                                   as the next version; 400 naming the bad field
//   GET /api/v1/directory           the current version: metadata, counts and the YAML text
//   GET /api/v1/directory/versions  every version, oldest first, without the text
#pragma once

#include "goodhart/api/http_server.h"
#include "goodhart/base/clock.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store` must outlive the server; `clock` nullptr: the system clock.
void AddDirectoryRoutes(HttpServer& server, store::Store& store, const Clock* clock = nullptr);

}  // namespace goodhart::api
