#include "goodhart/api/cost_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/api/flag_routes.h"
#include "goodhart/api/http_status.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/api/report_request.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::api {
namespace {

using nlohmann::json;

double Usd(int64_t micros) { return static_cast<double>(micros) / 1e6; }

struct Tally {
  int64_t reported_micros = 0, computed_micros = 0, price_table_micros = 0, tokens = 0;
  std::set<std::string> actors;

  void Add(const store::UsageRollupRow& row) {
    if (row.reported_cost_micros > 0)
      reported_micros += row.reported_cost_micros;
    else
      computed_micros += row.computed_cost_micros;
    price_table_micros += row.computed_cost_micros;
    tokens += row.tokens.Total();
    actors.insert(row.actor);
  }
  void Merge(const Tally& other) {
    reported_micros += other.reported_micros;
    computed_micros += other.computed_micros;
    price_table_micros += other.price_table_micros;
    tokens += other.tokens;
    actors.insert(other.actors.begin(), other.actors.end());
  }
  json Json(json row) const {
    row["cost_usd"] = Usd(reported_micros + computed_micros);
    row["reported_cost_usd"] = Usd(reported_micros);
    row["computed_cost_usd"] = Usd(computed_micros);
    row["price_table_cost_usd"] = Usd(price_table_micros);
    row["tokens"] = tokens;
    row["people"] = actors.size();
    return row;
  }
};

// Rows by key (most expensive first with `by_cost`); with `fold`, rows of fewer than k people
// merge into one "(other)" row.
json Rows(const std::map<std::vector<std::string>, Tally>& tallies,
          const std::vector<std::string>& fields, bool by_cost, bool fold, int64_t k) {
  std::vector<std::pair<std::vector<std::string>, Tally>> rows(tallies.begin(), tallies.end());
  Tally other;
  int64_t folded = 0;
  if (fold) {
    std::vector<std::pair<std::vector<std::string>, Tally>> kept;
    for (auto& r : rows) {
      if (static_cast<int64_t>(r.second.actors.size()) < k) {
        other.Merge(r.second);
        ++folded;
      } else {
        kept.push_back(std::move(r));
      }
    }
    rows = std::move(kept);
  }
  if (by_cost) {
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      int64_t ca = a.second.reported_micros + a.second.computed_micros;
      int64_t cb = b.second.reported_micros + b.second.computed_micros;
      return ca != cb ? ca > cb : a.first < b.first;
    });
  }
  json out = json::array();
  for (const auto& [key, tally] : rows) {
    json row = json::object();
    for (size_t i = 0; i < fields.size(); ++i)
      row[fields[i]] = key[i];
    out.push_back(tally.Json(std::move(row)));
  }
  if (folded > 0) {
    json row = json::object();
    for (const std::string& f : fields)
      row[f] = "(other)";
    row["merged_rows"] = folded;
    out.push_back(other.Json(std::move(row)));
  }
  return out;
}

Result<ReadAnswer> ComputeCosts(const httplib::Request& req, const store::Store& store,
                                const analytics::nd::NdParams& params, const AccessContext& access,
                                const review::FlagStore& flags, const access::Principal& who) {
  const Clock& clock = access.clock ? *access.clock : SystemClock::Get();
  auto request = ParseReportRequest(req, params, clock);
  if (!request.ok())
    return request.status();
  auto data = analytics::report::LoadReportData(store, *request);
  if (!data.ok())
    return data.status();
  json out = {
      {"period",
       {{"from", FormatMillis(request->from_unix_ms)}, {"to", FormatMillis(request->to_unix_ms)}}},
      {"as_of", FormatMillis(request->as_of_unix_ms)}};
  json notes = json::array();
  const bool analyst = who.role == access::Role::kAnalyst;
  const int64_t k = access.rules.min_group_size;
  std::set<std::string> hidden_teams;
  if (analyst) {
    auto outcome = ReportSuppression(*request, *data, who, access.rules);
    if (!outcome.ok())
      return outcome.status();
    if (outcome->org_suppressed) {
      out["suppressed"] = true;
      out["suppressed_reason"] = fmt::format("fewer than {} contributors", k);
      return ReadAnswer{.body = JsonText(out)};
    }
    hidden_teams.insert(outcome->suppressed_teams.begin(), outcome->suppressed_teams.end());
  }

  const auto& dir = data->directory;
  std::map<std::string, std::string> team_names;
  if (dir) {
    for (const model::Team& t : dir->teams())
      team_names[t.id] = t.name;
  }
  Tally total;
  std::map<std::vector<std::string>, Tally> by_tool, by_model, by_team;
  for (const store::UsageRollupRow& row : data->rollups) {
    total.Add(row);
    by_tool[{row.tool}].Add(row);
    by_model[{row.provider, row.model}].Add(row);
    std::string team;
    if (dir) {
      directory::Resolution r = dir->Resolve(row.actor);
      if (r.kind == directory::IdentityKind::kPerson) {
        const model::Person* p = dir->FindPerson(r.person_id);
        team = p ? p->team : "";
      }
    }
    std::string name = team.empty() ? "(not in the directory)" : team_names[team];
    if (hidden_teams.count(team))
      team = name = "(suppressed teams)";
    by_team[{team, name}].Add(row);
  }
  out["total"] = total.Json(json::object());
  out["by_tool"] = Rows(by_tool, {"tool"}, /*by_cost=*/true, analyst, k);
  out["by_model"] = Rows(by_model, {"provider", "model"}, /*by_cost=*/true, analyst, k);
  // Teams by id, not by spend: goodhart compares a team with itself, never ranks teams.
  out["by_team"] = Rows(by_team, {"team", "name"}, /*by_cost=*/false, /*fold=*/false, k);
  if (!hidden_teams.empty()) {
    notes.push_back(
        fmt::format("{} team(s) suppressed by the report's k-anonymity (k = {}) are one row",
                    hidden_teams.size(), k));
  }
  if (analyst) {
    notes.push_back(
        fmt::format("tools and models used by fewer than {} people are merged into (other)", k));
  }

  // Waste: the cost of flagged behaviour the caller may see.
  review::FlagFilter filter;
  filter.period_overlaps_from = request->from_unix_ms;
  filter.period_overlaps_to = request->to_unix_ms;
  auto records = flags.List(filter);
  if (!records.ok())
    return records.status();
  int64_t now = clock.NowMillis();
  std::map<std::string, std::pair<int64_t, std::vector<std::string>>> waste;  // detector ->
  std::vector<std::string> subjects;
  int64_t waste_micros = 0, waste_flags = 0;
  for (const review::FlagRecord& r : *records) {
    const detect::Flag& f = r.flag;
    if (!f.shown || f.materiality.basis != detect::MaterialityBasis::kCost ||
        !MaySeeFlag(who, r, now)) {
      continue;
    }
    const review::FlagNote* d = r.disposition();
    if (d != nullptr && d->disposition == "benign")
      continue;
    auto& w = waste[f.detector_id];
    w.first += f.materiality.cost_micros;
    w.second.push_back(f.id);
    waste_micros += f.materiality.cost_micros;
    ++waste_flags;
    if (f.subject.kind == detect::SubjectKind::kPerson)
      subjects.push_back(f.subject.id);
  }
  json by_detector = json::array();
  for (const auto& [detector, w] : waste) {
    by_detector.push_back({{"detector", detector},
                           {"flags", w.second.size()},
                           {"cost_usd", Usd(w.first)},
                           {"flag_ids", w.second}});
  }
  out["waste"] = {
      {"cost_usd", Usd(waste_micros)}, {"flags", waste_flags}, {"by_detector", by_detector}};
  out["notes"] = notes;
  // Flag ids of flags about people are person-level data: audited like the flag routes.
  return ReadAnswer{.body = JsonText(out), .people_read = std::move(subjects)};
}

void Costs(const httplib::Request& req, httplib::Response& res, const store::Store& store,
           const analytics::nd::NdParams& params, const AccessContext& access,
           const review::FlagStore& flags, ReadCache* cache) {
  auto who = Authenticate(req, access);
  if (!who.ok())
    return ReplyAccessError(res, who.status());
  if (Status s = RequireRole(*who, {access::Role::kAdmin, access::Role::kAnalyst},
                             "costs (a member sees their own cost in the report)");
      !s.ok()) {
    return ReplyAccessError(res, s);
  }
  ServeRead(cache, access, req, res, *who, "costs",
            [&] { return ComputeCosts(req, store, params, access, flags, *who); });
}

}  // namespace

void AddCostRoutes(HttpServer& server, const store::Store& store,
                   const analytics::nd::NdParams& params, const AccessContext& access,
                   const review::FlagStore& flags, ReadCache* cache) {
  server.routes().Get("/api/v1/costs", [&store, params, &access, &flags, cache](
                                           const httplib::Request& req, httplib::Response& res) {
    Costs(req, res, store, params, access, flags, cache);
  });
}

}  // namespace goodhart::api
