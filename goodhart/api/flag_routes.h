// The review workflow over HTTP (issue #5, metrics.md §5.1):
//   GET  /api/v1/flags?person=&team=&detector=   flags the caller may see, newest period first
//   GET  /api/v1/flags/{id}                      one flag with evidence, explanation and notes
//   POST /api/v1/flags/{id}/disposition          {"disposition": "benign|process_issue|
//                                                "confirmed_gaming", "note": "..."}: admin only,
//                                                once the subject's turn is over (409 before)
//   POST /api/v1/flags/{id}/annotation           {"note": "..."}: the flag's subject or an admin
// Who sees what: a member sees the flags about themselves, at once (the subject sees a flag
// first); an admin (the reviewer) sees flags about people only once their review is open, and
// every other flag; an analyst sees flags about teams, services and pipelines only. A flag the
// caller may not see is 404, as if it did not exist. Reads of flags about people are audited.
#pragma once

#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"
#include "goodhart/review/flag_store.h"

namespace goodhart::api {

// Whether `who` may see the flag at `now_unix_ms`, by the rules above.
bool MaySeeFlag(const access::Principal& who, const review::FlagRecord& record,
                int64_t now_unix_ms);

// `flags` and `access` must outlive the server.
void AddFlagRoutes(HttpServer& server, review::FlagStore& flags, const AccessContext& access);

}  // namespace goodhart::api
