// Token companion metrics (metrics.md §4):
//   orphan-token share        tokens of sessions with no linked commit within 7 days / all tokens
//   tokens per shipped line   tokens of sessions linked (E2/E3) to delivered L
//                             / sum of those L's durable meaningful lines (S(L) x D(L))
// Tokens are TokenCounts::Total(): uncached input + cache reads + cache writes + output.
//
// Two granularities, because the store's rollups have no session id:
//   - per session (exact): the caller passes SessionUsage, summed from usage events. A session is
//     linked when an AiLink names it (any evidence; E2/E3 for tokens per shipped line) and the
//     linked commit was authored no later than 7 days after the session ended.
//   - per person-day (approximation, from UsageRollupRow): a cell (person, day) stands for that
//     person's sessions that day. It is linked when the person authored, in [day, day + 8 days),
//     a commit that has any AiLink (for tokens per shipped line: an E2/E3 link, on a commit of a
//     delivered L, authored that same day). A person who works on linked and exploratory sessions
//     the same day has the whole day counted as linked, so the approximation understates orphans.
// The period is the NdResult's: sessions ending in it, cells whose day starts in it, L delivered
// in it (any stage: D so far; pending L use D at T_prov so far).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/model/delivery.h"
#include "goodhart/model/token_counts.h"
#include "goodhart/store/store.h"

namespace goodhart::analytics::companion {

inline constexpr int64_t kOrphanWindowMs = int64_t{7} * 24 * 3600 * 1000;

struct SessionUsage {
  std::string session_id;
  std::string actor;  // raw identity
  int64_t start_unix_ms = 0, end_unix_ms = 0;
  model::TokenCounts tokens;
};

struct TokenInput {
  // Exactly one of the two: sessions when the caller has them, else rollups.
  std::vector<SessionUsage> sessions;
  std::vector<store::UsageRollupRow> rollups;
  // Authors and authored times of linked commits. Not owned (a report's history is a million
  // commits): the vector it views must outlive the input.
  std::span<const model::Commit> commits;
  std::vector<AiLink> links;
  IdentityResolver resolve;
};

struct TokenMetrics {
  bool per_session = false;  // false: the person-day approximation
  int64_t tokens = 0;
  int64_t orphan_tokens = 0;
  std::optional<double> orphan_share;             // nullopt without tokens
  int64_t shipped_tokens = 0;                     // tokens linked (E2/E3) to delivered L
  double shipped_lines = 0;                       // sum of S(L) x D(L) over those L
  std::optional<double> tokens_per_shipped_line;  // nullopt without shipped lines
  bool operator==(const TokenMetrics&) const = default;
};

TokenMetrics ComputeTokenMetrics(const nd::NdResult& result, const TokenInput& input,
                                 const CompanionScope& scope);

// The commits and links of `input` indexed for ComputeTokenMetrics, whatever the scope: a report
// computes the organisation and every team over one NdResult and indexes once.
struct TokenIndex;
std::shared_ptr<const TokenIndex> IndexTokenInput(const nd::NdResult& result,
                                                  const TokenInput& input);
// REQUIRES: `index` was made from `result` and an input with the same commits and links.
TokenMetrics ComputeTokenMetrics(const nd::NdResult& result, const TokenInput& input,
                                 const CompanionScope& scope, const TokenIndex& index);

}  // namespace goodhart::analytics::companion
