#include "goodhart/detect/internal/detector_util.h"

#include <fmt/format.h>

namespace goodhart::detect::internal {

std::vector<double> PersonPeers::Members(size_t i, const std::vector<double>& other) const {
  std::vector<double> out;
  for (size_t m : GroupOf(i).members) {
    out.push_back(other[m]);
  }
  return out;
}

PersonPeers ComparePersons(const DetectContext& ctx, const std::vector<PersonMetric>& metrics,
                           double mad_floor) {
  PersonPeers out;
  for (const auto& m : metrics) {
    out.values.push_back(
        {.subject = m.person, .group = ctx.people().Info(m.person).PeerGroup(), .value = m.value});
  }
  out.comparison = ComparePeers(out.values, ctx.params().min_peer_group, mad_floor);
  return out;
}

bool DropRoleTypical(const DetectContext& ctx, const PersonPeers& peers, size_t i, Flag& flag,
                     DetectorRun& run) {
  const PersonInfo& info = ctx.people().Info(peers.values[i].subject);
  if (!peers.GroupOf(i).fallback ||
      !IsRoleTypical(ctx.params(), info.role_family, flag.detector_id)) {
    return false;
  }
  flag.suppressed_reason = fmt::format(
      "role-typical signal without a role peer group: {} is typical of {} work and {} has fewer "
      "than {} people",
      flag.detector_id, info.role_family, info.PeerGroup(), ctx.params().min_peer_group);
  run.dropped.push_back(std::move(flag));
  return true;
}

void TrimEvidence(std::vector<Evidence>& evidence, int64_t max) {
  if (static_cast<int64_t>(evidence.size()) > max) {
    evidence.resize(static_cast<size_t>(max));
  }
}

}  // namespace goodhart::detect::internal
