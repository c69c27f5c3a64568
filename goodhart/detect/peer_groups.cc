#include "goodhart/detect/peer_groups.h"

#include <fmt/format.h>

#include <map>

#include "goodhart/detect/stats.h"

namespace goodhart::detect {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

void Fill(PeerComparison::Group& g, const std::vector<PeerValue>& values) {
  std::vector<double> v;
  v.reserve(g.members.size());
  for (size_t i : g.members) {
    v.push_back(values[i].value);
  }
  g.median = Median(v);
  g.mad = Mad(v, g.median);
  g.p90 = Quantile(std::move(v), 0.9);
}

}  // namespace

std::string RoleFamily(std::string_view role) {
  std::string r = Lower(role);
  if (r.empty()) {
    return "unknown";
  }
  static const std::vector<std::pair<const char*, const char*>> kWords = {
      {"release", "release"},   {"platform", "platform"}, {"infra", "platform"},
      {"devops", "platform"},   {"config", "platform"},   {"sre", "sre"},
      {"oncall", "sre"},        {"ops", "sre"},           {"reliability", "sre"},
      {"data", "data"},         {"ml", "data"},           {"analytics", "data"},
      {"product", "product"},   {"backend", "product"},   {"frontend", "product"},
      {"fullstack", "product"}, {"mobile", "product"},    {"engineer", "product"},
      {"developer", "product"},
  };
  // Split on non-letters and match whole words, first word first.
  std::string word;
  std::vector<std::string> words;
  for (char c : r + " ") {
    if (c >= 'a' && c <= 'z') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  for (const auto& w : words) {
    for (const auto& [key, family] : kWords) {
      if (w == key) {
        return family;
      }
    }
  }
  return "other";
}

std::string PeerComparison::Label(size_t i, const std::vector<PeerValue>& values) const {
  const Group& g = groups[group_of[i]];
  if (!g.fallback) {
    return g.label;
  }
  size_t own = 0;
  for (const auto& v : values) {
    own += v.group == values[i].group ? 1 : 0;
  }
  return fmt::format("org-wide (n={}; {} has {})", g.members.size(), values[i].group, own);
}

PeerComparison ComparePeers(const std::vector<PeerValue>& values, int64_t min_group,
                            double mad_floor) {
  PeerComparison out;
  std::map<std::string, std::vector<size_t>> by_group;
  for (size_t i = 0; i < values.size(); ++i) {
    by_group[values[i].group].push_back(i);
  }
  out.group_of.assign(values.size(), 0);
  PeerComparison::Group org{.key = "org-wide", .fallback = true};
  for (size_t i = 0; i < values.size(); ++i) {
    org.members.push_back(i);
  }
  org.label = fmt::format("org-wide (n={})", org.members.size());
  Fill(org, values);
  bool org_used = false;
  for (auto& [key, members] : by_group) {
    if (static_cast<int64_t>(members.size()) >= min_group) {
      PeerComparison::Group g{.key = key, .members = members};
      g.label = fmt::format("{} (n={})", key, members.size());
      Fill(g, values);
      for (size_t i : members) {
        out.group_of[i] = out.groups.size();
      }
      out.groups.push_back(std::move(g));
    } else {
      org_used = true;
    }
  }
  if (org_used) {
    size_t org_index = out.groups.size();
    out.groups.push_back(std::move(org));
    for (auto& [key, members] : by_group) {
      if (static_cast<int64_t>(members.size()) < min_group) {
        for (size_t i : members) {
          out.group_of[i] = org_index;
        }
      }
    }
  }
  out.z.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& g = out.groups[out.group_of[i]];
    out.z[i] = RobustZ(values[i].value, g.median, g.mad, mad_floor);
  }
  return out;
}

}  // namespace goodhart::detect
