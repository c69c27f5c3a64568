// AI-assisted ND share (metrics.md §3.4, §4): the part of the scope's ND that came from logical
// changes with evidence of AI help. Observational only: never a target, never rewarded (trailers
// are easy to fake and to strip).
//
// The evidence level of L is the strongest found on any of its commits or changes:
//   E3  an AiLink with evidence "E3" (line fingerprints) on one of L's commits
//   E2  an AiLink with evidence "E2" (telemetry git_commit_id, session overlap)
//   E1  an AiLink "E1" (marker), or model::Commit::ai_markers / model::Change::ai_markers
// The spec's E3 rule (a(L) = matched / S(L) >= 0.2) needs the matched-line count, which AiLink
// does not carry: any E3 link counts as E3 here, and the line-weighted share sum a(L)·S·Q / sum
// S·Q is not computed.
//
// Shares are cumulative: share_e1 = ND of L with any evidence (the spec's AI-assisted(L)) / ND;
// share_e2 = ND of L with E2 or E3 / ND; share_e3 = ND of L with E3 / ND.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::companion {

// 0 none, 1 E1, 2 E2, 3 E3.
int EvidenceRank(std::string_view evidence);

struct AiShare {
  NdBasis basis = NdBasis::kFinal;
  double nd = 0;
  double nd_by_level[4] = {0, 0, 0, 0};  // ND of L whose strongest evidence is none, E1, E2, E3
  int64_t changes_by_level[4] = {0, 0, 0, 0};
  std::optional<double> share_e1, share_e2, share_e3;  // cumulative; nullopt when nd is 0
  bool operator==(const AiShare&) const = default;
};

// The evidence on each commit and change, indexed once so that finding L's level reads only L's
// own commits and changes (a report asks for every L of every scope).
class EvidenceIndex {
 public:
  EvidenceIndex(const std::vector<AiLink>& links, const std::vector<model::Commit>& commits,
                const std::vector<model::Change>& changes);

  // The strongest evidence (0-3) for L.
  int Of(const nd::LogicalChangeCredit& l) const;

 private:
  std::unordered_map<std::string, int> commit_level_;  // sha -> strongest link or marker
  std::unordered_set<std::string> marked_changes_;     // change ids with AI markers
};

// The strongest evidence (0-3) for L given the links and the markers of its commits and changes.
int ChangeEvidence(const nd::LogicalChangeCredit& l, const std::vector<AiLink>& links,
                   const std::vector<model::Commit>& commits,
                   const std::vector<model::Change>& changes);

AiShare ComputeAiShare(const nd::NdResult& result, const EvidenceIndex& evidence,
                       const CompanionScope& scope, NdBasis basis = NdBasis::kFinal);

AiShare ComputeAiShare(const nd::NdResult& result, const std::vector<AiLink>& links,
                       const std::vector<model::Commit>& commits,
                       const std::vector<model::Change>& changes, const CompanionScope& scope,
                       NdBasis basis = NdBasis::kFinal);

}  // namespace goodhart::analytics::companion
