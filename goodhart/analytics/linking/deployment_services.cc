#include "goodhart/analytics/linking/deployment_services.h"

#include <string_view>
#include <unordered_map>

#include "goodhart/analytics/linking/deployment_linker.h"

namespace goodhart::analytics {
namespace {

// The services of `services` that `matches`: none, the one, or several (ambiguous).
struct Matched {
  int count = 0;
  const model::Service* only = nullptr;  // set when count == 1
};
template <typename Matches>
Matched Match(const std::vector<const model::Service*>& services, Matches matches) {
  Matched m;
  for (const model::Service* s : services) {
    if (matches(*s)) {
      m.only = ++m.count == 1 ? s : nullptr;
    }
  }
  return m;
}

}  // namespace

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
      // A service whose own list names the environment first; the services without a list take
      // what their source marks production only when no list names it. Several: ambiguous.
      auto production_for = [&](bool listed) {
        return Match(it->second, [&](const model::Service& s) {
          return s.production_environments.empty() != listed && IsProductionDeployment(d, &s);
        });
      };
      Matched by_list = production_for(true);
      pick = by_list.count > 0 ? by_list.only : production_for(false).only;
    }
    if (pick != nullptr) {
      d.service = pick->id;
      ++assigned;
    }
  }
  return assigned;
}

}  // namespace goodhart::analytics
