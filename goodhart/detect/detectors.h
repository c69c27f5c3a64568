// The detector catalog of metrics.md §5.2, one function per detector (one file each,
// dNN_*.cc). Each reads a DetectContext (one period, resolved and summarised) and returns the
// subjects that crossed its own threshold as candidates, with the score, peer comparison,
// evidence, explanation, recommended action and benign explanations filled in, plus every Tier-B
// p-value it computed (for Benjamini-Hochberg). Tier rules, persistence and materiality are the
// framework's (gating.h, detect_all.h). What each detector reads, and what it approximates where
// goodhart does not have the input the spec names yet, is listed in detect/README.md.
#pragma once

#include <vector>

#include "goodhart/detect/detect_context.h"

namespace goodhart::detect {

DetectorRun DetectCostToOutput(const DetectContext& ctx);          // D1, Tier B, person
DetectorRun DetectOrphanTokens(const DetectContext& ctx);          // D2, Tier B, person
DetectorRun DetectPromptLoops(const DetectContext& ctx);           // D3, Tier A, person
DetectorRun DetectScriptedCadence(const DetectContext& ctx);       // D4, Tier A, person
DetectorRun DetectRunawaySessions(const DetectContext& ctx);       // D5, Tier A, person
DetectorRun DetectNoopDeployments(const DetectContext& ctx);       // D6, Tier A, pipeline
DetectorRun DetectMicroChanges(const DetectContext& ctx);          // D7, Tier B, person
DetectorRun DetectRevertReapply(const DetectContext& ctx);         // D8, Tier A, person
DetectorRun DetectReviewBypass(const DetectContext& ctx);          // D9a, Tier A, person
DetectorRun DetectRubberStamping(const DetectContext& ctx);        // D9b, Tier B, person
DetectorRun DetectDiffPadding(const DetectContext& ctx);           // D10, Tier B, person
DetectorRun DetectFailureSuppression(const DetectContext& ctx);    // D11, Tier B, team
DetectorRun DetectBaselineManipulation(const DetectContext& ctx);  // D12, Tier B, service
DetectorRun DetectAiCreditInflation(const DetectContext& ctx);     // D13, informational, person

struct DetectorInfo {
  const char* id;
  DetectorRun (*run)(const DetectContext&);
  bool informational = false;  // its flags are only logged (DetectParams::run_informational)
};
// Every detector, in catalog order.
const std::vector<DetectorInfo>& AllDetectors();

}  // namespace goodhart::detect
