#include "goodhart/analytics/companion/ai_share.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

// L1 (a1) has an E2 link and an E1 link: E2 wins. L2 has none. L3 (b3) has an E3 link.
std::vector<AiLink> Links() {
  return {{.session_id = "s1", .commit_sha = "a1", .evidence = kEvidenceE1, .rule = "marker"},
          {.session_id = "s1", .commit_sha = "a1", .evidence = kEvidenceE2, .rule = "x"},
          {.session_id = "s3", .commit_sha = "b3", .evidence = kEvidenceE3, .rule = "lines"}};
}

TEST(AiShareTest, FinalBasisByHand) {
  AiShare s = ComputeAiShare(testing::Scenario(), Links(), {}, {}, {});
  // Final L: L1 0.5 (E2), L2 1.0 (none). ND 1.5; E1+ = E2+ = 0.5 -> 1/3; E3 0.
  EXPECT_DOUBLE_EQ(s.nd, 1.5);
  EXPECT_DOUBLE_EQ(s.nd_by_level[0], 1.0);
  EXPECT_DOUBLE_EQ(s.nd_by_level[2], 0.5);
  EXPECT_EQ(s.changes_by_level[2], 1);
  EXPECT_DOUBLE_EQ(*s.share_e1, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*s.share_e2, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*s.share_e3, 0.0);
}

TEST(AiShareTest, ProvisionalAndFinalBasisAndTeam) {
  // Adds L3 0.4 (E3): ND 1.9; E1+ = E2+ = 0.9 / 1.9; E3 = 0.4 / 1.9.
  AiShare s =
      ComputeAiShare(testing::Scenario(), Links(), {}, {}, {}, NdBasis::kProvisionalAndFinal);
  EXPECT_DOUBLE_EQ(s.nd, 1.9);
  EXPECT_DOUBLE_EQ(*s.share_e1, 0.9 / 1.9);
  EXPECT_DOUBLE_EQ(*s.share_e3, 0.4 / 1.9);
  // Team core, final: ann's 0.5 of L1 (E2) and 0.5 of L2 (none): 1/2.
  s = ComputeAiShare(testing::Scenario(), Links(), {}, {}, {.team = "core"});
  EXPECT_DOUBLE_EQ(s.nd, 1.0);
  EXPECT_DOUBLE_EQ(*s.share_e2, 0.5);
}

TEST(AiShareTest, MarkersOnCommitsAndChangesAreE1) {
  nd::NdResult r = testing::Scenario();
  model::Commit c2;
  c2.sha = "c2";
  c2.ai_markers = {{.tool = "claude-code", .kind = "trailer"}};
  EXPECT_EQ(ChangeEvidence(r.changes[1], {}, {c2}, {}), 1);
  model::Change ch;
  ch.id = "ch/L2";
  ch.ai_markers = {{.tool = "copilot", .kind = "pr_author"}};
  EXPECT_EQ(ChangeEvidence(r.changes[1], {}, {}, {ch}), 1);
  EXPECT_EQ(ChangeEvidence(r.changes[1], Links(), {}, {}), 0);
  // With L2 at E1 the final share of any evidence is (0.5 + 1.0) / 1.5 = 1.
  AiShare s = ComputeAiShare(r, Links(), {c2}, {}, {});
  EXPECT_DOUBLE_EQ(*s.share_e1, 1.0);
  EXPECT_DOUBLE_EQ(*s.share_e2, 1.0 / 3.0);
}

}  // namespace
}  // namespace goodhart::analytics::companion
