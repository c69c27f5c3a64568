#include "goodhart/analytics/nd/internal/service_scope.h"

namespace goodhart::analytics::nd::internal {

ServiceScope::ServiceScope(const model::Service* spec) {
  if (spec != nullptr) {
    repo_ = spec->repo;
    if (!spec->paths.empty())
      paths_.emplace(spec->paths);
  }
}

bool ServiceScope::Whole(const model::Commit& commit) const {
  return !paths_ || (!repo_.empty() && !commit.repo.empty() && repo_ != commit.repo);
}

bool ServiceScope::Touches(const model::Commit& commit) const {
  return Whole(commit) || paths_->Touches(commit);
}

bool ServiceScope::Contains(const model::Commit& commit, const model::FileDiff& file) const {
  if (Whole(commit))
    return true;
  return paths_->Matches(file.path) || (!file.old_path.empty() && paths_->Matches(file.old_path));
}

double ServiceScope::Meaningful(const model::Commit& commit) const {
  if (commit.files.empty())
    return Whole(commit) ? commit.meaningful_lines : 0;
  double sum = 0;
  for (const auto& file : commit.files) {
    if (Contains(commit, file))
      sum += file.meaningful;
  }
  return sum;
}

}  // namespace goodhart::analytics::nd::internal
