// The directory over HTTP:
//   PUT /api/v1/directory           body: the directory YAML (JSON works too); validated, stored
//                                   as the next version; 400 naming the bad field
//   GET /api/v1/directory           the current version: metadata, counts and the YAML text
//   GET /api/v1/directory/versions  every version, oldest first, without the text
// The directory lists people and their emails: every route is for the admin role (401/403
// otherwise, api/access_guard.h).
#pragma once

#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store` and `access` must outlive the server.
void AddDirectoryRoutes(HttpServer& server, store::Store& store, const AccessContext& access);

}  // namespace goodhart::api
