#include "goodhart/analytics/nd/attribution.h"

#include <algorithm>

namespace goodhart::analytics::nd {

Actor ChangeOwner(const model::Change& change, const ActorResolver& actors) {
  Actor author = actors.Resolve(change.author);
  if (author.human())
    return author;
  for (const auto& co : change.co_authors) {
    Actor a = actors.Resolve(co);
    if (a.human())
      return a;
  }
  if (author.kind == ActorKind::kAgent) {
    Actor merger = actors.Resolve(change.merged_by);
    if (merger.human())
      return merger;
  }
  return {.kind = ActorKind::kUnresolved, .id = ""};
}

std::vector<Actor> CommitAttribution(const model::Commit& commit, const Actor& owner,
                                     const ActorResolver& actors) {
  std::vector<Actor> out;
  Actor author =
      actors.Resolve(commit.author_email.empty() ? commit.author_name : commit.author_email);
  if (author.human()) {
    out.push_back(author);
  } else if (owner.human()) {
    out.push_back(owner);
  } else {
    out.push_back({.kind = ActorKind::kUnresolved, .id = ""});
  }
  for (const auto& co : commit.co_authors) {
    Actor a = actors.Resolve(co);
    if (a.human() &&
        std::none_of(out.begin(), out.end(), [&](const Actor& x) { return x.id == a.id; })) {
      out.push_back(a);
    }
  }
  return out;
}

void ShareBuilder::Add(const model::Commit& commit, double lines, const Actor& owner) {
  if (!(lines > 0))
    return;
  std::vector<Actor> humans = CommitAttribution(commit, owner, actors_);
  double each = lines / static_cast<double>(humans.size());
  for (const auto& h : humans) {
    Share& s = shares_[h.id];
    s.person_id = h.id;
    s.resolved = h.kind == ActorKind::kPerson;
    s.lines += each;
  }
}

std::vector<Share> ShareBuilder::Finish(const Actor& fallback) const {
  std::vector<Share> out;
  double total = 0;
  for (const auto& [id, s] : shares_) {
    out.push_back(s);
    total += s.lines;
  }
  if (out.empty() || !(total > 0)) {
    return {Share{.person_id = fallback.id,
                  .resolved = fallback.kind == ActorKind::kPerson,
                  .lines = 0,
                  .share = 1}};
  }
  for (auto& s : out)
    s.share = s.lines / total;
  std::sort(out.begin(), out.end(), [](const Share& a, const Share& b) {
    return a.lines != b.lines ? a.lines > b.lines : a.person_id < b.person_id;
  });
  return out;
}

}  // namespace goodhart::analytics::nd
