#include "goodhart/api/directory_routes.h"

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory_versions.h"

namespace goodhart::api {
namespace {

nlohmann::json VersionJson(const store::DirectoryVersion& v) {
  return {{"version", v.version},
          {"imported_at", FormatMillis(v.imported_unix_ms)},
          {"content_hash", v.content_hash}};
}

// The admin principal of the request, or the error already answered.
bool AdminOnly(const httplib::Request& req, httplib::Response& res, const AccessContext& access) {
  auto who = Authenticate(req, access);
  Status s = who.ok() ? RequireRole(*who, {access::Role::kAdmin}, "directory") : who.status();
  if (!s.ok())
    ReplyAccessError(res, s);
  return s.ok();
}

}  // namespace

void AddDirectoryRoutes(HttpServer& server, store::Store& store, const AccessContext& access) {
  const Clock* clock = access.clock;
  server.routes().Put("/api/v1/directory", [&store, clock, &access](const httplib::Request& req,
                                                                    httplib::Response& res) {
    if (!AdminOnly(req, res, access))
      return;
    int64_t now = (clock ? *clock : SystemClock::Get()).NowMillis();
    auto imported = directory::ImportDirectory(store, req.body, now);
    if (!imported.ok())
      return ReplyError(res, imported.status());
    nlohmann::json body = VersionJson(imported->version);
    body["changed"] = imported->changed;
    body["people"] = imported->people;
    body["teams"] = imported->teams;
    body["services"] = imported->services;
    body["bots"] = imported->bots;
    res.status = imported->changed ? 201 : 200;
    res.set_content(JsonText(body), "application/json");
  });

  server.routes().Get("/api/v1/directory", [&store, &access](const httplib::Request& req,
                                                             httplib::Response& res) {
    if (!AdminOnly(req, res, access))
      return;
    auto version = store.QueryDirectory(std::nullopt);
    if (!version.ok())
      return ReplyError(res, version.status());
    if (!version->has_value()) {
      return ReplyError(res, Status::NotFound("directory: none imported yet (PUT /api/v1/directory "
                                              "or goodhart directory import FILE)"));
    }
    auto parsed = directory::Directory::Parse((*version)->yaml);
    nlohmann::json body = VersionJson(**version);
    if (parsed.ok()) {
      body["people"] = parsed->people().size();
      body["teams"] = parsed->teams().size();
      body["services"] = parsed->services().size();
      body["bots"] = parsed->bots().size();
    }
    body["yaml"] = (*version)->yaml;
    // The YAML lists people with their emails: a person-level read.
    std::vector<std::string> people;
    if (parsed.ok()) {
      for (const model::Person& p : parsed->people())
        people.push_back(p.id);
    }
    auto who = Authenticate(req, access);
    if (who.ok()) {
      if (Status s = AuditRead(access, *who, req, people); !s.ok())
        return ReplyError(res, s.WithPrefix("directory"));
    }
    res.set_content(JsonText(body), "application/json");
  });

  server.routes().Get("/api/v1/directory/versions", [&store, &access](const httplib::Request& req,
                                                                      httplib::Response& res) {
    if (!AdminOnly(req, res, access))
      return;
    auto history = store.DirectoryHistory();
    if (!history.ok())
      return ReplyError(res, history.status());
    nlohmann::json versions = nlohmann::json::array();
    for (const store::DirectoryVersion& v : *history)
      versions.push_back(VersionJson(v));
    res.set_content(JsonText(nlohmann::json{{"versions", versions}}), "application/json");
  });
}

}  // namespace goodhart::api
