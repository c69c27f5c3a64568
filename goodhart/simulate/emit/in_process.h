// The in-process outcome of an emitted world: what goodhart computes from the world's records
// appended straight to a store in this process, with no HTTP, no JSON and no git plumbing between
// them: the wire records (wire_records.h) go through the same pricing processor and embedded store
// the server uses, prompt text through the same keyed sketcher, the repositories through the same
// importer (receivers/git, as `goodhart import-git` runs it), then the server's retention pass
// (review::Maintenance::RunOnce: prompt sketches older than 30 days by the wall clock are deleted,
// so a replayed world dated in the past keeps none). Then the same code the server and CLI run:
// the report with person rows (analytics::report: ComputeNd), one detection run per period end in
// order (review::RunDetection: DetectAll), and the flags they recorded. The replay test asserts
// that a running server fed the emitted files computes exactly this.
//
//   {"prompt_sketches_after_retention": N,
//    "report": <the report document of `goodhart report --people --format json`>,
//    "detect": [{"period_end", "flags", "shown", "new", "suppressed_candidates"}],
//    "flags":  [<`goodhart flags list --all --format json` entries, without the times of the run:
//                created, review_opens, status>]}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/simulate/emit/git_writer.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {

// What the outcome is computed over: the report period and as-of time, and the ends of the
// detection periods, run in this order (the emitted calendar's, emit.h).
struct OutcomeRequest {
  int64_t report_from_unix_ms = 0, report_to_unix_ms = 0, as_of_unix_ms = 0;
  std::vector<int64_t> period_ends_unix_ms;
  // The server's privacy.sketch_key: sketches must be keyed alike to compare.
  std::string sketch_key;
};

Result<nlohmann::json> InProcessOutcome(const WireRecords& records, const GitWriteResult& git,
                                        const OutcomeRequest& request);

// A flag entry without the fields that depend on when detection ran (for comparing two runs).
nlohmann::json WithoutRunTimes(nlohmann::json flag);

}  // namespace goodhart::simulate::emit
