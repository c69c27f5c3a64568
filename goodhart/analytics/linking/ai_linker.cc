#include "goodhart/analytics/linking/ai_linker.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "goodhart/analytics/linking/internal/ascii.h"

namespace goodhart::analytics {
namespace {

using internal::AsciiLower;
using internal::EqualsIgnoreCase;

constexpr std::string_view kSessionTrailers[] = {"Claude-Session", "Amp-Thread-ID",
                                                 "Kiro-Session-Id"};

int EvidenceRank(std::string_view evidence) {
  if (evidence == kEvidenceE3) {
    return 3;
  }
  if (evidence == kEvidenceE2) {
    return 2;
  }
  return evidence == kEvidenceE1 ? 1 : 0;
}

}  // namespace

std::vector<AiSession> SessionsFromUsage(const std::vector<model::UsageEvent>& events) {
  std::map<std::string, AiSession> sessions;
  for (const auto& event : events) {
    if (event.session_id.empty()) {
      continue;
    }
    int64_t end = event.end_unix_ms != 0
                      ? event.end_unix_ms
                      : event.time_unix_ms + std::max<int64_t>(0, event.duration_ms);
    auto [it, inserted] = sessions.try_emplace(event.session_id);
    AiSession& s = it->second;
    if (inserted) {
      s = {.session_id = event.session_id,
           .actor = event.actor,
           .repo = "",
           .start_unix_ms = event.time_unix_ms,
           .end_unix_ms = end};
      continue;
    }
    s.start_unix_ms = std::min(s.start_unix_ms, event.time_unix_ms);
    s.end_unix_ms = std::max(s.end_unix_ms, end);
    if (s.actor.empty()) {
      s.actor = event.actor;
    }
  }
  std::vector<AiSession> out;
  out.reserve(sessions.size());
  for (auto& [id, session] : sessions) {
    out.push_back(std::move(session));
  }
  return out;
}

std::vector<AiLink> LinkAiByCommitId(const std::vector<model::UsageEvent>& events,
                                     const CommitGraph& graph) {
  std::vector<AiLink> links;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& event : events) {
    if (event.session_id.empty() || event.git_commit_id.empty()) {
      continue;
    }
    std::string sha = graph.ResolvePrefix(event.git_commit_id);
    if (sha.empty()) {
      sha = AsciiLower(event.git_commit_id);
    }
    if (!seen.emplace(event.session_id, sha).second) {
      continue;
    }
    links.push_back({.session_id = event.session_id,
                     .commit_sha = std::move(sha),
                     .evidence = kEvidenceE2,
                     .rule = kRuleGitCommitId});
  }
  return links;
}

std::vector<AiLink> LinkAiByMarkers(const std::vector<model::Commit>& commits) {
  std::vector<AiLink> links;
  for (const auto& commit : commits) {
    std::string session;
    for (const auto& trailer : commit.trailers) {
      for (std::string_view key : kSessionTrailers) {
        if (session.empty() && EqualsIgnoreCase(trailer.key, key)) {
          session = trailer.value;
        }
      }
    }
    if (commit.ai_markers.empty() && session.empty()) {
      continue;
    }
    links.push_back({.session_id = std::move(session),
                     .commit_sha = commit.sha,
                     .evidence = kEvidenceE1,
                     .rule = kRuleMarker});
  }
  return links;
}

std::vector<AiLink> LinkAiBySessionOverlap(const std::vector<AiSession>& sessions,
                                           const std::vector<model::Commit>& commits,
                                           const IdentityResolver& resolve, int64_t slack_ms) {
  auto person_of = [&](std::string_view identity) {
    if (identity.empty()) {
      return std::string();
    }
    return resolve ? resolve(identity) : AsciiLower(identity);
  };
  std::unordered_map<std::string, std::vector<const AiSession*>> by_person;
  for (const auto& session : sessions) {
    std::string person = person_of(session.actor);
    if (!person.empty()) {
      by_person[person].push_back(&session);
    }
  }
  for (auto& [person, list] : by_person) {
    std::stable_sort(list.begin(), list.end(), [](const AiSession* a, const AiSession* b) {
      return a->start_unix_ms < b->start_unix_ms;
    });
  }
  std::vector<AiLink> links;
  for (const auto& commit : commits) {
    if (commit.authored_unix_ms == 0) {
      continue;
    }
    std::string person = person_of(commit.author_email);
    auto it = by_person.find(person);
    if (person.empty() || it == by_person.end()) {
      continue;
    }
    for (const AiSession* session : it->second) {
      bool repos_agree =
          session->repo.empty() || commit.repo.empty() || session->repo == commit.repo;
      if (repos_agree && commit.authored_unix_ms >= session->start_unix_ms - slack_ms &&
          commit.authored_unix_ms <= session->end_unix_ms + slack_ms) {
        links.push_back({.session_id = session->session_id,
                         .commit_sha = commit.sha,
                         .evidence = kEvidenceE2,
                         .rule = kRuleSessionOverlap});
      }
    }
  }
  return links;
}

std::vector<AiLink> MergeAiLinks(const std::vector<AiLink>& links) {
  std::vector<AiLink> out;
  std::map<std::pair<std::string, std::string>, size_t> position;
  for (const auto& link : links) {
    auto [it, inserted] = position.try_emplace({link.session_id, link.commit_sha}, out.size());
    if (inserted) {
      out.push_back(link);
    } else if (EvidenceRank(link.evidence) > EvidenceRank(out[it->second].evidence)) {
      out[it->second] = link;
    }
  }
  return out;
}

}  // namespace goodhart::analytics
