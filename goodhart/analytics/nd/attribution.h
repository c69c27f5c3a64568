// Attribution of a logical change to people (metrics.md §3.3): share_p(L) = meaningful lines
// authored by p / S(L).
//
// goodhart sees authorship per commit, not per line (no blame of the merged content), so a
// commit's lines are split evenly among its attributed humans:
//   - the commit's author when human; when the author is an AI agent or a bot, the human who owns
//     the change (opened the pull request), so responsibility stays with a person, or nobody
//     ("unattributed") when the change has no human owner;
//   - plus every human Co-authored-by of the commit (AI co-authors are not humans and take
//     nothing; AI-written lines are never discounted).
// A commit without co-authors therefore goes wholly to its author, and a pair-programmed commit
// half to each.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/actors.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

struct Share {
  std::string person_id;  // Actor::id; "" = unattributed (no human owner)
  bool resolved = false;  // a person of the directory
  double lines = 0;       // meaningful lines attributed
  double share = 0;       // lines / S(L); sums to 1 over a change with S(L) > 0
  bool operator==(const Share&) const = default;
};

// The human who owns a change: its author when human, else its first human co-author, else (for a
// change opened by an AI agent) the human who merged it; "" id when there is none (a bot's change).
Actor ChangeOwner(const model::Change& change, const ActorResolver& actors);

// The humans a commit's lines are split among, per the rules above (an entry with id "" stands for
// "unattributed"). Never empty.
std::vector<Actor> CommitAttribution(const model::Commit& commit, const Actor& owner,
                                     const ActorResolver& actors);

// Accumulates shares over the commits of one logical change.
class ShareBuilder {
 public:
  explicit ShareBuilder(const ActorResolver& actors) : actors_(actors) {}

  // Attributes `lines` meaningful lines of `commit` (owned by `owner`).
  void Add(const model::Commit& commit, double lines, const Actor& owner);

  // Shares by descending lines, then id. With no lines at all, `fallback` gets share 1.
  std::vector<Share> Finish(const Actor& fallback) const;

 private:
  const ActorResolver& actors_;
  std::map<std::string, Share> shares_;
};

}  // namespace goodhart::analytics::nd
