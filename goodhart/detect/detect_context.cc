#include "goodhart/detect/detect_context.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "goodhart/analytics/companion/cost_per_nd.h"
#include "goodhart/analytics/companion/identity.h"
#include "goodhart/base/time.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/peer_groups.h"

namespace goodhart::detect {
namespace {

constexpr int64_t kSessionSlackMs = 30 * 60 * 1000;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

std::string PersonInfo::PeerGroup() const {
  return role_family + "/" + (service_family.empty() ? "-" : service_family);
}

People::People(const directory::Directory* directory, analytics::IdentityResolver resolve)
    : directory_(directory), resolve_(std::move(resolve)) {
  if (directory_ == nullptr) {
    return;
  }
  std::map<std::string, std::map<std::string, int64_t>> families;
  for (const auto& s : directory_->services()) {
    if (!s.family.empty()) {
      families[s.team][s.family] += 1;
    }
  }
  for (const auto& [team, counts] : families) {
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    team_family_[team] = best->first;
  }
  for (const auto& p : directory_->people()) {
    team_size_[p.team] += 1;
  }
}

const std::string& People::Resolve(std::string_view identity) const {
  auto it = cache_.find(std::string(identity));
  if (it != cache_.end()) {
    return it->second;
  }
  std::string id;
  if (identity.empty()) {
    id = "";
  } else if (resolve_) {
    id = resolve_(identity);
  } else if (directory_ != nullptr) {
    auto r = directory_->Resolve(identity);
    if (r.kind == directory::IdentityKind::kPerson) {
      id = r.person_id;
    } else if (r.kind == directory::IdentityKind::kUnknown) {
      id = analytics::companion::ResolvePerson({}, identity);
    }
  } else {
    std::string lower = Lower(identity);
    if (lower.find("[bot]") == std::string::npos) {
      id = analytics::companion::ResolvePerson({}, identity);
    }
  }
  return cache_.emplace(std::string(identity), std::move(id)).first->second;
}

const PersonInfo& People::Info(const std::string& person_id) const {
  auto it = info_.find(person_id);
  if (it != info_.end()) {
    return it->second;
  }
  PersonInfo info{.id = person_id, .role_family = "unknown"};
  if (directory_ != nullptr) {
    if (const model::Person* p = directory_->FindPerson(person_id)) {
      info.resolved = true;
      info.team = p->team;
      info.role_family = RoleFamily(p->role);
      auto f = team_family_.find(p->team);
      if (f != team_family_.end()) {
        info.service_family = f->second;
      }
    }
  }
  return info_.emplace(person_id, std::move(info)).first->second;
}

std::string People::ServiceTeam(std::string_view service) const {
  if (directory_ != nullptr) {
    if (const model::Service* s = directory_->FindService(service)) {
      return s->team;
    }
  }
  return "";
}

std::string People::ServiceFamily(std::string_view service) const {
  if (directory_ != nullptr) {
    if (const model::Service* s = directory_->FindService(service)) {
      return s->family;
    }
  }
  return "";
}

int64_t People::TeamSize(std::string_view team) const {
  auto it = team_size_.find(std::string(team));
  return it == team_size_.end() ? 0 : it->second;
}

double PersonUsage::MicrosPerToken() const {
  return tokens > 0 ? static_cast<double>(spend_micros) / static_cast<double>(tokens) : 0;
}

DetectContext::DetectContext(const PeriodInput& input, std::vector<const PeriodInput*> history,
                             const People& people, const DetectParams& params,
                             std::vector<const PeriodInput*> own_baseline)
    : input_(input),
      history_(std::move(history)),
      own_baseline_(std::move(own_baseline)),
      people_(people),
      params_(params) {
  for (const auto& c : input_.Delivery().commits) {
    commit_by_sha_[c.sha] = &c;
    commits_by_sha_.push_back(&c);
  }
  std::stable_sort(commits_by_sha_.begin(), commits_by_sha_.end(),
                   [](const model::Commit* a, const model::Commit* b) { return a->sha < b->sha; });
  if (input_.nd != nullptr) {
    for (const auto& p : input_.nd->people) {
      nd_[p.person_id] = p.nd + p.nd_pending;
    }
    for (const auto& l : input_.NdChanges()) {
      if (InPeriod(l.delivered_unix_ms)) {
        changes_.push_back(&l);
      }
    }
  }
  BuildArtifacts();
  BuildSessions();
  BuildUsage();
}

void DetectContext::BuildArtifacts() {
  std::unordered_set<std::string_view> linked;  // views into the input's links
  for (const auto& link : input_.ai_links) {
    linked.insert(link.commit_sha);
  }
  bool need_link = !input_.ai_links.empty();
  for (const auto& c : input_.Delivery().commits) {
    if (need_link && !linked.count(c.sha)) {
      continue;
    }
    const std::string& p = people_.Resolve(c.author_email);
    if (!p.empty()) {
      artifact_times_[p].push_back(c.authored_unix_ms);
    }
  }
  for (const auto& ch : input_.Delivery().changes) {
    const std::string& p = people_.Resolve(ch.author);
    if (p.empty()) {
      continue;
    }
    if (!need_link) {
      artifact_times_[p].push_back(ch.created_unix_ms);
    }
    int64_t t = ch.merged_unix_ms > 0 ? ch.merged_unix_ms : ch.created_unix_ms;
    if (!InPeriod(t)) {
      continue;
    }
    for (const auto& label : ch.labels) {
      std::string l = Lower(label);
      for (const auto& r : params_.research_labels) {
        if (l.find(Lower(r)) != std::string::npos) {
          research_people_.insert(p);
        }
      }
    }
  }
  for (auto& [p, times] : artifact_times_) {
    std::sort(times.begin(), times.end());
  }
}

bool DetectContext::HasArtifact(const std::string& person, int64_t from, int64_t to) const {
  auto it = artifact_times_.find(person);
  if (it == artifact_times_.end()) {
    return false;
  }
  auto lo = std::lower_bound(it->second.begin(), it->second.end(), from);
  return lo != it->second.end() && *lo < to;
}

void DetectContext::BuildSessions() {
  const int64_t window = params_.orphan_window_days * kMillisPerDay;
  // Session id -> authored times of the commits AI links name (-1: the commit is unknown); filled
  // below for the period's sessions only.
  std::unordered_map<std::string_view, std::vector<int64_t>> link_times;
  auto orphan = [&](const SessionInfo& s) {
    if (!input_.ai_links.empty()) {
      auto it = link_times.find(s.id);
      if (it == link_times.end()) {
        return true;
      }
      for (int64_t t : it->second) {
        if (t < 0 || t <= s.end_unix_ms + window) {
          return false;
        }
      }
      return true;
    }
    return !HasArtifact(s.person, s.start_unix_ms - kSessionSlackMs, s.end_unix_ms + window);
  };
  // sessions_ is ordered for the detectors; lookups while building go through a hash index.
  std::unordered_map<std::string_view, std::map<std::string, SessionInfo>::iterator> by_id;
  auto find_session = [&](const std::string& id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? sessions_.end() : it->second;
  };
  auto add_session = [&](const std::string& id, SessionInfo info) {
    auto it = sessions_.emplace(id, std::move(info)).first;
    by_id.try_emplace(it->first, it);
    return it;
  };
  sessions_exact_ = !input_.sessions.empty();
  if (sessions_exact_) {
    for (const auto& s : input_.sessions) {
      const std::string& p = people_.Resolve(s.actor);
      if (p.empty() || !InPeriod(s.end_unix_ms)) {
        continue;
      }
      auto it = sessions_.try_emplace(s.session_id).first;
      by_id.try_emplace(it->first, it);
      SessionInfo& info = it->second;
      info.id = s.session_id;
      info.person = p;
      info.start_unix_ms = s.start_unix_ms;
      info.end_unix_ms = s.end_unix_ms;
      info.tokens = s.tokens.Total();
    }
  }
  for (const auto& row : input_.prompt_sketches) {
    if (row.session_id.empty() || !InPeriod(row.time_unix_ms)) {
      continue;
    }
    auto it = find_session(row.session_id);
    if (it == sessions_.end()) {
      if (sessions_exact_) {
        continue;
      }
      const std::string& p = people_.Resolve(row.actor);
      if (p.empty()) {
        continue;
      }
      it = add_session(row.session_id, SessionInfo{.id = row.session_id,
                                                   .person = p,
                                                   .start_unix_ms = row.time_unix_ms,
                                                   .end_unix_ms = row.time_unix_ms});
    } else if (!sessions_exact_) {
      it->second.start_unix_ms = std::min(it->second.start_unix_ms, row.time_unix_ms);
      it->second.end_unix_ms = std::max(it->second.end_unix_ms, row.time_unix_ms);
    }
    it->second.prompts += 1;
    activity_.emplace_back(&it->second, row.time_unix_ms);
  }
  std::vector<store::ToolStepRow> steps;
  for (const auto& step : input_.tool_steps) {
    if (step.session_id.empty() || !InPeriod(step.time_unix_ms)) {
      continue;
    }
    auto it = find_session(step.session_id);
    if (it == sessions_.end()) {
      if (sessions_exact_) {
        continue;
      }
      const std::string& p = people_.Resolve(step.actor);
      if (p.empty()) {
        continue;
      }
      it = add_session(step.session_id, SessionInfo{.id = step.session_id,
                                                    .person = p,
                                                    .start_unix_ms = step.time_unix_ms,
                                                    .end_unix_ms = step.time_unix_ms});
    } else if (!sessions_exact_) {
      it->second.start_unix_ms = std::min(it->second.start_unix_ms, step.time_unix_ms);
      it->second.end_unix_ms = std::max(it->second.end_unix_ms, step.time_unix_ms);
    }
    it->second.tool_steps += 1;
    activity_.emplace_back(&it->second, step.time_unix_ms);
    steps.push_back(step);
  }
  tool_loops_ = FindToolLoops(steps, params_.d5_loop_min_repeats);
  for (const auto& link : input_.ai_links) {
    if (!link.session_id.empty() && by_id.count(link.session_id) > 0) {
      const model::Commit* c = FindCommit(link.commit_sha);
      link_times[link.session_id].push_back(c != nullptr ? c->authored_unix_ms : -1);
    }
  }
  for (auto& [id, s] : sessions_) {
    s.orphan = orphan(s);
  }
}

void DetectContext::CountActivity() const {
  if (activity_counted_) {
    return;
  }
  activity_counted_ = true;
  for (const auto& [session, unix_ms] : activity_) {
    int64_t day = unix_ms / kMillisPerDay;
    person_day_activity_[{session->person, day}] += 1;
    session_day_activity_[{session->id, day}] += 1;
  }
}

double DetectContext::SessionTokensOrEstimate(const SessionInfo& s) const {
  if (s.tokens > 0) {
    return static_cast<double>(s.tokens);
  }
  auto usage = usage_.find(s.person);
  if (usage == usage_.end()) {
    return 0;
  }
  CountActivity();
  double estimate = 0;
  for (auto it = session_day_activity_.lower_bound({s.id, INT64_MIN});
       it != session_day_activity_.end() && it->first.first == s.id; ++it) {
    auto person_day = person_day_activity_.find({s.person, it->first.second});
    auto day = usage->second.days.find(it->first.second);
    if (person_day == person_day_activity_.end() || day == usage->second.days.end()) {
      continue;
    }
    estimate += static_cast<double>(day->second.tokens) * static_cast<double>(it->second) /
                static_cast<double>(person_day->second);
  }
  return estimate;
}

void DetectContext::BuildUsage() {
  for (const auto& row : input_.rollups) {
    if (!InPeriod(row.day * kMillisPerDay)) {
      continue;
    }
    const std::string& p = people_.Resolve(row.actor);
    if (p.empty()) {
      continue;
    }
    PersonUsage& u = usage_[p];
    int64_t tokens = row.tokens.Total();
    int64_t spend = analytics::companion::CellSpendMicros(row);
    u.tokens += tokens;
    u.spend_micros += spend;
    u.prompts += row.prompts;
    if (!sessions_exact_) {
      u.sessions += row.sessions;
    }
    DayUsage& d = u.days[row.day];
    d.tokens += tokens;
    d.spend_micros += spend;
    d.prompts += row.prompts;
  }
  if (sessions_exact_) {
    for (const auto& [id, s] : sessions_) {
      PersonUsage& u = usage_[s.person];
      u.sessions += 1;
      u.session_tokens += s.tokens;
      u.orphan_tokens += s.orphan ? s.tokens : 0;
    }
    return;
  }
  const int64_t window = (params_.orphan_window_days + 1) * kMillisPerDay;
  for (auto& [p, u] : usage_) {
    for (const auto& [day, d] : u.days) {
      if (!HasArtifact(p, day * kMillisPerDay, day * kMillisPerDay + window)) {
        u.orphan_tokens += d.tokens;
      }
    }
  }
}

double DetectContext::PersonNd(const std::string& person) const {
  auto it = nd_.find(person);
  return it == nd_.end() ? 0 : it->second;
}

const model::Commit* DetectContext::FindCommit(std::string_view sha) const {
  auto it = commit_by_sha_.find(std::string(sha));
  if (it != commit_by_sha_.end()) {
    return it->second;
  }
  if (sha.size() >= 7) {  // an abbreviated sha: the first commit whose sha starts with it
    auto lo = std::lower_bound(
        commits_by_sha_.begin(), commits_by_sha_.end(), sha,
        [](const model::Commit* c, std::string_view prefix) { return c->sha < prefix; });
    if (lo != commits_by_sha_.end() && (*lo)->sha.compare(0, sha.size(), sha) == 0) {
      return *lo;
    }
  }
  return nullptr;
}

bool DetectContext::HasResearchWork(const std::string& person) const {
  return research_people_.count(person) > 0;
}

Flag DetectContext::NewFlag(std::string detector_id, std::string version, Tier tier,
                            Subject subject) const {
  Flag f;
  f.id = FlagId(detector_id, subject, period());
  f.detector_id = std::move(detector_id);
  f.detector_version = std::move(version);
  f.params_version = params_.version;
  f.tier = tier;
  f.period = period();
  if (subject.kind == SubjectKind::kPerson) {
    f.team = people_.Info(subject.id).team;
  } else if (subject.kind == SubjectKind::kTeam) {
    f.team = subject.id;
  } else if (subject.kind == SubjectKind::kService) {
    f.team = people_.ServiceTeam(subject.id);
  }
  f.subject = std::move(subject);
  return f;
}

std::string DetectContext::PeriodLabel() const { return internal::PeriodLabel(period()); }

}  // namespace goodhart::detect
