#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::nd {

std::string_view NdStageName(NdStage stage) {
  switch (stage) {
    case NdStage::kPending:
      return "pending";
    case NdStage::kProvisional:
      return "provisional";
    case NdStage::kFinal:
      return "final";
  }
  return "unknown";
}

}  // namespace goodhart::analytics::nd
