// NdParams: every parameter of the normalised deployment (metrics.md §3.10) with its default, and
// the definition version that stamps every ND number computed with them. The parameters live in
// the `nd:` section of a YAML file; changing any of them changes what "1 ND" means, so a changed
// set must carry a new `definition_version` (and pass the Goodhart test, metrics.md §6) before it
// is used.
//
//   nd:
//     definition_version: nd-1.0
//     health_window_minutes: 30        # §3.2 item 2
//     fanout_window_minutes: 60        # §3.2 item 3
//     rollout_target_fraction: 1.0     # §3.2 item 2: the rollout must reach this fraction
//     rollback_lookback_days: 180      # §3.2 item 4: an older digest this recent is a rollback
//     group_window_working_days: 3     # §3.3
//     group_file_jaccard: 0.3          # §3.3
//     s_floor_lines: 5                 # §3.7
//     ramp_rho: 0.25                   # §3.7
//     s_ref_window_days: 180           # §3.6
//     s_ref_lag_days: 30               # §3.6
//     s_ref_floor_lines: 20            # §3.6
//     s_ref_min_changes: 30            # §3.6: fewer changes: pool the service family
//     s_ref_fallback_lines: 100        # goodhart: S_ref when no pool has enough history
//     s_max_multiple: 20               # §3.5: S_max = 20 x S_ref
//     w_fail_days: 14                  # §3.8 F
//     hotfix_window_hours: 24          # §3.8 F(d)
//     failure_max_severity: 3          # §3.8 F(c): Sev1..Sev3 incidents fail a change
//     t_prov_days: 21                  # §3.8 D, §3.9
//     t_final_days: 90                 # §3.8 D, §3.9
//     break_glass_working_days: 2      # §3.8 R
//     require_last_push_approval: true # §3.8 R
//     remediation_floor: 0.25          # §3.7
//     remediation_max_severity: 3      # §3.7: remediations of Sev1..Sev3 get the floor
//     group_logical_changes: true      # §6.4 ablation: false = every change its own L ("nd_pr")
//     concave_credit: false            # §6.4 ablation: true = g = min(1, sqrt(S/S_ref))
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::analytics::nd {

// The version of the built-in defaults below.
inline constexpr char kNdDefinitionVersion[] = "nd-1.0";

struct NdParams {
  std::string definition_version = kNdDefinitionVersion;

  // §3.2 qualifying production deployments.
  int64_t health_window_minutes = 30;    // a deployment younger than this is not yet a QPD
  int64_t fanout_window_minutes = 60;    // same (service, env, digest) this close: one deployment
  double rollout_target_fraction = 1.0;  // a smaller rollout_fraction is a failed deployment
  int64_t rollback_lookback_days = 180;  // deploying a digest seen this recently is a rollback

  // §3.3 logical changes.
  int64_t group_window_working_days = 3;
  double group_file_jaccard = 0.3;

  // §3.7 credit function.
  double s_floor_lines = 5;
  double ramp_rho = 0.25;

  // §3.6 reference size.
  int64_t s_ref_window_days = 180;
  int64_t s_ref_lag_days = 30;
  double s_ref_floor_lines = 20;
  int64_t s_ref_min_changes = 30;
  // Not in the spec: S_ref when neither the service, its family nor the whole organisation has
  // s_ref_min_changes logical changes in the window (a new installation's first quarters).
  double s_ref_fallback_lines = 100;
  double s_max_multiple = 20;  // §3.5 guard: S_max = s_max_multiple x S_ref

  // §3.8 quality gates.
  int64_t w_fail_days = 14;
  int64_t hotfix_window_hours = 24;
  int failure_max_severity = 3;
  int64_t t_prov_days = 21;
  int64_t t_final_days = 90;
  int64_t break_glass_working_days = 2;
  bool require_last_push_approval = true;

  // §3.7 remediation exception.
  double remediation_floor = 0.25;
  int remediation_max_severity = 3;

  // Ablations for the Goodhart test (metrics.md §6.4 metrics `nd_pr` and `nd_sqrt`), never for
  // reports: with the defaults the engine computes ND as defined. group_logical_changes = false
  // makes every delivered change its own logical change (content de-duplication still applies);
  // concave_credit = true replaces the ramp and linear bands of g by min(1, sqrt(S / S_ref)) above
  // S_floor. A set with either changed must carry its own definition_version.
  bool group_logical_changes = true;
  bool concave_credit = false;

  // Windows in milliseconds.
  int64_t health_window_ms() const { return health_window_minutes * 60'000; }
  int64_t fanout_window_ms() const { return fanout_window_minutes * 60'000; }
  int64_t rollback_lookback_ms() const;
  int64_t s_ref_window_ms() const;
  int64_t s_ref_lag_ms() const;
  int64_t w_fail_ms() const;
  int64_t hotfix_window_ms() const { return hotfix_window_hours * 3'600'000; }
  int64_t t_prov_ms() const;
  int64_t t_final_ms() const;

  // Ranges and orderings: windows >= 0, fractions in range, T_prov <= T_final, and W_fail <=
  // T_prov so that F is settled when the provisional value is published.
  Status Validate() const;

  bool operator==(const NdParams&) const = default;
};

// Reads the `nd:` section of a YAML document (other top-level keys are ignored, so the section can
// sit in goodhart's main config file). Without an `nd:` section the defaults are returned. Unknown
// keys and wrong types are errors ("nd: params: nd.ramp_rh: unknown key"). A section whose values
// differ from the built-in defaults must name a definition_version other than kNdDefinitionVersion,
// so a report is never stamped with a version its numbers do not follow. The result is validated.
Result<NdParams> ParseNdParams(std::string_view yaml_text);

}  // namespace goodhart::analytics::nd
