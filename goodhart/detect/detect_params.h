// DetectParams: every parameter of the gaming detectors (metrics.md §5) with its default from the
// spec, and the version string stamped on every flag. The parameters live in the `detect:`
// section of goodhart's YAML (or JSON) config. Thresholds are published to everyone (§1.2,
// Kerckhoffs): the detectors must work when they are known. A changed set must carry a new
// `version` and pass the Goodhart test (§6) before it is used.
//
//   detect:
//     version: detect-1.0
//     tier_b_z: 3.5                  # §5.1 robust z threshold
//     tier_b_alone_z: 5              # §5.1 a Tier-B flag fires alone from here
//     ...                            # one key per field below, same name
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::detect {

// The version of the built-in defaults below.
inline constexpr char kDetectParamsVersion[] = "detect-1.0";

struct DetectParams {
  std::string version = kDetectParamsVersion;

  // §5.1 framework.
  double tier_b_z = 3.5;                  // robust z a Tier-B signal must reach
  double tier_b_alone_z = 5.0;            // z from which a Tier-B flag needs no corroboration
  double bh_q = 0.05;                     // Benjamini-Hochberg FDR over the period's Tier-B tests
  double p_max_z = 3.5;                   // and p <= P(Z > p_max_z) (2.3e-4)
  int64_t persistence_required = 2;       // periods the flag must meet its tier rule in ...
  int64_t persistence_window = 3;         // ... of the last this many (current included)
  int64_t min_peer_group = 8;             // smaller role/service groups fall back to org-wide
  double mad_floor_share = 0.02;          // MAD floor for shares
  double mad_floor_log = 0.10;            // MAD floor for logarithms (spec: 0.05-0.10)
  double materiality_nd_share = 0.10;     // shown when it moves >= 10% of the subject's ND
  double materiality_spend_share = 0.20;  // or costs >= 20% of the subject's AI spend
  int64_t materiality_cost_micros = 200'000'000;  // or >= $200 in the period
  int64_t max_evidence = 5;
  int64_t orphan_window_days = 7;  // §4: a session with no commit/PR linked within 7 days
  // Detectors whose signal is typical of a role, dropped for people of that role family when
  // their role has no peer group of min_peer_group (§5.1 "Peer groups"). Platform/config work is
  // many small changes (§6.2), which earn little ND by design (§3.7 micro ramp), so against
  // org-wide peers both the micro-change share (D7) and the cost per ND (D1) are role-typical;
  // within a platform peer group of min_peer_group both still apply.
  std::vector<std::string> role_typical_release = {"D7"};
  std::vector<std::string> role_typical_platform = {"D1", "D7"};
  std::vector<std::string> role_typical_sre = {"D7"};
  // Work-item labels that mark research or spikes: they lower D1/D2 materiality.
  std::vector<std::string> research_labels = {"research", "spike", "exploration"};
  double research_materiality_factor = 0.5;  // flagged cost counts this much

  // D1 cost-to-output.
  int64_t d1_min_sessions = 20;
  // D2 orphan-token share.
  double d2_min_share = 0.6;
  double d2_min_tokens_z = 2.0;
  // D3 near-duplicate prompt loops.
  double d3_min_jaccard = 0.8;
  int64_t d3_max_simhash_distance = 3;
  int64_t d3_min_tokens = 30;
  int64_t d3_min_prompts = 40;
  double d3_min_share = 0.5;
  double d3_min_orphan_share = 0.8;
  int64_t d3_template_users = 5;
  // D4 scripted cadence.
  int64_t d4_min_prompts_per_day = 50;
  double d4_max_cv = 0.3;
  double d4_modal_share = 0.6;
  double d4_modal_tolerance = 0.05;
  double d4_entropy_bits = 4.2;
  int64_t d4_entropy_min_prompts = 200;
  // D5 agent loop / runaway session.
  double d5_idle_runtime_hours = 2;
  double d5_cost_multiple = 3;
  double d5_cost_quantile = 0.995;
  int64_t d5_min_sessions = 3;
  int64_t d5_loop_min_repeats = 4;  // identical tool steps in a row, or A-B cycles
  // D6 no-op / duplicate deployments.
  int64_t d6_min_noops = 10;
  double d6_min_share = 0.2;
  std::vector<std::string> d6_config_pipelines;  // declared config-only pipelines: exempt
  // D7 micro-change flooding.
  int64_t d7_min_changes = 20;
  double d7_ramp_rho = 0.25;  // "micro" = S < rho x S_ref (nd.ramp_rho)
  // D8 revert-and-reapply.
  int64_t d8_min_pairs = 3;
  int64_t d8_reapply_window_days = 14;
  // D9 review bypass (D9a) and rubber-stamping (D9b).
  double d9_bypass_share = 0.10;
  int64_t d9_min_changes = 10;
  int64_t d9_fast_approval_seconds = 60;
  double d9_fast_min_substance = 200;
  int64_t d9_fast_min_count = 3;
  double d9_ring_share = 0.8;
  int64_t d9_ring_min_approvals = 10;
  // D10 diff padding.
  int64_t d10_min_changes = 5;
  // D11 failure suppression.
  double d11_min_ratio = 0.5;
  int64_t d11_min_shadow_failures = 4;
  int64_t d11_min_history = 4;     // own-history periods needed for the z test
  int64_t d11_min_downgrades = 3;  // downgraded incidents a team needs before its share is tested
  // D12 baseline manipulation.
  double d12_share_growth = 2.0;
  double d12_s_ref_drop = 0.30;
  double d12_flat_tolerance = 0.15;
  int64_t d12_min_changes = 10;
  // D13 AI-credit inflation.
  double d13_share = 0.5;
  int64_t d13_min_changes = 5;

  // Worker threads for prompt clustering; 0 = the machine's cores. Not part of the definition.
  int64_t threads = 0;
  // False skips the informational detectors (D13). Their flags are only logged, never reviewed;
  // they neither corroborate other flags nor enter Benjamini-Hochberg, so no other flag changes.
  // For a caller that counts reviewed flags alone (the simulator). Not part of the definition,
  // and not read from the config file.
  bool run_informational = true;

  // Ranges: shares in [0, 1], positive thresholds and counts, persistence_required <=
  // persistence_window. Errors read "detect: params: bh_q: 1.5 is not in (0, 1)".
  Status Validate() const;

  bool operator==(const DetectParams&) const = default;
};

// Reads the `detect:` section of a YAML or JSON document (other top-level keys are ignored).
// Without a `detect:` section the defaults are returned. Unknown keys and wrong types are errors
// ("detect: params: detect.tier_b: unknown key"). A section whose values differ from the built-in
// defaults must name a version other than kDetectParamsVersion. The result is validated.
Result<DetectParams> ParseDetectParams(std::string_view yaml_or_json_text);

// True when `detector_id` is typical of `role_family` (role_typical_* above).
bool IsRoleTypical(const DetectParams& params, std::string_view role_family,
                   std::string_view detector_id);

}  // namespace goodhart::detect
