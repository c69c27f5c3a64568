#include "goodhart/detect/detect_input.h"

namespace goodhart::detect {
namespace {

const analytics::nd::NdResult* Records(const PeriodInput& in) {
  return in.shared_nd ? in.shared_nd.get() : in.nd;
}

}  // namespace

const std::vector<analytics::nd::LogicalChangeCredit>& PeriodInput::NdChanges() const {
  static const std::vector<analytics::nd::LogicalChangeCredit> kNone;
  const analytics::nd::NdResult* r = Records(*this);
  return r != nullptr ? r->changes : kNone;
}

const std::vector<analytics::nd::DeploymentVerdict>& PeriodInput::NdDeployments() const {
  static const std::vector<analytics::nd::DeploymentVerdict> kNone;
  const analytics::nd::NdResult* r = Records(*this);
  return r != nullptr ? r->deployments : kNone;
}

}  // namespace goodhart::detect
