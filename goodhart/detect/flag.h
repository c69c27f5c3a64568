// Flag: what a gaming detector says about one subject in one period (metrics.md §5.1). A flag
// starts a human review; it is never a sanction. Every flag carries the evidence behind it, the
// peer comparison, a plain-language explanation, the benign explanations the reviewer will
// consider, and the detector and parameter versions that produced it, so it can be traced and
// contested (§7 item 6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::detect {

// Tier A: deterministic, high precision, may fire alone. Tier B: statistical (robust z against
// peers or the subject's own history); needs corroboration or z >= 5. kInfo: informational
// (D13), always logged silently.
enum class Tier { kA, kB, kInfo };
// "A", "B", "info".
std::string_view TierName(Tier tier);

enum class SubjectKind { kPerson, kTeam, kService, kPipeline };
// "person", "team", "service", "pipeline".
std::string_view SubjectKindName(SubjectKind kind);
Result<SubjectKind> ParseSubjectKind(std::string_view name);

struct Subject {
  SubjectKind kind = SubjectKind::kPerson;
  std::string id;  // person id, team id, service id, pipeline id
  bool operator==(const Subject&) const = default;
  auto operator<=>(const Subject&) const = default;
};

// A four-week detection period, [from, to) in unix milliseconds.
struct Period {
  int64_t from_unix_ms = 0;
  int64_t to_unix_ms = 0;
  bool operator==(const Period&) const = default;
  auto operator<=>(const Period&) const = default;
};

// One concrete, checkable fact behind a flag: a session, a deployment, a pull request, a day.
struct Evidence {
  std::string id;  // session id, deployment id, change id, "2026-06-03", ...
  int64_t at_unix_ms = 0;
  std::string value;  // "184 prompts, CV 0.004"
  std::string note;   // why it is evidence
  bool operator==(const Evidence&) const = default;
};

// What a flag is measured against to decide whether it is shown (§5.1 materiality).
enum class MaterialityBasis {
  kNd,             // the behaviour moves the subject's ND by >= materiality_nd_share
  kCost,           // it costs >= materiality_spend_share of the subject's AI spend or >= $200
  kDataIntegrity,  // it corrupts an organisation-level number (deploy frequency, CFR, S_ref):
                   // always material
  kInformational,  // never material (D13)
};
// "nd", "cost", "data_integrity", "informational".
std::string_view MaterialityBasisName(MaterialityBasis basis);

struct Materiality {
  MaterialityBasis basis = MaterialityBasis::kNd;
  double nd_effect = 0;              // ND the flagged behaviour moves (kNd)
  double subject_nd = 0;             // the subject's ND in the period
  int64_t cost_micros = 0;           // AI spend of the flagged behaviour (kCost)
  int64_t subject_spend_micros = 0;  // the subject's AI spend in the period
  bool material = false;             // set by the framework (gating.h)
  std::string reason;                // "moves 23% of ND (threshold 10%)"
  bool operator==(const Materiality&) const = default;
};

struct Flag {
  std::string id;                // FlagId(detector_id, subject, period): stable across re-runs
  std::string detector_id;       // "D1" ... "D13"; D9 is split into "D9a" (bypass), "D9b"
  std::string detector_version;  // "D1-1"
  std::string params_version;    // DetectParams::version
  Tier tier = Tier::kA;
  Subject subject;
  std::string team;  // the subject's team (person), or the owner team (service, pipeline)
  Period period;

  double score = 0;               // the detector's statistic, in `score_name` units
  double threshold = 0;           // the score it had to reach
  std::string score_name;         // "robust z", "near-duplicate prompts", "no-op share", ...
  std::optional<double> z;        // robust z (or Stouffer Z) when the test is statistical
  std::optional<double> p_value;  // upper-tail normal p of z; enters Benjamini-Hochberg
  std::string peer_group;         // "product/go-api (n=12)"; "org-wide (n=96; ...)"; "own history"
  int64_t peer_n = 0;

  Materiality materiality;
  std::vector<Evidence> evidence;  // at most DetectParams::max_evidence items, largest first
  std::string explanation;         // plain language, numbers filled in (§5.1 "Explanations")
  std::string recommended_action;
  std::vector<std::string> benign_explanations;
  // The evidence proves the behaviour by itself (a revert-reapply pair, a redeployed digest, a
  // merge without approval): exempt from persistence (§5.1 "Tiers").
  bool direct_evidence = false;

  // Set by the framework (gating.h).
  std::string gate;                          // "tier A", "corroborated by D2", "z >= 5", ...
  std::vector<std::string> corroborated_by;  // other detectors firing for a related subject
  bool tier_passed = false;                  // met its tier rule in this period
  int persistent_periods = 0;                // periods of the last 3 in which it met its tier rule
  bool shown = false;                        // material: shown (subject first); else logged
  std::string suppressed_reason;             // set only on DetectOutput::suppressed

  bool operator==(const Flag&) const = default;
};

// "f-" + 32 hex characters: Hash128 of (detector id, subject kind, subject id, period). The same
// detector, subject and period always give the same id, whatever the parameters or evidence.
std::string FlagId(std::string_view detector_id, const Subject& subject, const Period& period);

}  // namespace goodhart::detect
