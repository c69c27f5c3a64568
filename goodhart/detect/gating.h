// The framework rules of metrics.md §5.1 applied to the detectors' candidates:
//   tiers        Tier A passes alone. Tier B passes when significant (its p-value is within the
//                Benjamini-Hochberg cutoff at q over every Tier-B test of the period, and
//                p <= P(Z > 3.5)) and either z >= 5 or corroborated: another detector (D9a and
//                D9b count as one) fires for the same or a related subject in the same period.
//                Non-statistical Tier-B rules (D9b rings, D11 ratio, D12) need corroboration.
//   persistence  a flag must meet its tier rule in >= 2 of the last 3 periods; Tier A flags with
//                direct evidence are exempt (DetectAll counts the periods).
//   materiality  a raised flag is shown when material, else logged silently.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/detect/detect_context.h"
#include "goodhart/detect/detect_params.h"
#include "goodhart/detect/flag.h"

namespace goodhart::detect {

// Subjects whose flags corroborate each other besides the subject itself: a team with its
// members, services and pipelines; a service with its pipelines and the people who own its
// changes; a pipeline with its service and owner team. Symmetric.
class SubjectRelations {
 public:
  void Relate(const Subject& a, const Subject& b);
  bool Related(const Subject& a, const Subject& b) const;

 private:
  std::map<Subject, std::set<Subject>> related_;
};

// "D9a" -> "D9": detectors that count as one for corroboration.
std::string_view DetectorFamily(std::string_view detector_id);

struct TierResult {
  std::vector<Flag> passed;  // tier_passed = true, gate and corroborated_by set
  std::vector<Flag> failed;  // suppressed_reason set
  int64_t tests = 0;         // Tier-B tests in the period (BH's m)
  double bh_cutoff = -1;     // -1: nothing significant
};

// One period's tier rules over every detector's run (dropped flags go to `failed` unchanged).
TierResult ApplyTierRules(const std::vector<DetectorRun>& runs, const SubjectRelations& relations,
                          const DetectParams& params);

// Sets flag.materiality.material and .reason, and flag.shown, from the basis and the params:
//   kNd             nd_effect >= materiality_nd_share x subject_nd (any effect when ND is 0)
//   kCost           cost >= materiality_spend_share x spend, or cost >= materiality_cost_micros
//   kDataIntegrity  always; kInformational never.
void ApplyMateriality(Flag& flag, const DetectParams& params);

}  // namespace goodhart::detect
