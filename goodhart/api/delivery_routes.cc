#include "goodhart/api/delivery_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "goodhart/analytics/nd/nd_json.h"
#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/api/http_status.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/api/report_request.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::api {
namespace {

using analytics::nd::LogicalChangeCredit;
using analytics::nd::NdResult;
using analytics::nd::NdStage;
using nlohmann::json;

bool InPeriod(int64_t t, const analytics::report::ReportRequest& r) {
  return t >= r.from_unix_ms && t < r.to_unix_ms;
}

// Who may be named in an answer: everyone (admin), nobody (analyst), or one person (member).
struct Naming {
  bool everyone = false;
  std::string only;  // with !everyone: the one identity kept ("" none)
};

// Blanks a person identity the caller may not see, and records the ones it keeps.
void Name(json& field, const Naming& naming, std::set<std::string>& named) {
  if (!field.is_string() || field.get<std::string>().empty())
    return;
  std::string id = field.get<std::string>();
  if (naming.everyone || (!naming.only.empty() && id == naming.only)) {
    named.insert(id);
    return;
  }
  field = "";
}

// The change as nd_json.h writes it, with identities shaped for the caller. Raw identities (a
// part's author, a reviewer, whoever overwrote lines) are kept only for an admin.
json ChangeJson(const LogicalChangeCredit& l, const Naming& naming, std::set<std::string>& named) {
  json j = analytics::nd::ToJson(l);
  Name(j["owner"], naming, named);
  for (json& part : j["parts"]) {
    bool own = !naming.only.empty() && part.value("owner", "") == naming.only;
    Name(part["owner"], naming, named);
    if (!naming.everyone && !own)
      part["author"] = "";
  }
  for (json& share : j["shares"])
    Name(share["person_id"], naming, named);
  if (!naming.everyone) {
    for (json& approval : j["review"]["approvals"])
      approval["reviewer"] = "";
    for (json& loss : j["durability"]["losses"])
      loss["by"] = "";
  }
  return j;
}

double ShareOf(const LogicalChangeCredit& l, const std::string& person) {
  double share = 0;
  for (const auto& s : l.shares) {
    if (s.person_id == person)
      share += s.share;
  }
  return share;
}

struct Selection {
  std::vector<const LogicalChangeCredit*> changes;
  std::set<std::string> services;      // listed: the scope's own and those its changes went to
  std::set<std::string> own_services;  // every deployment to these in the period is listed
  std::set<std::string> deployments;   // deployment ids that delivered the changes
};

void Select(Selection& selection, const LogicalChangeCredit& l) {
  selection.changes.push_back(&l);
  selection.services.insert(l.service);
  for (const auto& part : l.parts) {
    if (!part.deployment_id.empty())
      selection.deployments.insert(part.deployment_id);
  }
}

// `weight` is the scope's share of a change: the person's, or the sum of the team's people's.
json Answer(const analytics::report::ReportRequest& request, const NdResult& nd,
            const std::vector<model::Service>& all_services, const Selection& selection, json scope,
            const Naming& naming, std::set<std::string>& named,
            const std::function<double(const LogicalChangeCredit&)>& weight) {
  std::map<std::string, json> services;
  for (const model::Service& s : all_services) {
    if (!selection.services.count(s.id))
      continue;
    services[s.id] = {{"service", s.id},
                      {"team", s.team},
                      {"repo", s.repo},
                      {"paths", s.paths},
                      {"production_environments", s.production_environments},
                      {"nd", 0.0},
                      {"nd_final", 0.0},
                      {"changes", 0},
                      {"deployments", 0},
                      {"qualifying_deployments", 0}};
  }
  json changes = json::array();
  for (const LogicalChangeCredit* l : selection.changes) {
    json c = ChangeJson(*l, naming, named);
    double w = weight(*l);
    c["scope_share"] = w;
    c["scope_nd"] = l->stage == NdStage::kPending ? 0.0 : w * l->nd;
    if (auto it = services.find(l->service);
        it != services.end() && l->stage != NdStage::kPending) {
      json& s = it->second;
      s["nd"] = s["nd"].get<double>() + w * l->nd;
      if (l->stage == NdStage::kFinal)
        s["nd_final"] = s["nd_final"].get<double>() + w * l->nd;
      s["changes"] = s["changes"].get<int64_t>() + 1;
    }
    changes.push_back(std::move(c));
  }
  json deployments = json::array();
  for (const auto& d : nd.deployments) {
    int64_t at = d.finished_unix_ms ? d.finished_unix_ms : d.started_unix_ms;
    bool listed = selection.deployments.count(d.deployment_id) > 0 ||
                  (selection.own_services.count(d.service) > 0 && InPeriod(at, request));
    if (!listed)
      continue;
    if (auto it = services.find(d.service); it != services.end()) {
      it->second["deployments"] = it->second["deployments"].get<int64_t>() + 1;
      if (d.status == analytics::nd::DeploymentStatus::kQpd) {
        it->second["qualifying_deployments"] =
            it->second["qualifying_deployments"].get<int64_t>() + 1;
      }
    }
    deployments.push_back(analytics::nd::ToJson(d));
  }
  json service_list = json::array();
  for (auto& [id, s] : services)
    service_list.push_back(std::move(s));
  return {
      {"definition_version", nd.definition_version},
      {"period",
       {{"from", FormatMillis(request.from_unix_ms)}, {"to", FormatMillis(request.to_unix_ms)}}},
      {"as_of", FormatMillis(request.as_of_unix_ms)},
      {"scope", std::move(scope)},
      {"services", std::move(service_list)},
      {"deployments", std::move(deployments)},
      {"changes", std::move(changes)},
      {"notes", nd.warnings}};
}

struct Loaded {
  analytics::report::ReportRequest request;
  analytics::report::ReportData data;
  NdResult nd;
};

Result<Loaded> Load(const httplib::Request& req, const store::Store& store,
                    const analytics::nd::NdParams& params, const AccessContext& access) {
  const Clock& clock = access.clock ? *access.clock : SystemClock::Get();
  Loaded out;
  GOODHART_ASSIGN_OR_RETURN(out.request, ParseReportRequest(req, params, clock));
  GOODHART_ASSIGN_OR_RETURN(out.data, analytics::report::LoadReportData(store, out.request));
  GOODHART_ASSIGN_OR_RETURN(out.nd, analytics::report::ComputePeriodNd(out.request, out.data));
  return out;
}

Result<ReadAnswer> TeamDeliveryAnswer(const httplib::Request& req, const store::Store& store,
                                      const analytics::nd::NdParams& params,
                                      const AccessContext& access, const access::Principal& who) {
  std::string team = req.matches[1];
  auto loaded = Load(req, store, params, access);
  if (!loaded.ok())
    return loaded.status();
  const auto& dir = loaded->data.directory;
  if (!dir || std::none_of(dir->teams().begin(), dir->teams().end(),
                           [&](const model::Team& t) { return t.id == team; })) {
    return Status::NotFound(
        fmt::format("delivery: team: unknown team '{}' (not in the directory)", team));
  }
  json scope = {{"kind", "team"}, {"id", team}};
  if (who.role == access::Role::kAnalyst) {
    auto outcome = ReportSuppression(loaded->request, loaded->data, who, access.rules);
    if (!outcome.ok())
      return outcome.status();
    const auto& hidden = outcome->suppressed_teams;
    if (outcome->org_suppressed || std::find(hidden.begin(), hidden.end(), team) != hidden.end()) {
      json out = {{"scope", scope},
                  {"suppressed", true},
                  {"suppressed_reason",
                   fmt::format("the report suppresses this team for the analyst role (fewer than "
                               "{} contributors, or differencing)",
                               access.rules.min_group_size)}};
      return ReadAnswer{.body = JsonText(out)};
    }
  }
  std::set<std::string> members;
  for (const analytics::nd::PersonNd& p : loaded->nd.people) {
    if (p.team == team)
      members.insert(p.person_id);
  }
  auto team_share = [&members](const LogicalChangeCredit& l) {
    double share = 0;
    for (const auto& s : l.shares)
      share += members.count(s.person_id) ? s.share : 0;
    return share;
  };
  Selection selection;
  for (const model::Service& s : dir->services()) {
    if (s.team == team) {
      selection.services.insert(s.id);
      selection.own_services.insert(s.id);
    }
  }
  for (const LogicalChangeCredit& l : loaded->nd.changes) {
    if (team_share(l) > 0 && InPeriod(l.delivered_unix_ms, loaded->request))
      Select(selection, l);
  }
  Naming naming{.everyone = who.role == access::Role::kAdmin};
  std::set<std::string> named;
  json out = Answer(loaded->request, loaded->nd, dir->services(), selection, scope, naming, named,
                    team_share);
  return ReadAnswer{.body = JsonText(out), .people_read = {named.begin(), named.end()}};
}

void TeamDelivery(const httplib::Request& req, httplib::Response& res, const store::Store& store,
                  const analytics::nd::NdParams& params, const AccessContext& access,
                  ReadCache* cache) {
  auto who = Authenticate(req, access);
  if (!who.ok())
    return ReplyAccessError(res, who.status());
  if (Status s = RequireRole(*who, {access::Role::kAdmin, access::Role::kAnalyst},
                             "team delivery (a member sees their own page)");
      !s.ok()) {
    return ReplyAccessError(res, s);
  }
  ServeRead(cache, access, req, res, *who, "delivery",
            [&] { return TeamDeliveryAnswer(req, store, params, access, *who); });
}

Result<ReadAnswer> PersonDeliveryAnswer(const httplib::Request& req, const store::Store& store,
                                        const analytics::nd::NdParams& params,
                                        const AccessContext& access, const access::Principal& who) {
  std::string person = req.matches[1];
  auto loaded = Load(req, store, params, access);
  if (!loaded.ok())
    return loaded.status();
  const auto& dir = loaded->data.directory;
  bool known = std::any_of(loaded->nd.people.begin(), loaded->nd.people.end(),
                           [&](const analytics::nd::PersonNd& p) { return p.person_id == person; });
  if (!known) {
    return Status::NotFound(fmt::format("delivery: person: unknown person '{}'", person));
  }
  Selection selection;
  for (const LogicalChangeCredit& l : loaded->nd.changes) {
    if (ShareOf(l, person) > 0 && InPeriod(l.delivered_unix_ms, loaded->request))
      Select(selection, l);
  }
  Naming naming{.everyone = who.role == access::Role::kAdmin, .only = person};
  std::set<std::string> named = {person};
  std::vector<model::Service> services;
  if (dir)
    services = dir->services();
  json out =
      Answer(loaded->request, loaded->nd, services, selection, {{"kind", "person"}, {"id", person}},
             naming, named, [&person](const LogicalChangeCredit& l) { return ShareOf(l, person); });
  return ReadAnswer{.body = JsonText(out), .people_read = {named.begin(), named.end()}};
}

void PersonDelivery(const httplib::Request& req, httplib::Response& res, const store::Store& store,
                    const analytics::nd::NdParams& params, const AccessContext& access,
                    ReadCache* cache) {
  auto who = Authenticate(req, access);
  if (!who.ok())
    return ReplyAccessError(res, who.status());
  std::string person = req.matches[1];
  bool self = who->role == access::Role::kMember && who->person == person;
  if (who->role != access::Role::kAdmin && !self) {
    return ReplyAccessError(
        res, Status::PermissionDenied(fmt::format(
                 "access: person delivery: another person's data: not allowed for the {} role",
                 access::RoleName(who->role))));
  }
  ServeRead(cache, access, req, res, *who, "delivery",
            [&] { return PersonDeliveryAnswer(req, store, params, access, *who); });
}

}  // namespace

void AddDeliveryRoutes(HttpServer& server, const store::Store& store,
                       const analytics::nd::NdParams& params, const AccessContext& access,
                       ReadCache* cache) {
  server.routes().Get(
      R"(/api/v1/teams/([A-Za-z0-9._-]+)/delivery)",
      [&store, params, &access, cache](const httplib::Request& req, httplib::Response& res) {
        TeamDelivery(req, res, store, params, access, cache);
      });
  server.routes().Get(
      R"(/api/v1/people/([A-Za-z0-9._@+-]+)/delivery)",
      [&store, params, &access, cache](const httplib::Request& req, httplib::Response& res) {
        PersonDelivery(req, res, store, params, access, cache);
      });
}

}  // namespace goodhart::api
