#include "goodhart/simulate/strategy.h"

namespace goodhart::simulate {

const std::vector<StrategyInfo>& Strategies() {
  // The delegation list of §6.6 P2: raw ND may be gamed by these strategies because the named
  // detectors catch them (P3) and ND* removes the gain (P1). Adding to it needs sign-off.
  static const std::vector<StrategyInfo> kList = {
      {Strategy::kTokenmaxx, "S1", "tokenmaxx", 0.05, ""},
      {Strategy::kDeploySplit, "S2", "deploysplit", 0.05, ""},
      {Strategy::kNoop, "S3", "noop", 0.02, ""},
      {Strategy::kTrivial, "S4", "trivial", 0.15, ""},
      {Strategy::kSplitting, "S5", "splitting", 0.05, ""},
      {Strategy::kRevertReapply, "S6", "revert_reapply", 0.05, ""},
      {Strategy::kSelfMerge, "S7", "selfmerge", 0.0, ""},
      {Strategy::kPadding, "S8", "padding", 0.05, "D10"},
      {Strategy::kCombined, "S9", "combined", 0.10, "D1/D2/D4/D7/D10"},
  };
  return kList;
}

const StrategyInfo& InfoOf(Strategy strategy) {
  static const StrategyInfo kHonestInfo{Strategy::kHonest, "S0", "honest", 0.0, ""};
  for (const auto& s : Strategies()) {
    if (s.strategy == strategy) {
      return s;
    }
  }
  return kHonestInfo;
}

}  // namespace goodhart::simulate
