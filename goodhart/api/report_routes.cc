#include "goodhart/api/report_routes.h"

#include <fmt/format.h>

#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/api/http_status.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/api/report_request.h"
#include "goodhart/base/json_text.h"
#include "goodhart/review/report_flags.h"

namespace goodhart::api {
namespace {

Result<bool> ParseBool(const httplib::Request& req, const char* name) {
  if (!req.has_param(name))
    return false;
  std::string v = req.get_param_value(name);
  if (v == "true" || v == "1")
    return true;
  if (v == "false" || v == "0")
    return false;
  return Status::InvalidArgument(fmt::format("report: {}: '{}' is not true|false", name, v));
}

}  // namespace

void AddReportRoutes(HttpServer& server, const store::Store& store,
                     const analytics::nd::NdParams& params, const AccessContext& access,
                     const review::FlagStore* flags, ReadCache* cache) {
  server.routes().Get("/api/v1/report", [&store, params, &access, flags, cache](
                                            const httplib::Request& req, httplib::Response& res) {
    auto who = Authenticate(req, access);
    if (!who.ok())
      return ReplyAccessError(res, who.status());
    const Clock& clock = access.clock ? *access.clock : SystemClock::Get();
    auto request = ParseReportRequest(req, params, clock);
    if (!request.ok())
      return ReplyError(res, request.status());
    auto people = ParseBool(req, "people");
    if (!people.ok())
      return ReplyError(res, people.status());
    if (*people) {
      if (Status s = RequireRole(*who, {access::Role::kAdmin, access::Role::kMember},
                                 "report: people (individual rows)");
          !s.ok()) {
        return ReplyAccessError(res, s);
      }
    }
    // Built for every team, so that suppression cannot depend on which team was asked for.
    std::string team = req.get_param_value("team");
    request->people = *people || who->role == access::Role::kMember;
    ServeRead(cache, access, req, res, *who, "report", [&]() -> Result<ReadAnswer> {
      GOODHART_ASSIGN_OR_RETURN(auto data, analytics::report::LoadReportData(store, *request));
      if (flags != nullptr && request->people) {
        GOODHART_ASSIGN_OR_RETURN(data.person_flags,
                                  review::LoadPersonFlags(*flags, request->from_unix_ms,
                                                          request->to_unix_ms, clock.NowMillis()));
      }
      GOODHART_ASSIGN_OR_RETURN(nlohmann::json report,
                                analytics::report::BuildReport(*request, data));
      if (!team.empty()) {
        bool known =
            std::any_of(report["teams"].begin(), report["teams"].end(),
                        [&](const nlohmann::json& t) { return t.value("team", "") == team; });
        if (!known) {
          return Status::InvalidArgument(
              fmt::format("report: team: unknown team '{}' (not in the directory)", team));
        }
      }
      // `person` keeps one person row (the dashboard's person page), so that only that person's
      // row is read and audited.
      if (std::string person = req.get_param_value("person");
          !person.empty() && report.contains("people")) {
        nlohmann::json kept = nlohmann::json::array();
        for (const nlohmann::json& p : report["people"]) {
          if (p.value("person", "") == person)
            kept.push_back(p);
        }
        report["people"] = std::move(kept);
      }
      access::PrivacyOutcome outcome = access::ApplyReportPrivacy(report, *who, access.rules, team);
      return ReadAnswer{.body = JsonText(report), .people_read = std::move(outcome.people_read)};
    });
  });
}

}  // namespace goodhart::api
