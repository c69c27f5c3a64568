// The gaming strategies of the Goodhart test (metrics.md §6.3), each applied by one engineer. A
// strategy diverts a share of the engineer's working time (honest changes are dropped with that
// probability, using the same per-change draw in every strategy) and adds what it adds; gaming
// adds no true value.
#pragma once

#include <string_view>
#include <vector>

namespace goodhart::simulate {

enum class Strategy {
  kHonest,
  kTokenmaxx,      // S1
  kDeploySplit,    // S2
  kNoop,           // S3
  kTrivial,        // S4
  kSplitting,      // S5
  kRevertReapply,  // S6
  kSelfMerge,      // S7
  kPadding,        // S8
  kCombined,       // S9
};

struct StrategyInfo {
  Strategy strategy;
  std::string_view id;    // "S1"
  std::string_view name;  // "tokenmaxx", as in the §6.5 table
  double divert;          // share of working time spent gaming
  // Detectors the strategy is delegated to (§6.6 P2 delegation list; "" when not delegated).
  std::string_view delegated_to;
};

// S1..S9 in order (kHonest is not in the list).
const std::vector<StrategyInfo>& Strategies();
const StrategyInfo& InfoOf(Strategy strategy);

}  // namespace goodhart::simulate
