#include "goodhart/detect/tool_loops.h"

#include <algorithm>

namespace goodhart::detect {
namespace {

// Scans one session's steps [begin, end) and keeps the longest loop in *best.
void ScanSession(const std::vector<store::ToolStepRow>& steps, size_t begin, size_t end,
                 ToolLoop* best) {
  auto keep = [&](size_t first, size_t last, int period, int64_t repeats) {
    if (repeats <= best->repeats)
      return;
    best->repeats = repeats;
    best->period = period;
    best->tools = period == 1 ? steps[first].tool_name
                              : steps[first].tool_name + " → " + steps[first + 1].tool_name;
    best->start_unix_ms = steps[first].time_unix_ms;
    best->end_unix_ms = steps[last].time_unix_ms;
  };
  // One step repeated: runs of equal fingerprints.
  for (size_t i = begin; i < end;) {
    size_t j = i + 1;
    while (j < end && steps[j].fingerprint == steps[i].fingerprint)
      ++j;
    keep(i, j - 1, 1, static_cast<int64_t>(j - i));
    i = j;
  }
  // Two steps alternating: a stretch where every step equals the one two before and differs
  // from the one before; it holds (length / 2) full A-B cycles.
  for (size_t i = begin; i + 1 < end;) {
    if (steps[i].fingerprint == steps[i + 1].fingerprint) {
      ++i;
      continue;
    }
    size_t j = i + 2;
    while (j < end && steps[j].fingerprint == steps[j - 2].fingerprint &&
           steps[j].fingerprint != steps[j - 1].fingerprint)
      ++j;
    keep(i, j - 1, 2, static_cast<int64_t>((j - i) / 2));
    i = std::max(i + 1, j - 1);
  }
}

}  // namespace

std::map<std::string, ToolLoop> FindToolLoops(const std::vector<store::ToolStepRow>& steps,
                                              int64_t min_repeats) {
  std::map<std::string, ToolLoop> loops;
  for (size_t begin = 0; begin < steps.size();) {
    size_t end = begin + 1;
    while (end < steps.size() && steps[end].session_id == steps[begin].session_id)
      ++end;
    ToolLoop best;
    ScanSession(steps, begin, end, &best);
    if (best.repeats >= min_repeats && !steps[begin].session_id.empty())
      loops[steps[begin].session_id] = best;
    begin = end;
  }
  return loops;
}

}  // namespace goodhart::detect
