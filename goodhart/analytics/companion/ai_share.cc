#include "goodhart/analytics/companion/ai_share.h"

#include <algorithm>

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

EvidenceIndex::EvidenceIndex(const std::vector<AiLink>& links,
                             const std::vector<model::Commit>& commits,
                             const std::vector<model::Change>& changes) {
  for (const auto& link : links) {
    int& level = commit_level_[link.commit_sha];
    level = std::max(level, EvidenceRank(link.evidence));
  }
  for (const auto& c : commits) {
    if (!c.ai_markers.empty()) {
      int& level = commit_level_[c.sha];
      level = std::max(level, 1);
    }
  }
  for (const auto& c : changes) {
    if (!c.ai_markers.empty()) {
      marked_changes_.insert(c.id);
    }
  }
}

int EvidenceIndex::Of(const nd::LogicalChangeCredit& l) const {
  int level = 0;
  for (const auto& part : l.parts) {
    if (marked_changes_.count(part.change_id) > 0) {
      level = std::max(level, 1);
    }
    for (const auto* list :
         {&part.commit_shas, &part.duplicate_commit_shas, &part.revert_commit_shas}) {
      for (const auto& sha : *list) {
        auto it = commit_level_.find(sha);
        if (it != commit_level_.end()) {
          level = std::max(level, it->second);
        }
      }
    }
  }
  return level;
}

int ChangeEvidence(const nd::LogicalChangeCredit& l, const std::vector<AiLink>& links,
                   const std::vector<model::Commit>& commits,
                   const std::vector<model::Change>& changes) {
  return EvidenceIndex(links, commits, changes).Of(l);
}

AiShare ComputeAiShare(const nd::NdResult& result, const EvidenceIndex& evidence,
                       const CompanionScope& scope, NdBasis basis) {
  AiShare out{.basis = basis};
  for (const auto& c : ScopedChanges(result, scope, basis)) {
    int level = evidence.Of(*c.change);
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

AiShare ComputeAiShare(const nd::NdResult& result, const std::vector<AiLink>& links,
                       const std::vector<model::Commit>& commits,
                       const std::vector<model::Change>& changes, const CompanionScope& scope,
                       NdBasis basis) {
  return ComputeAiShare(result, EvidenceIndex(links, commits, changes), scope, basis);
}

}  // namespace goodhart::analytics::companion
