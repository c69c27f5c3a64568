// Actors: who an identity on a commit, pull request or review is, for attribution (metrics.md
// §3.3) and reviewer eligibility (§3.8 R). A thin layer over directory::Directory::Resolve that
// gives every human a stable key: the person id when the directory knows them, else the lowercased
// email or login ("unresolved"), so unknown people still get their own share and cannot approve
// their own work under a second spelling.
#pragma once

#include <string>
#include <string_view>

#include "goodhart/directory/directory.h"

namespace goodhart::analytics::nd {

enum class ActorKind {
  kPerson,      // a person of the directory
  kUnresolved,  // looks human, but the directory does not know the identity
  kAgent,       // an AI agent account (Copilot, claude[bot], ...)
  kBot,         // a bot account (dependabot[bot], the directory's bots)
};

struct Actor {
  ActorKind kind = ActorKind::kUnresolved;
  // kPerson: the person id. kUnresolved: the lowercased email ("Name <email>" gives the email) or
  // login; "" when the identity was empty. Agents and bots: the lowercased identity.
  std::string id;
  bool human() const {
    return (kind == ActorKind::kPerson || kind == ActorKind::kUnresolved) && !id.empty();
  }
  bool operator==(const Actor&) const = default;
};

// Immutable; safe to share between threads. Keeps a pointer to the directory, which must outlive
// it.
class ActorResolver {
 public:
  // nullptr: no directory; agents and `[bot]` accounts are still recognised, everyone else is
  // kUnresolved.
  explicit ActorResolver(const directory::Directory* directory);
  ActorResolver(const ActorResolver&) = delete;  // points into itself without a directory
  ActorResolver& operator=(const ActorResolver&) = delete;

  Actor Resolve(std::string_view identity) const;
  bool has_directory() const { return directory_ != &empty_; }
  // nullptr for an unresolved id.
  const model::Person* FindPerson(std::string_view person_id) const;

 private:
  directory::Directory empty_;
  const directory::Directory* directory_;
};

}  // namespace goodhart::analytics::nd
