// D11 failure suppression / incident relabeling, metrics.md §5.2, per team (the directory's
// service owners): the ratio of incident-linked failures (incidents naming a deployment in
// caused_by, for the team's services) to shadow failures (deployments superseded by a rollback,
// reverts within 14 days and incident hotfixes, from the ND engine's gates). Fires when the ratio
// falls below 0.5, or when its robust z against the team's own history is <= -3.5 (with >= 4
// history periods). Tier B: needs corroboration.
// Second signal: the share of the team's incidents of the period whose severity was lowered after
// creation (the store keeps each incident's first severity, Incident::initial_severity), by robust
// z against the other teams' shares; at least d11_min_downgrades downgrades and z >= tier_b_z.
// Not implemented: SLO-burn alerts are not ingested (README).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "goodhart/analytics/nd/severity.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {
namespace {

struct Tally {
  int64_t rollbacks = 0, reverts = 0, hotfixes = 0, linked = 0;
  int64_t qpds = 0, failed = 0, incident_deployments = 0, failed_changes_deployments = 0;
  int64_t incidents = 0, downgraded = 0;
  std::vector<Evidence> evidence, downgrades;
  int64_t shadow() const { return rollbacks + reverts + hotfixes; }
  int64_t denominator() const { return qpds + failed; }
};

std::map<std::string, Tally> Collect(const PeriodInput& in, const People& people) {
  std::map<std::string, Tally> out;
  if (in.nd == nullptr) {
    return out;
  }
  auto in_period = [&](int64_t t) {
    return t >= in.period.from_unix_ms && t < in.period.to_unix_ms;
  };
  std::map<std::string, std::string> team_of_deployment;
  using analytics::nd::DeploymentStatus;
  for (const auto& v : in.NdDeployments()) {
    std::string team = people.ServiceTeam(v.service);
    int64_t t = v.finished_unix_ms > 0 ? v.finished_unix_ms : v.started_unix_ms;
    if (team.empty() || !in_period(t)) {
      continue;
    }
    team_of_deployment[v.deployment_id] = team;
    Tally& tally = out[team];
    tally.qpds += v.status == DeploymentStatus::kQpd ? 1 : 0;
    tally.failed += v.status == DeploymentStatus::kFailed ? 1 : 0;
    if (!v.rolled_back_by.empty()) {
      tally.rollbacks += 1;
      tally.evidence.push_back({v.deployment_id, v.rolled_back_unix_ms,
                                "rolled back by " + v.rolled_back_by, "shadow failure"});
    }
  }
  std::set<std::string> failed_deployments;
  for (const auto& l : in.NdChanges()) {
    std::string team = people.ServiceTeam(l.service);
    if (team.empty() || !in_period(l.delivered_unix_ms)) {
      continue;
    }
    Tally& tally = out[team];
    if (l.failure.value == 0 && failed_deployments.insert(l.delivered_by).second) {
      tally.failed_changes_deployments += 1;
    }
    for (const auto& e : l.failure.events) {
      if (e.kind == analytics::nd::kFailRevert) {
        tally.reverts += 1;
        tally.evidence.push_back({e.event_id, e.at_unix_ms, e.detail, "shadow failure (revert)"});
      } else if (e.kind == analytics::nd::kFailHotfix) {
        tally.hotfixes += 1;
        tally.evidence.push_back({e.event_id, e.at_unix_ms, e.detail, "shadow failure (hotfix)"});
      }
    }
  }
  std::set<std::string> named;
  for (const auto& inc : in.Delivery().incidents) {
    int64_t t = inc.started_unix_ms > 0 ? inc.started_unix_ms : inc.detected_unix_ms;
    if (!in_period(t))
      continue;
    if (std::string team = people.ServiceTeam(inc.service); !team.empty()) {
      Tally& tally = out[team];
      tally.incidents += 1;
      int first = analytics::nd::SeverityLevel(inc.initial_severity);
      int now = analytics::nd::SeverityLevel(inc.severity);
      if (first > 0 && now > first) {  // a larger number is less severe
        tally.downgraded += 1;
        tally.downgrades.push_back({inc.id, t,
                                    fmt::format("{} -> {}", inc.initial_severity, inc.severity),
                                    "severity lowered after creation"});
      }
    }
    if (inc.caused_by_deployment.empty())
      continue;
    auto team = team_of_deployment.find(inc.caused_by_deployment);
    std::string owner =
        team != team_of_deployment.end() ? team->second : people.ServiceTeam(inc.service);
    if (owner.empty()) {
      continue;
    }
    out[owner].linked += 1;
    if (named.insert(inc.caused_by_deployment).second) {
      out[owner].incident_deployments += 1;
    }
  }
  return out;
}

}  // namespace

DetectorRun DetectFailureSuppression(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  auto now = Collect(ctx.input(), ctx.people());
  std::vector<std::map<std::string, Tally>> history;
  for (const PeriodInput* h : ctx.history()) {
    history.push_back(Collect(*h, ctx.people()));
  }
  for (auto& [team, t] : now) {
    if (t.shadow() < params.d11_min_shadow_failures) {
      continue;
    }
    double ratio = static_cast<double>(t.linked) / static_cast<double>(t.shadow());
    std::vector<double> past;
    std::vector<std::string> past_text;
    for (const auto& h : history) {
      auto it = h.find(team);
      if (it != h.end() && it->second.shadow() > 0) {
        past.push_back(static_cast<double>(it->second.linked) /
                       static_cast<double>(it->second.shadow()));
        past_text.push_back(fmt::format("{} and {}", it->second.shadow(), it->second.linked));
      }
    }
    std::optional<double> z;
    if (static_cast<int64_t>(past.size()) >= params.d11_min_history) {
      double median = Median(past);
      z = RobustZ(ratio, median, Mad(past, median), params.mad_floor_share);
      run.p_values.push_back(UpperTailP(-*z));
    }
    bool low_ratio = ratio < params.d11_min_ratio;
    bool drop = z && *z <= -params.tier_b_z;
    if (!low_ratio && !drop) {
      continue;
    }
    Flag f = ctx.NewFlag("D11", "D11-1", Tier::kB, {SubjectKind::kTeam, team});
    f.score = ratio;
    f.threshold = params.d11_min_ratio;
    f.score_name = "incident-linked failures / shadow failures";
    if (z) {
      f.z = z;
      f.p_value = UpperTailP(-*z);
    }
    f.peer_group = fmt::format("own history ({} periods)", past.size());
    f.peer_n = static_cast<int64_t>(past.size());
    double d = static_cast<double>(std::max<int64_t>(1, t.denominator()));
    double cfr_incidents = static_cast<double>(t.incident_deployments) / d;
    double cfr_goodhart =
        static_cast<double>(t.failed + std::max<int64_t>(0, t.failed_changes_deployments)) / d;
    f.explanation = fmt::format(
        "From {} the team had {} shadow failures ({} rollbacks, {} reverts, {} hotfixes) but {} "
        "linked incidents (ratio {}, threshold {}{}). {}Change failure rate computed from "
        "incidents alone would be {}; goodhart's CFR counts shadow failures and is {}. Why it "
        "matters: failures that are not recorded as incidents make CFR look better than it is.",
        ctx.PeriodLabel(), t.shadow(), t.rollbacks, t.reverts, t.hotfixes, t.linked,
        internal::Fixed(ratio, 2), internal::Fixed(params.d11_min_ratio, 2),
        z ? fmt::format("; robust z {} against the team's own history", internal::Fixed(*z, 2))
          : "",
        past_text.empty() ? ""
                          : fmt::format("Previous periods (shadow failures and linked incidents): "
                                        "{}. ",
                                        internal::JoinAnd(past_text)),
        internal::Pct(cfr_incidents), internal::Pct(cfr_goodhart));
    f.evidence = t.evidence;
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Review with the incident-management owner whether the rollbacks and reverts should have "
        "had incidents; check SLO data.";
    f.benign_explanations = {
        "rollbacks done pre-emptively before users were affected (no incident needed)",
        "incidents filed in a tool goodhart does not receive, or without caused_by links",
        "reverts of changes that never reached users"};
    f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
    run.candidates.push_back({std::move(f), drop && !low_ratio});
  }

  // Severity downgrades, against the other teams of the period.
  std::vector<double> shares;
  for (const auto& [team, t] : now) {
    if (t.incidents > 0)
      shares.push_back(static_cast<double>(t.downgraded) / static_cast<double>(t.incidents));
  }
  if (shares.size() < 2)
    return run;
  double median = Median(shares);
  double mad = Mad(shares, median);
  for (auto& entry : now) {
    const std::string& team = entry.first;  // named: a lambda below captures it (clang 14)
    auto& t = entry.second;
    if (t.downgraded < params.d11_min_downgrades)
      continue;
    double share = static_cast<double>(t.downgraded) / static_cast<double>(t.incidents);
    double z = RobustZ(share, median, mad, params.mad_floor_share);
    run.p_values.push_back(UpperTailP(z));
    if (z < params.tier_b_z)
      continue;
    std::string downgrades = fmt::format(
        "{} of the team's {} incidents ({}) had their severity lowered after they were opened; "
        "the median team downgraded {} (robust z {}).",
        t.downgraded, t.incidents, internal::Pct(share), internal::Pct(median),
        internal::Fixed(z, 2));
    auto same_team = std::find_if(run.candidates.begin(), run.candidates.end(),
                                  [&](const Candidate& c) { return c.flag.subject.id == team; });
    if (same_team != run.candidates.end()) {  // one D11 flag per team and period
      same_team->flag.explanation += " Also: " + downgrades;
      for (const Evidence& e : t.downgrades)
        same_team->flag.evidence.push_back(e);
      internal::TrimEvidence(same_team->flag.evidence, params.max_evidence);
      continue;
    }
    Flag f = ctx.NewFlag("D11", "D11-1", Tier::kB, {SubjectKind::kTeam, team});
    f.score = share;
    f.threshold = params.tier_b_z;
    f.score_name = "share of incidents downgraded after creation";
    f.z = z;
    f.p_value = UpperTailP(z);
    f.peer_group = fmt::format("teams with incidents (n={})", shares.size());
    f.peer_n = static_cast<int64_t>(shares.size());
    f.explanation = fmt::format(
        "From {} {} Why it matters: an incident relabelled below Sev3 no longer fails the change "
        "that caused it, so ND and the change failure rate look better than they are.",
        ctx.PeriodLabel(), downgrades);
    f.evidence = t.downgrades;
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Review the downgrades with the incident-management owner: was the first severity a "
        "mistake, or was the impact relabelled?";
    f.benign_explanations = {"a triage rule that opens every incident at Sev1 and corrects it",
                             "impact found smaller than first feared after investigation"};
    f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
    run.candidates.push_back({std::move(f), true});
  }
  return run;
}

}  // namespace goodhart::detect
