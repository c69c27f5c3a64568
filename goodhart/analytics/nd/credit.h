// The credit function g(S) in [0, 1] (metrics.md §3.7):
//
//   g(S) = 0                                    if S < S_floor
//        = (S / S_ref) * min(1, S / (rho*S_ref)) if S_floor <= S < rho*S_ref   (micro-change ramp)
//        = min(1, S / S_ref)                    otherwise                     (linear, capped)
//
// and the exception: a logical change recorded as the remediation of a Sev1-3 incident gets
// g = max(g, remediation_floor). Linear with a cap at one typical change means splitting can never
// earn more than the substance itself; the ramp takes the gain out of flooding with tiny tweaks.
// S above S_max = 20 x S_ref is credited at S_max (g is 1 long before) and flagged for manual
// classification.
#pragma once

#include <string>
#include <string_view>

#include "goodhart/analytics/nd/nd_params.h"

namespace goodhart::analytics::nd {

enum class CreditBand {
  kBelowFloor,  // S < S_floor: 0
  kRamp,        // S_floor <= S < rho*S_ref
  kLinear,      // rho*S_ref <= S < S_ref
  kCapped,      // S >= S_ref: 1
};
// "below_floor", "ramp", "linear", "capped".
std::string_view CreditBandName(CreditBand band);

struct Credit {
  double s = 0;           // S(L) as measured
  double s_credited = 0;  // min(S, S_max)
  double s_ref = 0;
  double s_max = 0;
  bool over_s_max = false;  // queued for manual classification
  CreditBand band = CreditBand::kBelowFloor;
  double g_formula = 0;                 // g(S) before the remediation floor
  double g = 0;                         // the credit used in ND
  std::string remediation_incident_id;  // set when the remediation floor applies
  bool floored = false;                 // the floor raised g
  bool operator==(const Credit&) const = default;
};

// g(S) by the formula above. REQUIRES: s_ref > 0.
double CreditFunction(double s, double s_ref, const NdParams& params);

// g with its evidence. `remediation_incident_id` is the Sev1-3 incident L remediates, "" for none.
// REQUIRES: s_ref > 0.
Credit ComputeCredit(double s, double s_ref, const NdParams& params,
                     std::string_view remediation_incident_id = "");

}  // namespace goodhart::analytics::nd
