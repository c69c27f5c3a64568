#include "goodhart/analytics/nd/actors.h"

#include "goodhart/analytics/nd/internal/strings.h"

namespace goodhart::analytics::nd {

ActorResolver::ActorResolver(const directory::Directory* directory)
    : directory_(directory != nullptr ? directory : &empty_) {}

Actor ActorResolver::Resolve(std::string_view identity) const {
  std::string key = internal::IdentityKey(identity);
  if (key.empty())
    return {.kind = ActorKind::kUnresolved, .id = ""};
  directory::Resolution r = directory_->Resolve(identity);
  switch (r.kind) {
    case directory::IdentityKind::kPerson:
      return {.kind = ActorKind::kPerson, .id = r.person_id};
    case directory::IdentityKind::kAgent:
      return {.kind = ActorKind::kAgent, .id = key};
    case directory::IdentityKind::kBot:
      return {.kind = ActorKind::kBot, .id = key};
    case directory::IdentityKind::kUnknown:
      break;
  }
  return {.kind = ActorKind::kUnresolved, .id = key};
}

const model::Person* ActorResolver::FindPerson(std::string_view person_id) const {
  return directory_->FindPerson(person_id);
}

}  // namespace goodhart::analytics::nd
