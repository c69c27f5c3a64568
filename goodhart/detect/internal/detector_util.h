// Helpers the detectors share: peer comparison of a per-person metric, the role-typical drop,
// evidence trimming.
#pragma once

#include <string>
#include <vector>

#include "goodhart/detect/detect_context.h"
#include "goodhart/detect/peer_groups.h"

namespace goodhart::detect::internal {

struct PersonMetric {
  std::string person;
  double value = 0;
};

struct PersonPeers {
  std::vector<PeerValue> values;
  PeerComparison comparison;
  const PeerComparison::Group& GroupOf(size_t i) const {
    return comparison.groups[comparison.group_of[i]];
  }
  std::string Label(size_t i) const { return comparison.Label(i, values); }
  // The peers' values of another metric (same order as `values`), for explanations.
  std::vector<double> Members(size_t i, const std::vector<double>& other) const;
};

PersonPeers ComparePersons(const DetectContext& ctx, const std::vector<PersonMetric>& metrics,
                           double mad_floor);

// True, and the candidate moved to run.dropped with its reason, when the person's peer group fell
// back to org-wide and the detector's signal is typical of the person's role family.
bool DropRoleTypical(const DetectContext& ctx, const PersonPeers& peers, size_t i, Flag& flag,
                     DetectorRun& run);

// Keeps the first `max` evidence items.
void TrimEvidence(std::vector<Evidence>& evidence, int64_t max);

}  // namespace goodhart::detect::internal
