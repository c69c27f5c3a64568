#include "goodhart/detect/detectors.h"

namespace goodhart::detect {

const std::vector<DetectorInfo>& AllDetectors() {
  static const std::vector<DetectorInfo> kAll = {
      {"D1", &DetectCostToOutput},          {"D2", &DetectOrphanTokens},
      {"D3", &DetectPromptLoops},           {"D4", &DetectScriptedCadence},
      {"D5", &DetectRunawaySessions},       {"D6", &DetectNoopDeployments},
      {"D7", &DetectMicroChanges},          {"D8", &DetectRevertReapply},
      {"D9a", &DetectReviewBypass},         {"D9b", &DetectRubberStamping},
      {"D10", &DetectDiffPadding},          {"D11", &DetectFailureSuppression},
      {"D12", &DetectBaselineManipulation}, {"D13", &DetectAiCreditInflation, true},
  };
  return kAll;
}

}  // namespace goodhart::detect
