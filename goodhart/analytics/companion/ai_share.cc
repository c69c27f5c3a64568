#include "goodhart/analytics/companion/ai_share.h"

#include <algorithm>
#include <map>
#include <set>

namespace goodhart::analytics::companion {

int EvidenceRank(std::string_view evidence) {
  if (evidence == kEvidenceE3) {
    return 3;
  }
  if (evidence == kEvidenceE2) {
    return 2;
  }
  if (evidence == kEvidenceE1) {
    return 1;
  }
  return 0;
}

int ChangeEvidence(const nd::LogicalChangeCredit& l, const std::vector<AiLink>& links,
                   const std::vector<model::Commit>& commits,
                   const std::vector<model::Change>& changes) {
  std::set<std::string> shas, change_ids;
  for (const auto& part : l.parts) {
    change_ids.insert(part.change_id);
    for (const auto* list :
         {&part.commit_shas, &part.duplicate_commit_shas, &part.revert_commit_shas}) {
      shas.insert(list->begin(), list->end());
    }
  }
  int level = 0;
  for (const auto& link : links) {
    if (shas.count(link.commit_sha) > 0) {
      level = std::max(level, EvidenceRank(link.evidence));
    }
  }
  for (const auto& c : commits) {
    if (!c.ai_markers.empty() && shas.count(c.sha) > 0) {
      level = std::max(level, 1);
    }
  }
  for (const auto& c : changes) {
    if (!c.ai_markers.empty() && change_ids.count(c.id) > 0) {
      level = std::max(level, 1);
    }
  }
  return level;
}

AiShare ComputeAiShare(const nd::NdResult& result, const std::vector<AiLink>& links,
                       const std::vector<model::Commit>& commits,
                       const std::vector<model::Change>& changes, const CompanionScope& scope,
                       NdBasis basis) {
  AiShare out{.basis = basis};
  for (const auto& c : ScopedChanges(result, scope, basis)) {
    int level = ChangeEvidence(*c.change, links, commits, changes);
    out.nd += c.nd;
    out.nd_by_level[level] += c.nd;
    ++out.changes_by_level[level];
  }
  if (out.nd > 0) {
    double e3 = out.nd_by_level[3];
    double e2 = e3 + out.nd_by_level[2];
    double e1 = e2 + out.nd_by_level[1];
    out.share_e1 = e1 / out.nd;
    out.share_e2 = e2 / out.nd;
    out.share_e3 = e3 / out.nd;
  }
  return out;
}

}  // namespace goodhart::analytics::companion
