// Agent loops in tool steps (D5's first signal, metrics.md §5.2): a session that repeats the
// same step — the same tool with the same arguments and the same result — at least
// `min_repeats` times in a row, or alternates two steps A-B-A-B for at least `min_repeats`
// cycles (the edit → identical failing test cycle). Steps are compared by their fingerprint
// (UsageEvent::tool_step_fingerprint), so neither arguments nor results are ever kept.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goodhart/store/store.h"

namespace goodhart::detect {

struct ToolLoop {
  int64_t repeats = 0;                         // identical steps in a row, or A-B cycles
  int period = 1;                              // 1: one step repeated; 2: two steps alternating
  std::string tools;                           // "Bash", or "Edit → Bash" for a two-step cycle
  int64_t start_unix_ms = 0, end_unix_ms = 0;  // first and last step of the loop
};

// The longest loop of each session whose steps repeat at least `min_repeats` times, by session
// id. `steps` must be ordered by session, then time (as Store::QueryToolSteps returns them).
std::map<std::string, ToolLoop> FindToolLoops(const std::vector<store::ToolStepRow>& steps,
                                              int64_t min_repeats);

}  // namespace goodhart::detect
