#include "goodhart/analytics/linking/deployment_services.h"

#include <string_view>
#include <unordered_map>

#include "goodhart/analytics/linking/deployment_linker.h"

namespace goodhart::analytics {

int64_t AssignDeploymentServices(std::vector<model::Deployment>& deployments,
                                 const std::vector<model::Service>& services) {
  std::unordered_map<std::string_view, std::vector<const model::Service*>> by_repo;
  for (const auto& s : services) {
    if (!s.repo.empty()) {
      by_repo[s.repo].push_back(&s);
    }
  }
  int64_t assigned = 0;
  for (auto& d : deployments) {
    if (!d.service.empty() || d.repo.empty()) {
      continue;
    }
    auto it = by_repo.find(d.repo);
    if (it == by_repo.end()) {
      continue;
    }
    const model::Service* pick = nullptr;
    if (it->second.size() == 1) {
      pick = it->second.front();
    } else {
      for (const model::Service* s : it->second) {
        if (!IsProductionDeployment(d, s)) {
          continue;
        }
        if (pick != nullptr) {  // two services deploy to this environment: ambiguous
          pick = nullptr;
          break;
        }
        pick = s;
      }
    }
    if (pick != nullptr) {
      d.service = pick->id;
      ++assigned;
    }
  }
  return assigned;
}

}  // namespace goodhart::analytics
