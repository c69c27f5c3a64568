#include "goodhart/analytics/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/analytics/companion/ai_share.h"
#include "goodhart/analytics/companion/cost_per_nd.h"
#include "goodhart/analytics/companion/identity.h"
#include "goodhart/analytics/companion/nd_index.h"
#include "goodhart/analytics/companion/review_metrics.h"
#include "goodhart/analytics/companion/token_metrics.h"
#include "goodhart/analytics/dora/devlake_deployments.h"
#include "goodhart/analytics/dora/devlake_lead_time_report.h"
#include "goodhart/analytics/dora/dora_json.h"
#include "goodhart/analytics/dora/dora_metrics.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/analytics/report/usage_sources.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::report {
namespace {

using companion::CompanionScope;
using companion::NdBasis;
using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// Cumulative shares by evidence level (metrics.md §3.4): e1 any evidence, e2 session-linked or
// better, e3 line-level.
json ByEvidence(const companion::AiShare& ai) {
  return {
      {"e1", Optional(ai.share_e1)}, {"e2", Optional(ai.share_e2)}, {"e3", Optional(ai.share_e3)}};
}

json Usd(int64_t micros) { return static_cast<double>(micros) / 1e6; }

json ParamsJson(const nd::NdParams& p) {
  return {{"health_window_minutes", p.health_window_minutes},
          {"fanout_window_minutes", p.fanout_window_minutes},
          {"rollout_target_fraction", p.rollout_target_fraction},
          {"rollback_lookback_days", p.rollback_lookback_days},
          {"group_window_working_days", p.group_window_working_days},
          {"group_file_jaccard", p.group_file_jaccard},
          {"s_floor_lines", p.s_floor_lines},
          {"ramp_rho", p.ramp_rho},
          {"s_ref_window_days", p.s_ref_window_days},
          {"s_ref_lag_days", p.s_ref_lag_days},
          {"s_ref_floor_lines", p.s_ref_floor_lines},
          {"s_ref_min_changes", p.s_ref_min_changes},
          {"s_ref_fallback_lines", p.s_ref_fallback_lines},
          {"s_max_multiple", p.s_max_multiple},
          {"w_fail_days", p.w_fail_days},
          {"hotfix_window_hours", p.hotfix_window_hours},
          {"failure_max_severity", p.failure_max_severity},
          {"t_prov_days", p.t_prov_days},
          {"t_final_days", p.t_final_days},
          {"break_glass_working_days", p.break_glass_working_days},
          {"require_last_push_approval", p.require_last_push_approval},
          {"remediation_floor", p.remediation_floor},
          {"remediation_max_severity", p.remediation_max_severity}};
}

struct NdSums {
  double nd = 0, nd_final = 0, nd_provisional = 0, nd_pending = 0;
  int64_t changes = 0;  // published (provisional or final) L delivered in the period
};

void AddChange(const nd::LogicalChangeCredit& l, double w, NdSums& s) {
  if (w == 0)
    return;
  if (l.stage == nd::NdStage::kPending) {
    s.nd_pending += w * l.nd;
    return;
  }
  ++s.changes;
  s.nd += w * l.nd;
  if (l.stage == nd::NdStage::kFinal)
    s.nd_final += w * l.nd;
  else
    s.nd_provisional += w * l.nd;
}

NdSums SumOrg(const nd::NdResult& r) {
  NdSums s;
  for (const nd::LogicalChangeCredit& l : r.changes) {
    if (l.delivered_unix_ms >= r.period_from_unix_ms && l.delivered_unix_ms < r.period_to_unix_ms)
      AddChange(l, 1.0, s);
  }
  return s;
}

// A team's weight of L: the sum of its people's shares.
double TeamShare(const nd::LogicalChangeCredit& l,
                 const std::map<std::string, std::string>& team_of, const std::string& team) {
  double share = 0;
  for (const nd::Share& s : l.shares) {
    auto it = team_of.find(s.person_id);
    if (it != team_of.end() && it->second == team)
      share += s.share;
  }
  return share;
}

// The team's L are those its people contributed to (the index's), in the result's order.
NdSums SumTeam(const nd::NdResult& r, const companion::ResultIndex& index,
               const std::map<std::string, std::string>& team_of, const std::string& team) {
  NdSums s;
  for (const auto& c : index.TeamChanges(team)) {
    const nd::LogicalChangeCredit& l = r.changes[c.position];
    AddChange(l, TeamShare(l, team_of, team), s);
  }
  return s;
}

// What one scope (org or team) reports beside ND.
struct ScopeMetrics {
  companion::CostPerNd cost;
  companion::AiShare ai;
  companion::TokenMetrics tokens;
  companion::ReviewMetrics review;
  json dora;
  NdBasis basis = NdBasis::kFinal;
};

// What every scope's companion and DORA metrics read, built once per report: the history's
// commits and the period's rollups are large, and a report has a scope per team.
struct ScopeInputs {
  companion::TokenInput tokens;
  dora::DoraInput dora;
  std::shared_ptr<const dora::DoraShared> dora_shared;       // PrepareDora, once per report
  std::shared_ptr<const companion::TokenIndex> token_index;  // IndexTokenInput, likewise
  std::optional<companion::EvidenceIndex> evidence;          // each commit's AI evidence
};

ScopeInputs MakeScopeInputs(const ReportRequest& req, const ReportData& data,
                            const std::vector<AiLink>& links, const IdentityResolver& resolve) {
  ScopeInputs in;
  in.tokens.rollups = data.rollups;
  in.tokens.commits = data.delivery.commits;
  in.tokens.links = links;
  in.tokens.resolve = resolve;
  in.evidence.emplace(links, data.delivery.commits, data.delivery.changes);
  in.dora.from_unix_ms = req.from_unix_ms;
  in.dora.to_unix_ms = req.to_unix_ms;
  in.dora.incidents = data.delivery.incidents;
  in.dora.commits = data.delivery.commits;
  if (data.directory)
    in.dora.services = data.directory->services();
  return in;
}

// `scope_rollups`: for a team, the rollup rows of its people (the others cannot be in scope), which
// the scope's metrics read instead of all of them; nullptr for the organisation.
Result<ScopeMetrics> ComputeScope(const nd::NdResult& nd, const CompanionScope& scope,
                                  const dora::DoraScope& dora_scope,
                                  const IdentityResolver& resolve,
                                  std::vector<store::UsageRollupRow>* scope_rollups,
                                  ScopeInputs& inputs) {
  ScopeMetrics m;
  if (scope_rollups != nullptr)
    std::swap(inputs.tokens.rollups, *scope_rollups);
  m.cost = companion::ComputeCostPerNd(nd, inputs.tokens.rollups, scope, resolve);
  m.basis = m.cost.nd_final > 0 ? NdBasis::kFinal : NdBasis::kProvisionalAndFinal;
  m.ai = companion::ComputeAiShare(nd, *inputs.evidence, scope, m.basis);
  if (inputs.token_index == nullptr)
    inputs.token_index = companion::IndexTokenInput(nd, inputs.tokens);
  m.tokens = companion::ComputeTokenMetrics(nd, inputs.tokens, scope, *inputs.token_index);
  if (scope_rollups != nullptr)
    std::swap(inputs.tokens.rollups, *scope_rollups);
  m.review = companion::ComputeReviewMetrics(nd, scope, m.basis);
  inputs.dora.scope = dora_scope;
  if (inputs.dora_shared == nullptr)
    inputs.dora_shared = dora::PrepareDora(nd, inputs.dora);
  GOODHART_ASSIGN_OR_RETURN(dora::DoraMetrics d,
                            dora::ComputeDora(nd, inputs.dora, *inputs.dora_shared));
  m.dora = dora::ToJson(d);
  m.dora.erase("details");
  return m;
}

json CostPerNd(const ScopeMetrics& m) {
  const auto& per = m.basis == NdBasis::kFinal ? m.cost.micros_per_final_nd
                                               : m.cost.micros_per_provisional_and_final_nd;
  return per ? json(*per / 1e6) : json(nullptr);
}

}  // namespace

Result<std::pair<int64_t, int64_t>> ParsePeriod(std::string_view from, std::string_view to,
                                                std::string_view from_name,
                                                std::string_view to_name) {
  if (from.empty() || to.empty()) {
    return Status::InvalidArgument(fmt::format("report: {}: both {} and {} are required",
                                               from.empty() ? from_name : to_name, from_name,
                                               to_name));
  }
  Result<int64_t> f = ParseTimestampMillis(from);
  if (!f.ok())
    return f.status().WithPrefix(fmt::format("report: {}", from_name));
  Result<int64_t> t = ParseTimestampMillis(to);
  if (!t.ok())
    return t.status().WithPrefix(fmt::format("report: {}", to_name));
  int64_t end = *t;
  if (to.size() == 10)  // a date: the whole day
    end += kMillisPerDay;
  if (end <= *f) {
    return Status::InvalidArgument(
        fmt::format("report: {}: {} is not after {} {}", to_name, to, from_name, from));
  }
  return std::pair<int64_t, int64_t>{*f, end};
}

std::pair<int64_t, int64_t> BaselineWindow(const ReportRequest& r) {
  int64_t length = r.to_unix_ms - r.from_unix_ms;
  return {r.baseline_from_unix_ms.value_or(r.from_unix_ms - length),
          r.baseline_to_unix_ms.value_or(r.from_unix_ms)};
}

namespace {

Result<nd::NdResult> ComputeNdCrediting(const ReportRequest& req, const ReportData& data,
                                        int64_t credit_from_unix_ms) {
  nd::NdInput input;
  input.deployments = data.delivery.deployments;
  input.commits = data.delivery.commits;
  input.changes = data.delivery.changes;
  input.reviews = data.delivery.reviews;
  input.incidents = data.delivery.incidents;
  input.directory = data.directory ? &*data.directory : nullptr;
  input.as_of_unix_ms = req.as_of_unix_ms;
  input.period_from_unix_ms = req.from_unix_ms;
  input.period_to_unix_ms = req.to_unix_ms;
  input.credit_from_unix_ms = credit_from_unix_ms;
  input.params = req.params;
  return nd::ComputeNd(input);
}

}  // namespace

Result<nd::NdResult> ComputePeriodNd(const ReportRequest& req, const ReportData& data) {
  return ComputeNdCrediting(req, data, std::numeric_limits<int64_t>::min());
}

Result<json> BuildReport(const ReportRequest& req, const ReportData& data) {
  if (req.dora_mode != "goodhart" && req.dora_mode != "devlake") {
    return Status::InvalidArgument(
        fmt::format("report: dora_mode: '{}' is not goodhart or devlake", req.dora_mode));
  }
  if (req.to_unix_ms <= req.from_unix_ms) {
    return Status::InvalidArgument(fmt::format("report: period: from {} is not before to {}",
                                               FormatMillis(req.from_unix_ms),
                                               FormatMillis(req.to_unix_ms)));
  }
  const directory::Directory* dir = data.directory ? &*data.directory : nullptr;
  if (!req.team.empty()) {
    bool known = dir && std::any_of(dir->teams().begin(), dir->teams().end(),
                                    [&](const model::Team& t) { return t.id == req.team; });
    if (!known) {
      return Status::InvalidArgument(
          fmt::format("report: team: unknown team '{}' (not in the directory)", req.team));
    }
  }

  // One engine run credits what the report sums, the period and the baseline (and what was
  // delivered after the period, by as_of); earlier history only feeds S_ref and the ledger.
  auto [baseline_from, baseline_to] = BaselineWindow(req);
  GOODHART_ASSIGN_OR_RETURN(
      nd::NdResult nd, ComputeNdCrediting(req, data, std::min(req.from_unix_ms, baseline_from)));
  nd::NdResult baseline = nd::SplitPeriod(nd, baseline_from, baseline_to, dir);

  IdentityResolver resolve = PersonResolver(dir);
  std::vector<AiLink> links = MergeAiLinks(LinkAiByMarkers(data.delivery.commits));

  json report;
  report["definition_version"] = nd.definition_version;
  report["parameters"] = ParamsJson(req.params);
  report["period"] = {{"from", FormatMillis(req.from_unix_ms)},
                      {"to", FormatMillis(req.to_unix_ms)}};
  report["baseline"] = {{"from", FormatMillis(baseline_from)}, {"to", FormatMillis(baseline_to)}};
  report["as_of"] = FormatMillis(req.as_of_unix_ms);
  report["directory_version"] = data.directory_version;

  // Organisation.
  NdSums org = SumOrg(nd);
  ScopeInputs scope_inputs = MakeScopeInputs(req, data, links, resolve);
  GOODHART_ASSIGN_OR_RETURN(ScopeMetrics om, ComputeScope(nd, {}, {dora::ScopeKind::kOrg, ""},
                                                          resolve, nullptr, scope_inputs));
  int64_t tokens = 0;
  for (const store::UsageRollupRow& r : data.rollups)
    tokens += r.tokens.Total();
  report["org"] = {{"nd", org.nd},
                   {"nd_final", org.nd_final},
                   {"nd_provisional", org.nd_provisional},
                   {"nd_pending", org.nd_pending},
                   {"changes", org.changes},
                   {"unattributed_nd", nd.unattributed_nd},
                   {"cost_usd", Usd(om.cost.cost_micros)},
                   {"reported_cost_usd", Usd(om.cost.reported_cost_micros)},
                   {"computed_cost_usd", Usd(om.cost.computed_cost_micros)},
                   {"cost_per_nd", CostPerNd(om)},
                   {"cost_per_nd_basis", std::string(companion::NdBasisName(om.basis))},
                   {"tokens", tokens},
                   {"usage_set_aside",
                    {{"rows", data.usage_set_aside.rows},
                     {"tokens", data.usage_set_aside.tokens},
                     {"cost_usd", Usd(data.usage_set_aside.cost_micros)}}},
                   {"ai_assisted_nd_share", Optional(om.ai.share_e1)},
                   {"ai_assisted_nd_share_by_evidence", ByEvidence(om.ai)},
                   {"orphan_token_share", Optional(om.tokens.orphan_share)},
                   {"tokens_per_shipped_line", Optional(om.tokens.tokens_per_shipped_line)},
                   {"review_coverage", Optional(om.review.coverage)},
                   {"dora", om.dora}};

  if (req.dora_mode == "devlake") {
    std::vector<dora::DevLakeDeployment> deployments =
        dora::DevLakeProductionDeployments(data.delivery.deployments);
    dora::DevLakeDeploymentFrequency df =
        dora::ComputeDevLakeDeploymentFrequency(deployments, req.from_unix_ms, req.to_unix_ms);
    std::vector<model::Service> services;
    if (dir)
      services = dir->services();
    dora::DevLakeChangeFailureRate cfr = dora::ComputeDevLakeChangeFailureRate(
        deployments, LinkIncidents(data.delivery.incidents, data.delivery.deployments, services),
        req.from_unix_ms, req.to_unix_ms);
    CommitGraph graph(data.delivery.commits);
    std::vector<dora::DevLakePrMetric> prs = dora::DevLakeChangeLeadTime(
        dora::DevLakeLeadTimeInputFrom(data.delivery.changes, data.delivery.reviews,
                                       data.delivery.deployments, graph, services));
    dora::DevLakeLeadTimeSummary lead =
        dora::SummarizeDevLakeLeadTime(prs, req.from_unix_ms, req.to_unix_ms);
    std::optional<double> lead_hours;
    if (lead.median_cycle_minutes)
      lead_hours = *lead.median_cycle_minutes / 60;
    report["org"]["dora_devlake"] = {
        {"lead_time_hours_median", Optional(lead_hours)},
        {"lead_time_pull_requests", lead.pull_requests},
        {"deployment_days", df.deployment_days},
        {"deployment_days_per_week_median", Optional(df.median_days_per_week)},
        {"deployment_days_per_month_median", Optional(df.median_days_per_month)},
        {"deployment_frequency_level", df.level},
        {"deployments", cfr.deployments},
        {"deployments_with_incident", cfr.deployments_with_incident},
        {"change_failure_rate", Optional(cfr.rate)}};
  }

  // Teams.
  std::map<std::string, std::string> team_of;
  std::unordered_map<std::string, std::unordered_set<std::string>> people_of_team;
  for (const nd::PersonNd& p : nd.people) {
    team_of[p.person_id] = p.team;
    people_of_team[p.team].insert(p.person_id);
  }
  // Each rollup row goes to its person's team once (each actor resolved once), so a team's
  // metrics read only its own rows: a report is O(rows), not O(teams x rows).
  std::unordered_map<std::string, std::vector<store::UsageRollupRow>> rows_of_team;
  {
    std::unordered_map<std::string, const std::string*> team_of_actor;
    for (const store::UsageRollupRow& r : data.rollups) {
      auto [it, added] = team_of_actor.try_emplace(r.actor, nullptr);
      if (added) {
        auto team = team_of.find(companion::ResolvePerson(resolve, r.actor));
        it->second = team == team_of.end() ? nullptr : &team->second;
      }
      if (it->second != nullptr)
        rows_of_team[*it->second].push_back(r);
    }
  }
  companion::ResultIndex period_index(nd), baseline_index(baseline);
  json teams = json::array();
  for (const nd::TeamNd& t : nd.teams) {
    if (!req.team.empty() && t.team_id != req.team)
      continue;
    NdSums sums = SumTeam(nd, period_index, team_of, t.team_id);
    std::vector<store::UsageRollupRow>& team_rows = rows_of_team[t.team_id];
    GOODHART_ASSIGN_OR_RETURN(
        ScopeMetrics tm,
        ComputeScope(
            nd, {.team = t.team_id, .people = &people_of_team[t.team_id], .index = &period_index},
            {dora::ScopeKind::kTeam, t.team_id}, resolve, &team_rows, scope_inputs));
    companion::BootstrapParams bootstrap;
    bootstrap.basis = tm.basis;
    GOODHART_ASSIGN_OR_RETURN(companion::NdIndex index,
                              companion::ComputeNdIndex(nd, baseline, t.team_id, bootstrap,
                                                        &period_index, &baseline_index));
    int64_t team_tokens = 0;
    for (const store::UsageRollupRow& r : team_rows)
      team_tokens += r.tokens.Total();
    json ci = index.ci_low && index.ci_high ? json::array({*index.ci_low, *index.ci_high})
                                            : json(nullptr);
    teams.push_back({{"team", t.team_id},
                     {"name", t.name},
                     {"members", t.members.size()},
                     {"contributors", t.contributors},
                     {"nd", t.nd},
                     {"nd_final", t.nd_final},
                     {"nd_provisional", sums.nd_provisional},
                     {"changes", sums.changes},
                     {"engineer_weeks", t.engineer_weeks},
                     {"nd_rate", Optional(t.nd_rate)},
                     {"nd_rate_final", Optional(t.nd_rate_final)},
                     {"nd_index", Optional(index.index)},
                     {"nd_index_ci", ci},
                     {"nd_index_basis", std::string(companion::NdBasisName(index.basis))},
                     {"baseline",
                      {{"nd", index.nd_baseline},
                       {"nd_rate", Optional(index.rate_baseline)},
                       {"changes", index.changes_baseline}}},
                     {"cost_usd", Usd(tm.cost.cost_micros)},
                     {"cost_per_nd", CostPerNd(tm)},
                     {"tokens", team_tokens},
                     {"ai_assisted_nd_share", Optional(tm.ai.share_e1)},
                     {"ai_assisted_nd_share_by_evidence", ByEvidence(tm.ai)},
                     {"review_coverage", Optional(tm.review.coverage)},
                     {"dora", tm.dora}});
  }
  report["teams"] = teams;

  // People: a local operator's view (privacy rules: issue #5).
  if (req.people) {
    std::map<std::string, std::pair<int64_t, int64_t>> usage;  // person -> tokens, cost
    for (const store::UsageRollupRow& r : data.rollups) {
      std::string person = companion::ResolvePerson(resolve, r.actor);
      if (person.empty())
        person = r.actor;
      auto& u = usage[person];
      u.first += r.tokens.Total();
      u.second += companion::CellSpendMicros(r);
    }
    json people = json::array();
    for (const nd::PersonNd& p : nd.people) {
      if (!req.team.empty() && p.team != req.team)
        continue;
      int64_t changes = 0;
      for (const nd::PersonContribution& c : p.contributions)
        changes += c.stage != nd::NdStage::kPending;
      auto u = usage.count(p.person_id) ? usage[p.person_id] : std::pair<int64_t, int64_t>{0, 0};
      double gamed = 0;
      json flags = json::array();
      for (const PersonFlag& f : data.person_flags) {
        if (f.person != p.person_id || f.period_to_unix_ms <= req.from_unix_ms ||
            f.period_from_unix_ms >= req.to_unix_ms) {
          continue;
        }
        flags.push_back({{"id", f.flag_id},
                         {"detector", f.detector_id},
                         {"status", f.status},
                         {"disposition", f.disposition}});
        if (f.disposition == "confirmed_gaming" && f.period_to_unix_ms > req.from_unix_ms &&
            f.period_to_unix_ms <= req.to_unix_ms) {
          gamed += f.nd_effect;
        }
      }
      people.push_back({{"person", p.person_id},
                        {"team", p.team},
                        {"resolved", p.resolved},
                        {"nd", p.nd},
                        {"nd_star", std::max(0.0, p.nd - gamed)},
                        {"nd_final", p.nd_final},
                        {"nd_pending", p.nd_pending},
                        {"nd_rate", Optional(p.nd_rate)},
                        {"tokens", u.first},
                        {"cost_usd", Usd(u.second)},
                        {"changes", changes},
                        {"flags", flags}});
    }
    report["people"] = people;
  }

  json notes = json::array();
  for (const std::string& w : nd.warnings)
    notes.push_back(w);
  if (!dir)
    notes.push_back("no directory imported: nobody is resolved to a person and there are no teams");
  if (!om.tokens.per_session) {
    notes.push_back(
        "orphan_token_share is approximated per person-day from rollups (companion/README.md)");
  }
  report["notes"] = notes;
  return report;
}

}  // namespace goodhart::analytics::report
