#include "goodhart/analytics/companion/token_metrics.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

using testing::kDayMs;
using testing::kP0;

model::TokenCounts Tokens(int64_t total) {
  return {.input_uncached = total / 2, .cache_read = total / 4, .output = total - total * 3 / 4};
}

model::Commit Commit(std::string sha, std::string email, int64_t authored) {
  model::Commit c;
  c.sha = std::move(sha);
  c.author_email = std::move(email);
  c.authored_unix_ms = authored;
  return c;
}

store::UsageRollupRow Row(std::string actor, int64_t day_offset, int64_t tokens) {
  store::UsageRollupRow row;
  row.actor = std::move(actor);
  row.day = kP0 / kDayMs + day_offset;
  row.tokens = Tokens(tokens);
  return row;
}

// Identities without a resolver are lowercased: "ann@x.io" is person "ann@x.io"; the scenario's
// people are "ann", "bob", "cat", so the organisation scope is used (every cell counts).
TokenInput RollupInput() {
  TokenInput in;
  in.rollups = {Row("ann@x.io", 0, 1000), Row("bob@x.io", 1, 500), Row("cat@x.io", 2, 300),
                Row("ann@x.io", 20, 200)};
  static const std::vector<model::Commit> kCommits = {
      Commit("a1", "Ann@x.io", kP0 + 10 * 3'600'000),  // day 0, 10:00
      Commit("b3", "bob@x.io", kP0 + kDayMs + 3'600'000),
      Commit("c2", "cat@x.io", kP0 + 12 * kDayMs)};
  in.commits = kCommits;  // viewed: TokenInput does not own its commits
  in.links = {{.session_id = "s1", .commit_sha = "a1", .evidence = kEvidenceE2},
              {.session_id = "s3", .commit_sha = "b3", .evidence = kEvidenceE3}};
  return in;
}

TEST(TokenMetricsTest, PersonDayApproximationByHand) {
  TokenMetrics m = ComputeTokenMetrics(testing::Scenario(), RollupInput(), {});
  EXPECT_FALSE(m.per_session);
  // Cells: ann d0 1000 (a1, AI-linked, authored d0: linked), bob d1 500 (b3 on d1: linked),
  // cat d2 300 (c2 has no AI link: orphan), ann d20 200 (a1 is before d20: orphan).
  // Orphan share = (300 + 200) / 2000 = 0.25.
  EXPECT_EQ(m.tokens, 2000);
  EXPECT_EQ(m.orphan_tokens, 500);
  EXPECT_DOUBLE_EQ(*m.orphan_share, 0.25);
  // Shipped: ann d0 authored a1 (E2, L1) that day; bob d1 authored b3 (E3, L3): 1500 tokens.
  // Lines: L1 60 x 0.9 = 54, L3 40 x 1 = 40 -> 94. TSL = 1500 / 94.
  EXPECT_EQ(m.shipped_tokens, 1500);
  EXPECT_DOUBLE_EQ(m.shipped_lines, 94.0);
  EXPECT_DOUBLE_EQ(*m.tokens_per_shipped_line, 1500.0 / 94.0);
}

TEST(TokenMetricsTest, PerSessionByHand) {
  TokenInput in = RollupInput();
  in.rollups.clear();
  auto session = [](std::string id, std::string actor, int64_t end, int64_t tokens) {
    return SessionUsage{.session_id = std::move(id),
                        .actor = std::move(actor),
                        .start_unix_ms = end - 3'600'000,
                        .end_unix_ms = end,
                        .tokens = Tokens(tokens)};
  };
  in.sessions = {session("s1", "ann@x.io", kP0 + 12 * 3'600'000, 800),
                 session("s2", "ann@x.io", kP0 + 5 * kDayMs, 400),
                 session("s3", "bob@x.io", kP0 + kDayMs + 7'200'000, 100),
                 session("s4", "cat@x.io", kP0 + 2 * kDayMs, 100)};
  in.links = {{.session_id = "s1", .commit_sha = "a1", .evidence = kEvidenceE2},
              {.session_id = "s3", .commit_sha = "b3", .evidence = kEvidenceE1},
              {.session_id = "s4", .commit_sha = "c2", .evidence = kEvidenceE2}};
  TokenMetrics m = ComputeTokenMetrics(testing::Scenario(), in, {});
  EXPECT_TRUE(m.per_session);
  // s2 has no link; s4's commit c2 was authored 10 days after s4 ended (> 7): orphans 400 + 100
  // of 1400 = 5/14.
  EXPECT_EQ(m.tokens, 1400);
  EXPECT_DOUBLE_EQ(*m.orphan_share, 5.0 / 14.0);
  // Shipped: s1 (E2 -> a1 of L1) 800; s3 is only E1. Lines: L1's 54. TSL = 800 / 54.
  EXPECT_EQ(m.shipped_tokens, 800);
  EXPECT_DOUBLE_EQ(*m.tokens_per_shipped_line, 800.0 / 54.0);
}

TEST(TokenMetricsTest, NoTokensNoShare) {
  TokenMetrics m = ComputeTokenMetrics(testing::Scenario(), {}, {});
  EXPECT_EQ(m.orphan_share, std::nullopt);
  EXPECT_EQ(m.tokens_per_shipped_line, std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::companion
