// ServiceScope: the part of a commit that belongs to one service, for path-restricted substance
// in monorepos (metrics.md §3.2 item 5). Follows analytics::LinkDeployments: the globs apply to
// the service's own repository; a commit of another repository (a multi-repo deployment) counts
// whole.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/linking/service_paths.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd::internal {

class ServiceScope {
 public:
  // `spec` may be nullptr (a service the directory does not know): the whole repository.
  explicit ServiceScope(const model::Service* spec);

  // True when the commit touches the service (ServicePaths::Touches).
  bool Touches(const model::Commit& commit) const;
  // True when this file of `commit` belongs to the service (its path or old path matches).
  bool Contains(const model::Commit& commit, const model::FileDiff& file) const;
  // Meaningful lines of the commit inside the service: the files' `meaningful`, or the commit's
  // `meaningful_lines` when it lists no files and the scope is the whole repository.
  double Meaningful(const model::Commit& commit) const;

 private:
  bool Whole(const model::Commit& commit) const;

  std::string repo_;
  std::optional<ServicePaths> paths_;  // nullopt: whole repository
};

}  // namespace goodhart::analytics::nd::internal
