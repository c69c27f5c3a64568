#include "goodhart/analytics/companion/token_metrics.h"

#include <map>
#include <set>

#include "goodhart/analytics/companion/ai_share.h"
#include "goodhart/analytics/companion/identity.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::companion {
namespace {

// A unit of usage: one session, or one person-day cell.
struct Unit {
  std::string session_id;  // "" for a cell
  std::string person;
  int64_t start_unix_ms = 0, end_unix_ms = 0;
  int64_t tokens = 0;
};

std::vector<Unit> Units(const nd::NdResult& result, const TokenInput& in,
                        const CompanionScope& scope) {
  std::vector<Unit> units;
  for (const auto& s : in.sessions) {
    std::string person = ResolvePerson(in.resolve, s.actor);
    if (s.end_unix_ms >= result.period_from_unix_ms && s.end_unix_ms < result.period_to_unix_ms &&
        InScope(result, scope, person)) {
      units.push_back({s.session_id, person, s.start_unix_ms, s.end_unix_ms, s.tokens.Total()});
    }
  }
  if (!in.sessions.empty()) {
    return units;
  }
  std::map<std::pair<std::string, int64_t>, int64_t> cells;
  for (const auto& row : in.rollups) {
    int64_t start = row.day * kMillisPerDay;
    std::string person = ResolvePerson(in.resolve, row.actor);
    if (start >= result.period_from_unix_ms && start < result.period_to_unix_ms &&
        InScope(result, scope, person)) {
      cells[{person, row.day}] += row.tokens.Total();
    }
  }
  for (const auto& [key, tokens] : cells) {
    int64_t start = key.second * kMillisPerDay;
    units.push_back({"", key.first, start, start + kMillisPerDay, tokens});
  }
  return units;
}

}  // namespace

TokenMetrics ComputeTokenMetrics(const nd::NdResult& result, const TokenInput& in,
                                 const CompanionScope& scope) {
  TokenMetrics out{.per_session = !in.sessions.empty()};
  std::map<std::string, const model::Commit*> commit_by_sha;
  for (const auto& c : in.commits) {
    commit_by_sha[c.sha] = &c;
  }
  auto author = [&](const model::Commit& c) { return ResolvePerson(in.resolve, c.author_email); };

  // Commits of the L delivered in the period (scope: L the scope has a part in), with S x D.
  std::map<std::string, const nd::LogicalChangeCredit*> l_of_sha;
  for (const auto& l : result.changes) {
    if (l.delivered_unix_ms < result.period_from_unix_ms ||
        l.delivered_unix_ms >= result.period_to_unix_ms) {
      continue;
    }
    bool in_scope = scope.team.empty();
    for (const auto& share : l.shares) {
      in_scope = in_scope || InScope(result, scope, share.person_id);
    }
    if (!in_scope) {
      continue;
    }
    for (const auto& part : l.parts) {
      for (const auto& sha : part.commit_shas) {
        l_of_sha[sha] = &l;
      }
    }
  }

  std::set<const nd::LogicalChangeCredit*> shipped;
  for (const Unit& u : Units(result, in, scope)) {
    out.tokens += u.tokens;
    bool linked = false, ships = false;
    for (const auto& link : in.links) {
      auto commit = commit_by_sha.find(link.commit_sha);
      if (u.session_id.empty()) {
        // Person-day cell: the person's AI-linked commits.
        if (commit == commit_by_sha.end() || author(*commit->second) != u.person) {
          continue;
        }
        int64_t t = commit->second->authored_unix_ms;
        linked = linked || (t >= u.start_unix_ms && t < u.end_unix_ms + kOrphanWindowMs);
        auto l = l_of_sha.find(link.commit_sha);
        if (EvidenceRank(link.evidence) >= 2 && l != l_of_sha.end() && t >= u.start_unix_ms &&
            t < u.end_unix_ms) {
          ships = true;
          shipped.insert(l->second);
        }
      } else {
        if (link.session_id != u.session_id) {
          continue;
        }
        bool in_time = commit == commit_by_sha.end() ||
                       commit->second->authored_unix_ms <= u.end_unix_ms + kOrphanWindowMs;
        linked = linked || in_time;
        auto l = l_of_sha.find(link.commit_sha);
        if (in_time && EvidenceRank(link.evidence) >= 2 && l != l_of_sha.end()) {
          ships = true;
          shipped.insert(l->second);
        }
      }
    }
    if (!linked) {
      out.orphan_tokens += u.tokens;
    }
    if (ships) {
      out.shipped_tokens += u.tokens;
    }
  }
  for (const auto* l : shipped) {
    out.shipped_lines += l->s * l->d;
  }
  if (out.tokens > 0) {
    out.orphan_share = static_cast<double>(out.orphan_tokens) / static_cast<double>(out.tokens);
  }
  if (out.shipped_lines > 0) {
    out.tokens_per_shipped_line = static_cast<double>(out.shipped_tokens) / out.shipped_lines;
  }
  return out;
}

}  // namespace goodhart::analytics::companion
