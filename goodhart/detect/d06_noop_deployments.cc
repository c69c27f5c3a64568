// D6 no-op / duplicate deployments, metrics.md §5.2: per pipeline (the definition whose runs
// deploy, DeploymentVerdict::pipeline, such as a GitHub Actions workflow; without one, the service
// and environment; never pipeline_id, one run of it), deployments whose digest was
// already running (the ND engine's "redeploy") or whose change set has no meaningful substance
// ("noop"). Fires at >= 10 in the period forming >= 20% of the pipeline's deployment events
// (production-bound events that are not fan-out duplicates). Declared config-only pipelines
// (DetectParams::d6_config_pipelines) are exempt. Tier A, deterministic, subject: pipeline and
// its owner team (of the service it deployed most). ND is unaffected by construction; the flag
// protects deployment frequency. D6-2 keys by the pipeline definition; D6-1 keyed by pipeline_id,
// which GitHub sets to a single workflow run.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"

namespace goodhart::detect {

DetectorRun DetectNoopDeployments(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  if (ctx.input().nd == nullptr) {
    return run;
  }
  using analytics::nd::DeploymentStatus;
  struct Pipeline {
    std::map<std::string, int64_t> events_by_service;  // one definition may deploy several
    int64_t events = 0;
    std::vector<const analytics::nd::DeploymentVerdict*> noops;
    int64_t redeploys = 0, empty = 0;
  };
  std::map<std::string, Pipeline> pipelines;
  const auto& exempt = params.d6_config_pipelines;
  auto declared = [&](const std::string& key) {
    return !key.empty() && std::find(exempt.begin(), exempt.end(), key) != exempt.end();
  };
  for (const auto& v : ctx.input().NdDeployments()) {
    int64_t t = v.finished_unix_ms > 0 ? v.finished_unix_ms : v.started_unix_ms;
    if (!ctx.InPeriod(t) || v.status == DeploymentStatus::kNonProduction ||
        v.status == DeploymentStatus::kDuplicate) {
      continue;
    }
    // Declared by its pipeline_id, the key before D6-2 (a sender's stable pipeline name): this
    // deployment is left out, whatever group it would join.
    if (declared(v.pipeline_id)) {
      continue;
    }
    std::string key = !v.pipeline.empty() ? v.pipeline : v.service + "/" + v.environment;
    Pipeline& p = pipelines[key];
    p.events_by_service[v.service] += 1;
    p.events += 1;
    if (v.status == DeploymentStatus::kRedeploy || v.status == DeploymentStatus::kNoop) {
      p.noops.push_back(&v);
      (v.status == DeploymentStatus::kRedeploy ? p.redeploys : p.empty) += 1;
    }
  }
  for (auto& [key, p] : pipelines) {
    if (declared(key)) {
      continue;
    }
    auto noops = static_cast<int64_t>(p.noops.size());
    double share = p.events > 0 ? static_cast<double>(noops) / static_cast<double>(p.events) : 0;
    if (noops < params.d6_min_noops || share < params.d6_min_share) {
      continue;
    }
    Flag f = ctx.NewFlag("D6", "D6-2", Tier::kA, {SubjectKind::kPipeline, key});
    // The owner: the team of the service the pipeline deployed most (ties: the first by name).
    auto owner = std::max_element(p.events_by_service.begin(), p.events_by_service.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    f.team = ctx.people().ServiceTeam(owner->first);
    f.score = static_cast<double>(noops);
    f.threshold = static_cast<double>(params.d6_min_noops);
    f.score_name = fmt::format("no-op deployments ({} of events; threshold {})",
                               internal::Pct(share), internal::Pct(params.d6_min_share));
    f.peer_group = "rule (no peer comparison)";
    f.direct_evidence = true;
    std::string digest;
    for (const auto* v : p.noops) {
      if (v->status == DeploymentStatus::kRedeploy && digest.empty()) {
        digest = !v->artifact_digest.empty() ? v->artifact_digest : v->commit_sha;
      }
      f.evidence.push_back(
          {v->deployment_id, v->finished_unix_ms > 0 ? v->finished_unix_ms : v->started_unix_ms,
           v->status == DeploymentStatus::kRedeploy
               ? "re-deployed " + (!v->artifact_digest.empty() ? v->artifact_digest : v->commit_sha)
               : "shipped no meaningful change",
           v->reason});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    std::vector<std::string> parts;
    if (p.redeploys > 0) {
      parts.push_back(
          fmt::format("{} re-deployed an artifact already running (e.g. {})", p.redeploys, digest));
    }
    if (p.empty > 0) {
      parts.push_back(fmt::format("{} shipped no meaningful change", p.empty));
    }
    f.explanation = fmt::format(
        "Pipeline `{}` ran {} deployments from {}; {}. These are excluded from qualifying "
        "deployments and from deployment frequency, so they change no ND; the flag is about the "
        "trustworthiness of the deployment data.",
        key, p.events, ctx.PeriodLabel(), internal::JoinAnd(parts));
    f.recommended_action =
        "Ask the owning team why the pipeline redeploys unchanged artifacts; declare it as a "
        "config pipeline if its rollouts are configuration-only.";
    f.benign_explanations = {"configuration-only rollouts not yet declared as a config pipeline",
                             "a scheduled redeploy to rotate credentials or refresh nodes",
                             "a deployment tool that reports every sync as a deployment"};
    f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
