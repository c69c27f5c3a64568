#include "goodhart/analytics/linking/change_linker.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/analytics/linking/internal/ascii.h"

namespace goodhart::analytics {
using internal::AsciiLower;

std::vector<ChangeReviews> LinkReviews(const std::vector<model::Change>& changes,
                                       std::span<const model::Review> reviews) {
  std::vector<ChangeReviews> out;
  std::unordered_map<std::string, size_t> position;
  for (const auto& change : changes) {
    if (position.try_emplace(change.id, out.size()).second) {
      out.push_back({.change_id = change.id, .reviews = {}});
    }
  }
  for (const auto& review : reviews) {
    auto it = position.find(review.change_id);
    if (it != position.end()) {
      out[it->second].reviews.push_back(review);
    }
  }
  for (auto& entry : out) {
    std::stable_sort(entry.reviews.begin(), entry.reviews.end(),
                     [](const model::Review& a, const model::Review& b) {
                       return a.submitted_unix_ms < b.submitted_unix_ms;
                     });
  }
  return out;
}

std::vector<std::string> ChangesShippedBy(const std::vector<model::Change>& changes,
                                          std::span<const std::string> commit_shas) {
  std::unordered_set<std::string> shipped;
  for (const auto& sha : commit_shas) {
    shipped.insert(AsciiLower(sha));
  }
  std::vector<std::string> out;
  for (const auto& change : changes) {
    const std::string& sha = change.merge_sha.empty() ? change.head_sha : change.merge_sha;
    if (!sha.empty() && shipped.count(AsciiLower(sha)) > 0) {
      out.push_back(change.id);
    }
  }
  return out;
}

}  // namespace goodhart::analytics
