#include "goodhart/simulate/persistence.h"

#include <map>

namespace goodhart::simulate {

std::array<std::set<std::string>, kPeriods> FlagsOf(const RaisedFlags& raised, const Engineer& e) {
  std::array<std::set<std::string>, kPeriods> out;
  const std::string prefix = "dep-" + e.id + "-";
  for (int k = 1; k < kPeriods; ++k) {
    for (const auto& f : raised[static_cast<size_t>(k)]) {
      if (f.tier == detect::Tier::kInfo) {
        continue;  // D13 is informational: logged silently, never reviewed
      }
      bool mine = f.subject.kind == detect::SubjectKind::kPerson && f.subject.id == e.id;
      if (f.subject.kind == detect::SubjectKind::kPipeline) {
        for (const auto& ev : f.evidence) {
          mine = mine || ev.id.rfind(prefix, 0) == 0;
        }
      }
      if (mine) {
        out[static_cast<size_t>(k)].insert(f.detector_id);
      }
    }
  }
  return out;
}

bool Settled(const RaisedFlags& raised, const Engineer& e) {
  // "any" at one period of two means some detector is at one too, so the detectors decide.
  auto by_period = FlagsOf(raised, e);
  std::map<std::string, int> count;
  for (int k = 1; k < kPeriods - 1; ++k) {
    for (const auto& d : by_period[static_cast<size_t>(k)]) {
      count[d] += 1;
    }
  }
  for (const auto& [d, n] : count) {
    if (n == 1) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Persistent(const std::array<std::set<std::string>, kPeriods>& by_period,
                                    bool* any) {
  std::map<std::string, int> count;
  int periods_any = 0;
  for (int k = 1; k < kPeriods; ++k) {
    for (const auto& d : by_period[static_cast<size_t>(k)]) {
      count[d] += 1;
    }
    periods_any += by_period[static_cast<size_t>(k)].empty() ? 0 : 1;
  }
  *any = periods_any >= 2;
  std::vector<std::string> out;
  for (const auto& [d, n] : count) {
    if (n >= 2) {
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace goodhart::simulate
