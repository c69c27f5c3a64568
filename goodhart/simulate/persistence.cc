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

namespace {

// How many of the test periods 1..last flagged each detector.
std::map<std::string, int> PeriodsFlagged(
    const std::array<std::set<std::string>, kPeriods>& by_period, int last) {
  std::map<std::string, int> count;
  for (int k = 1; k <= last; ++k) {
    for (const auto& d : by_period[static_cast<size_t>(k)]) {
      count[d] += 1;
    }
  }
  return count;
}

}  // namespace

bool Settled(const RaisedFlags& raised, const Engineer& e) {
  // "any" at one period of two means some detector is at one too, so the detectors decide.
  for (const auto& [d, n] : PeriodsFlagged(FlagsOf(raised, e), kPeriods - 2)) {
    if (n == 1) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Persistent(const std::array<std::set<std::string>, kPeriods>& by_period,
                                    bool* any) {
  int periods_any = 0;
  for (int k = 1; k < kPeriods; ++k) {
    periods_any += by_period[static_cast<size_t>(k)].empty() ? 0 : 1;
  }
  *any = periods_any >= 2;
  std::vector<std::string> out;
  for (const auto& [d, n] : PeriodsFlagged(by_period, kPeriods - 1)) {
    if (n >= 2) {
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace goodhart::simulate
