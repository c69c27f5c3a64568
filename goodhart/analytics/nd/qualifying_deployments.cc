#include "goodhart/analytics/nd/qualifying_deployments.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "goodhart/analytics/linking/deployment_linker.h"
#include "goodhart/analytics/nd/internal/strings.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using internal::Lower;

int64_t FinishedOrStarted(const model::Deployment& d) {
  return d.finished_unix_ms != 0 ? d.finished_unix_ms : d.started_unix_ms;
}
int64_t StartedOrFinished(const model::Deployment& d) {
  return d.started_unix_ms != 0 ? d.started_unix_ms : d.finished_unix_ms;
}

std::string DigestKey(const model::Deployment& d) {
  if (!d.artifact_digest.empty())
    return d.artifact_digest;
  if (!d.commit_sha.empty())
    return "sha:" + Lower(d.commit_sha);
  return "";
}

bool IsRunningStatus(std::string_view status) {
  std::string s = Lower(status);
  return s == "in_progress" || s == "queued" || s == "pending" || s == "waiting" ||
         s == "running" || s == "started" || s.empty();
}

std::string ShortDigest(const model::Deployment& d) {
  std::string key = DigestKey(d);
  return key.size() > 19 ? key.substr(0, 19) : key;
}

std::string Minutes(int64_t ms) { return fmt::format("{} min", ms / 60'000); }

}  // namespace

std::string_view DeploymentStatusName(DeploymentStatus status) {
  switch (status) {
    case DeploymentStatus::kQpd:
      return "qpd";
    case DeploymentStatus::kFailed:
      return "failed";
    case DeploymentStatus::kRedeploy:
      return "redeploy";
    case DeploymentStatus::kRollback:
      return "rollback";
    case DeploymentStatus::kNoop:
      return "noop";
    case DeploymentStatus::kNonProduction:
      return "non_production";
    case DeploymentStatus::kDuplicate:
      return "duplicate";
    case DeploymentStatus::kPending:
      return "pending";
  }
  return "unknown";
}

std::vector<DeploymentVerdict> ClassifyDeployments(std::span<const model::Deployment> deployments,
                                                   const CommitGraph& graph,
                                                   const std::vector<model::Service>& services,
                                                   const NdParams& params, int64_t as_of_unix_ms) {
  std::unordered_map<std::string, const model::Service*> spec_by_id;
  for (const auto& s : services)
    spec_by_id.emplace(s.id, &s);

  std::vector<const model::Deployment*> records;  // parallel to `out`
  std::vector<DeploymentVerdict> out;
  for (const auto& d : deployments) {
    if (StartedOrFinished(d) > as_of_unix_ms)
      continue;
    records.push_back(&d);
    DeploymentVerdict v{.deployment_id = d.id,
                        .service = d.service,
                        .environment = d.environment,
                        .repo = d.repo,
                        .commit_sha = d.commit_sha,
                        .artifact_digest = d.artifact_digest,
                        .pipeline_id = d.pipeline_id,
                        .pipeline = d.pipeline,
                        .started_unix_ms = d.started_unix_ms,
                        .finished_unix_ms = d.finished_unix_ms};
    auto spec_it = spec_by_id.find(d.service);
    const model::Service* spec = spec_it == spec_by_id.end() ? nullptr : spec_it->second;
    // GitHub marks a deployment "inactive" once a newer one succeeds: it ran successfully.
    std::string status = Lower(d.status) == "inactive" ? "success" : Lower(d.status);
    if (d.service.empty()) {
      v.status = DeploymentStatus::kNonProduction;
      v.reason = "the deployment names no service";
    } else if (!IsProductionDeployment(d, spec)) {
      v.status = DeploymentStatus::kNonProduction;
      v.reason = fmt::format("environment '{}' is not a production environment of {}",
                             d.environment, d.service);
    } else if (status == "success" && d.finished_unix_ms > as_of_unix_ms) {
      v.status = DeploymentStatus::kPending;
      v.reason = "still rolling out at the evaluation time";
    } else if (status != "success" && IsRunningStatus(status)) {
      v.status = DeploymentStatus::kPending;
      v.reason = fmt::format("status '{}': not finished", d.status);
    } else if (status != "success") {
      v.status = DeploymentStatus::kFailed;
      v.reason = fmt::format("status '{}'", d.status);
    } else if (d.rollout_fraction + 1e-9 < params.rollout_target_fraction) {
      v.status = DeploymentStatus::kFailed;
      v.reason = fmt::format("rollout reached {:g}% of the {:g}% target", d.rollout_fraction * 100,
                             params.rollout_target_fraction * 100);
    } else if (FinishedOrStarted(d) + params.health_window_ms() > as_of_unix_ms) {
      v.status = DeploymentStatus::kPending;
      v.reason = fmt::format("inside the {} health window", Minutes(params.health_window_ms()));
    } else {
      v.status = DeploymentStatus::kQpd;  // a candidate until fan-out and the digest walk
    }
    out.push_back(std::move(v));
  }

  // §3.2 item 3: pipeline fan-out.
  using FanoutKey = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<FanoutKey, std::vector<size_t>> fanout;
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& d = *records[i];
    if (out[i].status == DeploymentStatus::kQpd && !DigestKey(d).empty())
      fanout[{d.service, d.environment, d.repo, DigestKey(d)}].push_back(i);
  }
  for (auto& [unused, group] : fanout) {
    std::stable_sort(group.begin(), group.end(), [&](size_t a, size_t b) {
      return StartedOrFinished(*records[a]) < StartedOrFinished(*records[b]);
    });
    size_t anchor = group.front();
    for (size_t k = 1; k < group.size(); ++k) {
      size_t i = group[k];
      const auto& a = *records[anchor];
      const auto& d = *records[i];
      bool same_pipeline = !d.pipeline_id.empty() && d.pipeline_id == a.pipeline_id;
      int64_t gap = StartedOrFinished(d) - StartedOrFinished(a);
      if (same_pipeline || gap <= params.fanout_window_ms()) {
        out[i].status = DeploymentStatus::kDuplicate;
        out[i].related_deployment_id = a.id;
        out[i].reason =
            same_pipeline
                ? fmt::format("fan-out of {}: same digest from pipeline {}", a.id, d.pipeline_id)
                : fmt::format("fan-out of {}: same digest {} after it", a.id, Minutes(gap));
      } else {
        anchor = i;
      }
    }
  }

  // §3.2 item 4: redeploys and rollbacks, walking each (service, environment, repo) in order.
  using TrackKey = std::tuple<std::string, std::string, std::string>;
  std::map<TrackKey, std::vector<size_t>> tracks;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].status == DeploymentStatus::kQpd) {
      const auto& d = *records[i];
      tracks[{d.service, d.environment, d.repo}].push_back(i);
    }
  }
  std::vector<std::string> digests(out.size());
  for (size_t i = 0; i < out.size(); ++i)
    digests[i] = DigestKey(*records[i]);
  for (auto& [unused, track] : tracks) {
    std::stable_sort(track.begin(), track.end(), [&](size_t a, size_t b) {
      return FinishedOrStarted(*records[a]) < FinishedOrStarted(*records[b]);
    });
    std::vector<size_t> history;  // landed and not superseded, oldest first
    for (size_t i : track) {
      const auto& d = *records[i];
      DeploymentVerdict& v = out[i];
      v.landed = true;
      const std::string& digest = digests[i];
      int64_t at = FinishedOrStarted(d);
      if (!digest.empty() && !history.empty() && digests[history.back()] == digest) {
        v.status = DeploymentStatus::kRedeploy;
        v.related_deployment_id = records[history.back()]->id;
        v.reason = fmt::format("digest {} is already running (deployed by {})", ShortDigest(d),
                               v.related_deployment_id);
        history.push_back(i);
        continue;
      }
      // History is in time order: stop at the lookback horizon.
      std::optional<size_t> target_pos;
      for (size_t k = history.size(); k-- > 0 && !digest.empty();) {
        if (FinishedOrStarted(*records[history[k]]) < at - params.rollback_lookback_ms())
          break;
        if (digests[history[k]] == digest) {
          target_pos = k;
          break;
        }
      }
      if (target_pos) {
        v.status = DeploymentStatus::kRollback;
        v.related_deployment_id = records[history[*target_pos]]->id;
        v.reason = fmt::format("restores digest {} of {}", ShortDigest(d), v.related_deployment_id);
        for (size_t k = *target_pos + 1; k < history.size(); ++k) {
          DeploymentVerdict& superseded = out[history[k]];
          if (superseded.status != DeploymentStatus::kQpd)
            continue;
          int64_t after = at - FinishedOrStarted(*records[history[k]]);
          superseded.status = DeploymentStatus::kFailed;
          superseded.related_deployment_id = d.id;
          superseded.rolled_back_by = d.id;
          superseded.rolled_back_unix_ms = at;
          superseded.reason = after <= params.health_window_ms()
                                  ? fmt::format("aborted: rolled back by {} {} after finishing",
                                                d.id, Minutes(after))
                                  : fmt::format("rolled back by {} at {}", d.id, FormatMillis(at));
        }
        history.resize(*target_pos + 1);
        history.push_back(i);
        continue;
      }
      v.reason = "successful production deployment of a new digest";
      history.push_back(i);
    }
  }

  // §3.2 item 5: change sets over the records that landed.
  std::vector<model::Deployment> landed;
  std::vector<size_t> landed_index;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].landed)
      continue;
    if (records[i]->commit_sha.empty()) {
      out[i].change_set_complete = false;
      continue;
    }
    model::Deployment copy = *records[i];
    copy.status = "success";  // a rolled-back deployment still ran
    landed.push_back(std::move(copy));
    landed_index.push_back(i);
  }
  std::vector<DeploymentLink> links = LinkDeployments(landed, graph, services);
  GOODHART_CHECK(links.size() == landed.size());
  for (size_t k = 0; k < links.size(); ++k) {
    DeploymentVerdict& v = out[landed_index[k]];
    v.prev_deployment_id = links[k].prev_success_deployment_id;
    v.prev_commit_sha = links[k].prev_commit_sha;
    v.commit_shas = std::move(links[k].commit_shas);
    v.change_set_complete = links[k].complete;
  }
  return out;
}

void MarkNoopDeployments(std::vector<DeploymentVerdict>& verdicts,
                         const std::function<double(const DeploymentVerdict&)>& substance) {
  for (auto& v : verdicts) {
    if (v.status != DeploymentStatus::kQpd)
      continue;
    v.substance = substance(v);
    if (v.substance > 0)
      continue;
    if (!v.change_set_complete) {
      v.reason += "; change set incomplete (history missing), so not judged a no-op";
      continue;
    }
    v.status = DeploymentStatus::kNoop;
    v.reason = v.commit_shas.empty()
                   ? "no-op: ships no commit of the service that was not already running"
                   : fmt::format("no-op: its {} commit(s) carry no meaningful lines",
                                 v.commit_shas.size());
  }
}

}  // namespace goodhart::analytics::nd
