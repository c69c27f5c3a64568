// Peer groups (metrics.md §5.1): a person is compared with people of the same role family
// (product, platform, release, sre, data) and service family, when that group has at least
// `min_group` members with a value; otherwise with the whole organisation, and the detectors whose
// signal is typical of the role are dropped for that person (DetectParams::role_typical_*).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goodhart::detect {

// The role family of a directory role: "product" (also backend, frontend, fullstack, mobile,
// product engineer), "platform" (infra, infrastructure, devops, config), "release" (release
// engineer, release manager), "sre" (ops, oncall), "data" (ml, analytics), "other" for anything
// else, "unknown" for an empty role. Case-insensitive; the first word that matches decides.
std::string RoleFamily(std::string_view role);

struct PeerValue {
  std::string subject;
  std::string group;  // "product/go-api"
  double value = 0;
};

struct PeerComparison {
  struct Group {
    std::string key;              // the group key, or "org-wide"
    std::string label;            // "product/go-api (n=12)", "org-wide (n=96)"
    std::vector<size_t> members;  // indices into the values
    double median = 0, mad = 0, p90 = 0;
    bool fallback = false;  // the org-wide group, used for groups smaller than min_group
  };
  std::vector<Group> groups;
  std::vector<size_t> group_of;  // per value: index into groups
  std::vector<double> z;         // per value: RobustZ against its group
  // "product/go-api (n=12)", or for a fallback "org-wide (n=96; product/go-api has 3)".
  std::string Label(size_t value_index, const std::vector<PeerValue>& values) const;
};

// Robust z of every value against its peer group (REQUIRES: mad_floor > 0).
PeerComparison ComparePeers(const std::vector<PeerValue>& values, int64_t min_group,
                            double mad_floor);

}  // namespace goodhart::detect
