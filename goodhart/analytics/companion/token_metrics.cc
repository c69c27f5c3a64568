#include "goodhart/analytics/companion/token_metrics.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

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

// The L delivered in the period that a commit is part of, in NdResult order (a commit of a monorepo
// can be part of one L per service).
using Ls = std::vector<const nd::LogicalChangeCredit*>;

// A link of a person-day cell: the linked commit's authored time and its L (nullptr: none).
struct TimedLink {
  int64_t authored_unix_ms;
  const AiLink* link;
  const Ls* ls;
};

}  // namespace

// The commits and links indexed once, for every scope: by the linked commit's author and time
// (person-day cells) and by session (sessions); L of the period by commit sha, whatever the scope.
struct TokenIndex {
  std::unordered_map<std::string, const model::Commit*> commit_by_sha;
  std::unordered_map<std::string, Ls> ls_of_sha;
  std::unordered_map<std::string, std::vector<TimedLink>> by_person;
  std::unordered_map<std::string, std::vector<const AiLink*>> by_session;
};

std::shared_ptr<const TokenIndex> IndexTokenInput(const nd::NdResult& result,
                                                  const TokenInput& in) {
  auto index = std::make_shared<TokenIndex>();
  for (const auto& c : in.commits) {
    index->commit_by_sha[c.sha] = &c;
  }
  for (const auto& l : result.changes) {
    if (l.delivered_unix_ms < result.period_from_unix_ms ||
        l.delivered_unix_ms >= result.period_to_unix_ms) {
      continue;
    }
    for (const auto& part : l.parts) {
      for (const auto& sha : part.commit_shas) {
        index->ls_of_sha[sha].push_back(&l);
      }
    }
  }
  std::unordered_map<const model::Commit*, std::string> author_of;
  for (const auto& link : in.links) {
    if (!in.sessions.empty()) {
      index->by_session[link.session_id].push_back(&link);
      continue;
    }
    auto commit = index->commit_by_sha.find(link.commit_sha);
    if (commit == index->commit_by_sha.end())
      continue;
    auto ls = index->ls_of_sha.find(link.commit_sha);
    auto [it, added] = author_of.try_emplace(commit->second);
    if (added)
      it->second = ResolvePerson(in.resolve, commit->second->author_email);
    index->by_person[it->second].push_back({commit->second->authored_unix_ms, &link,
                                            ls == index->ls_of_sha.end() ? nullptr : &ls->second});
  }
  for (auto& [person, links] : index->by_person) {
    std::sort(links.begin(), links.end(), [](const TimedLink& a, const TimedLink& b) {
      return a.authored_unix_ms < b.authored_unix_ms;
    });
  }
  return index;
}

TokenMetrics ComputeTokenMetrics(const nd::NdResult& result, const TokenInput& in,
                                 const CompanionScope& scope) {
  return ComputeTokenMetrics(result, in, scope, *IndexTokenInput(result, in));
}

TokenMetrics ComputeTokenMetrics(const nd::NdResult& result, const TokenInput& in,
                                 const CompanionScope& scope, const TokenIndex& index) {
  TokenMetrics out{.per_session = !in.sessions.empty()};
  // Of a commit's L, the last the scope has a part in (a team: a share of one of its people).
  std::unordered_map<const nd::LogicalChangeCredit*, bool> scoped;
  auto in_scope = [&](const nd::LogicalChangeCredit* l) {
    if (scope.team.empty())
      return true;
    auto [it, added] = scoped.try_emplace(l, false);
    if (added) {
      for (const auto& share : l->shares)
        it->second = it->second || InScope(result, scope, share.person_id);
    }
    return it->second;
  };
  auto scoped_l = [&](const Ls* ls) -> const nd::LogicalChangeCredit* {
    if (ls == nullptr)
      return nullptr;
    for (auto it = ls->rbegin(); it != ls->rend(); ++it) {
      if (in_scope(*it))
        return *it;
    }
    return nullptr;
  };
  auto at_or_after = [](const std::vector<TimedLink>& links, int64_t t) {
    return std::lower_bound(links.begin(), links.end(), t,
                            [](const TimedLink& a, int64_t v) { return a.authored_unix_ms < v; });
  };

  std::set<const nd::LogicalChangeCredit*> shipped;
  for (const Unit& u : Units(result, in, scope)) {
    out.tokens += u.tokens;
    bool linked = false, ships = false;
    if (u.session_id.empty()) {
      // Person-day cell: the person's AI-linked commits authored in [day, day + 1 + 7 days).
      auto found = index.by_person.find(u.person);
      if (found != index.by_person.end()) {
        const std::vector<TimedLink>& links = found->second;
        auto first = at_or_after(links, u.start_unix_ms);
        linked = first != links.end() && first->authored_unix_ms < u.end_unix_ms + kOrphanWindowMs;
        for (auto it = first; it != links.end() && it->authored_unix_ms < u.end_unix_ms; ++it) {
          const nd::LogicalChangeCredit* l = nullptr;
          if (EvidenceRank(it->link->evidence) >= 2 && (l = scoped_l(it->ls)) != nullptr) {
            ships = true;
            shipped.insert(l);
          }
        }
      }
    } else {
      auto found = index.by_session.find(u.session_id);
      for (const AiLink* link :
           found == index.by_session.end() ? std::vector<const AiLink*>{} : found->second) {
        auto commit = index.commit_by_sha.find(link->commit_sha);
        bool in_time = commit == index.commit_by_sha.end() ||
                       commit->second->authored_unix_ms <= u.end_unix_ms + kOrphanWindowMs;
        linked = linked || in_time;
        auto ls = index.ls_of_sha.find(link->commit_sha);
        const nd::LogicalChangeCredit* l =
            ls == index.ls_of_sha.end() ? nullptr : scoped_l(&ls->second);
        if (in_time && EvidenceRank(link->evidence) >= 2 && l != nullptr) {
          ships = true;
          shipped.insert(l);
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
