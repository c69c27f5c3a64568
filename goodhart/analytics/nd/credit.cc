#include "goodhart/analytics/nd/credit.h"

#include <algorithm>
#include <cmath>

#include "goodhart/analytics/nd/substance_ref.h"

namespace goodhart::analytics::nd {

std::string_view CreditBandName(CreditBand band) {
  switch (band) {
    case CreditBand::kBelowFloor:
      return "below_floor";
    case CreditBand::kRamp:
      return "ramp";
    case CreditBand::kLinear:
      return "linear";
    case CreditBand::kCapped:
      return "capped";
  }
  return "unknown";
}

double CreditFunction(double s, double s_ref, const NdParams& params) {
  if (s < params.s_floor_lines)
    return 0;
  if (params.concave_credit)
    return std::min(1.0, std::sqrt(s / s_ref));
  double ramp_end = params.ramp_rho * s_ref;
  if (s < ramp_end)
    return (s / s_ref) * std::min(1.0, s / ramp_end);
  return std::min(1.0, s / s_ref);
}

Credit ComputeCredit(double s, double s_ref, const NdParams& params,
                     std::string_view remediation_incident_id) {
  Credit c{.s = s, .s_ref = s_ref, .s_max = SMax(s_ref, params)};
  c.over_s_max = s > c.s_max;
  c.s_credited = std::min(s, c.s_max);
  if (c.s_credited < params.s_floor_lines) {
    c.band = CreditBand::kBelowFloor;
  } else if (c.s_credited < params.ramp_rho * s_ref) {
    c.band = CreditBand::kRamp;
  } else if (c.s_credited < s_ref) {
    c.band = CreditBand::kLinear;
  } else {
    c.band = CreditBand::kCapped;
  }
  c.g_formula = CreditFunction(c.s_credited, s_ref, params);
  c.g = c.g_formula;
  if (!remediation_incident_id.empty()) {
    c.remediation_incident_id = std::string(remediation_incident_id);
    if (c.g < params.remediation_floor) {
      c.g = params.remediation_floor;
      c.floored = true;
    }
  }
  return c;
}

}  // namespace goodhart::analytics::nd
