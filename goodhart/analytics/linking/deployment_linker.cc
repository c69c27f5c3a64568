#include "goodhart/analytics/linking/deployment_linker.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "goodhart/analytics/linking/internal/ascii.h"
#include "goodhart/analytics/linking/service_paths.h"

namespace goodhart::analytics {
namespace {

using internal::EqualsIgnoreCase;

bool IsProductionName(std::string_view name) {
  return EqualsIgnoreCase(name, "production") || EqualsIgnoreCase(name, "prod");
}

// Groups `members` (indices into `deployments`) by `key`, orders each group by `time` then input
// order, and records each member's predecessor in `prev`.
template <typename Key, typename KeyFn, typename TimeFn>
void LinkPredecessors(std::span<const model::Deployment> deployments,
                      const std::vector<size_t>& members, KeyFn key, TimeFn time,
                      std::vector<std::optional<size_t>>& prev) {
  std::map<Key, std::vector<size_t>> groups;
  for (size_t i : members) {
    groups[key(deployments[i])].push_back(i);
  }
  for (auto& [unused, group] : groups) {
    std::stable_sort(group.begin(), group.end(), [&](size_t a, size_t b) {
      return time(deployments[a]) < time(deployments[b]);
    });
    for (size_t k = 1; k < group.size(); ++k) {
      prev[group[k]] = group[k - 1];
    }
  }
}

}  // namespace

bool IsSuccessfulDeployment(const model::Deployment& deployment) {
  return EqualsIgnoreCase(deployment.status, "success");
}

bool IsProductionDeployment(const model::Deployment& deployment, const ServiceSpec* service) {
  if (service != nullptr && !service->production_environments.empty()) {
    return std::any_of(
        service->production_environments.begin(), service->production_environments.end(),
        [&](const std::string& env) { return EqualsIgnoreCase(env, deployment.environment); });
  }
  return IsProductionName(deployment.environment_tier) || IsProductionName(deployment.environment);
}

std::vector<std::optional<size_t>> PrevSuccessDeploymentCommit(
    std::span<const model::Deployment> deployments) {
  std::vector<std::optional<size_t>> prev(deployments.size());
  std::vector<size_t> members;
  for (size_t i = 0; i < deployments.size(); ++i) {
    const auto& d = deployments[i];
    if (IsSuccessfulDeployment(d) && d.finished_unix_ms != 0 && !d.environment.empty() &&
        !d.repo.empty()) {
      members.push_back(i);
    }
  }
  using Key = std::tuple<std::string, std::string, std::string>;
  LinkPredecessors<Key>(
      deployments, members,
      [](const model::Deployment& d) {
        return Key{d.service, d.repo, d.environment};
      },
      [](const model::Deployment& d) { return d.finished_unix_ms; }, prev);
  return prev;
}

std::vector<DeploymentLink> LinkDeployments(const std::vector<model::Deployment>& deployments,
                                            const CommitGraph& graph,
                                            const std::vector<ServiceSpec>& services) {
  std::unordered_map<std::string, const ServiceSpec*> spec_by_id;
  for (const auto& service : services) {
    spec_by_id.emplace(service.id, &service);
  }
  auto spec_of = [&](const model::Deployment& d) -> const ServiceSpec* {
    auto it = spec_by_id.find(d.service);
    return it == spec_by_id.end() ? nullptr : it->second;
  };

  std::vector<size_t> members;
  for (size_t i = 0; i < deployments.size(); ++i) {
    const auto& d = deployments[i];
    if (IsSuccessfulDeployment(d) && IsProductionDeployment(d, spec_of(d)) &&
        !d.commit_sha.empty()) {
      members.push_back(i);
    }
  }
  std::vector<std::optional<size_t>> prev(deployments.size());
  using Key = std::pair<std::string, std::string>;
  LinkPredecessors<Key>(
      deployments, members,
      [](const model::Deployment& d) {
        return Key{d.service, d.repo};
      },
      [](const model::Deployment& d) {
        return d.finished_unix_ms != 0 ? d.finished_unix_ms : d.started_unix_ms;
      },
      prev);

  std::unordered_map<const ServiceSpec*, ServicePaths> paths_by_spec;
  std::vector<DeploymentLink> links;
  links.reserve(members.size());
  for (size_t i : members) {
    const auto& d = deployments[i];
    const ServiceSpec* spec = spec_of(d);
    DeploymentLink link{
        .deployment_id = d.id, .service = d.service, .repo = d.repo, .commit_sha = d.commit_sha};
    std::vector<std::string> exclude;
    if (prev[i]) {
      const auto& p = deployments[*prev[i]];
      link.prev_success_deployment_id = p.id;
      link.prev_commit_sha = p.commit_sha;
      exclude.push_back(p.commit_sha);
    }
    CommitRange range = graph.Range(d.commit_sha, exclude);
    link.complete = range.complete;
    // The globs are relative to the service's own repository; another repo of a multi-repo
    // deployment counts whole.
    bool own_repo =
        spec != nullptr && (spec->repo.empty() || d.repo.empty() || spec->repo == d.repo);
    if (own_repo && !spec->paths.empty()) {
      auto it = paths_by_spec.try_emplace(spec, spec->paths).first;
      for (auto& sha : range.shas) {
        if (it->second.Touches(*graph.Find(sha))) {
          link.commit_shas.push_back(std::move(sha));
        }
      }
    } else {
      link.commit_shas = std::move(range.shas);
    }
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace goodhart::analytics
