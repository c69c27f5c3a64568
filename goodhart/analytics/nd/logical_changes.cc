#include "goodhart/analytics/nd/logical_changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>

#include "goodhart/analytics/nd/internal/calendar.h"

namespace goodhart::analytics::nd {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsUpper(c) || IsDigit(c) || (c >= 'a' && c <= 'z'); }

// Standards that look like work-item keys.
constexpr std::array<std::string_view, 9> kNotWorkItems = {"UTF", "SHA", "ISO", "RFC", "HTTP",
                                                           "TLS", "AES", "MD",  "IPV"};

void ScanWorkItems(std::string_view text, std::vector<std::string>& out) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsUpper(text[i]) || (i > 0 && IsAlnum(text[i - 1])))
      continue;
    size_t j = i + 1;
    while (j < text.size() && (IsUpper(text[j]) || IsDigit(text[j])))
      ++j;
    if (j - i < 2 || j >= text.size() || text[j] != '-')
      continue;
    size_t k = j + 1;
    while (k < text.size() && IsDigit(text[k]))
      ++k;
    if (k == j + 1 || (k < text.size() && IsAlnum(text[k])))
      continue;
    std::string_view project = text.substr(i, j - i);
    if (std::find(kNotWorkItems.begin(), kNotWorkItems.end(), project) != kNotWorkItems.end())
      continue;
    std::string key(text.substr(i, k - i));
    if (std::find(out.begin(), out.end(), key) == out.end())
      out.push_back(std::move(key));
    i = k - 1;
  }
}

bool Intersects(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a) {
    if (b.count(x) > 0)
      return true;
  }
  return false;
}

// Why two changes belong together, or "" when they do not.
std::string JoinReason(const GroupingCandidate& a, const GroupingCandidate& b,
                       const NdParams& params) {
  double jaccard = FileJaccard(a.files, b.files);
  if (!a.files.empty() && jaccard >= params.group_file_jaccard)
    return fmt::format("{} + {}: file Jaccard {:.2f}", a.change_id, b.change_id, jaccard);
  for (const auto& item : a.work_items) {
    if (std::find(b.work_items.begin(), b.work_items.end(), item) != b.work_items.end())
      return fmt::format("{} + {}: same work item {}", a.change_id, b.change_id, item);
  }
  if (a.repo == b.repo) {
    if (!a.base_ref.empty() && a.base_ref == b.head_ref)
      return fmt::format("{} + {}: stacked on {}", a.change_id, b.change_id, a.base_ref);
    if (!b.base_ref.empty() && b.base_ref == a.head_ref)
      return fmt::format("{} + {}: stacked on {}", a.change_id, b.change_id, b.base_ref);
  }
  return "";
}

}  // namespace

double FileJaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty())
    return 0;
  size_t common = 0;
  for (const auto& x : a)
    common += b.count(x);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::vector<std::string> WorkItemsOf(const model::Change& change) {
  std::vector<std::string> out;
  ScanWorkItems(change.title, out);
  ScanWorkItems(change.head_ref, out);
  for (const auto& label : change.labels)
    ScanWorkItems(label, out);
  return out;
}

std::vector<LogicalChangeGroup> GroupLogicalChanges(
    const std::vector<GroupingCandidate>& candidates, const NdParams& params) {
  size_t n = candidates.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return candidates[a].merged_unix_ms < candidates[b].merged_unix_ms;
  });

  std::vector<size_t> root(n);
  std::iota(root.begin(), root.end(), size_t{0});
  std::vector<std::set<std::string>> patch_ids(n);
  std::vector<std::vector<std::string>> reasons(n);
  for (size_t i = 0; i < n; ++i)
    patch_ids[i] = candidates[i].patch_ids;
  auto find = [&](size_t x) {
    while (root[x] != x)
      x = root[x] = root[root[x]];
    return x;
  };

  for (size_t p = 0; p < n; ++p) {
    const GroupingCandidate& a = candidates[order[p]];
    if (a.owner.empty() || a.revert_only || !params.group_logical_changes)
      continue;
    int64_t window_end =
        internal::AddWorkingDays(a.merged_unix_ms, params.group_window_working_days);
    for (size_t q = p + 1; q < n; ++q) {
      const GroupingCandidate& b = candidates[order[q]];
      if (b.merged_unix_ms > window_end)
        break;
      if (b.owner != a.owner || b.revert_only)
        continue;
      std::string reason = JoinReason(a, b, params);
      if (reason.empty())
        continue;
      size_t ra = find(order[p]), rb = find(order[q]);
      if (ra == rb || Intersects(patch_ids[ra], patch_ids[rb]))
        continue;
      size_t keep = std::min(ra, rb), gone = std::max(ra, rb);
      root[gone] = keep;
      patch_ids[keep].insert(patch_ids[gone].begin(), patch_ids[gone].end());
      reasons[keep].insert(reasons[keep].end(), reasons[gone].begin(), reasons[gone].end());
      reasons[keep].push_back(std::move(reason));
    }
  }

  std::map<size_t, size_t> group_of_root;
  std::vector<LogicalChangeGroup> groups;
  for (size_t i : order) {
    size_t r = find(i);
    auto [it, added] = group_of_root.try_emplace(r, groups.size());
    if (added)
      groups.push_back({.members = {}, .reasons = reasons[r]});
    groups[it->second].members.push_back(i);
  }
  return groups;
}

std::string ContentLedger::CreditedTo(std::string_view service, std::string_view patch_id) const {
  auto it = credited_.find(fmt::format("{}\n{}", service, patch_id));
  return it == credited_.end() ? "" : it->second;
}

void ContentLedger::Credit(std::string_view service, std::string_view patch_id,
                           std::string_view logical_change_id) {
  if (patch_id.empty())
    return;
  credited_.try_emplace(fmt::format("{}\n{}", service, patch_id), logical_change_id);
}

}  // namespace goodhart::analytics::nd
