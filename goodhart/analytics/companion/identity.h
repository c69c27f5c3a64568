// Identity resolution for usage rollups and commits: analytics::IdentityResolver (ai_linker.h)
// maps a raw identity (email, account, login) to a person id. Without one, identities compare as
// lowercased strings, "Name <email>" reduced to the email, as the ND engine keys unresolved people.
#pragma once

#include <string>
#include <string_view>

#include "goodhart/analytics/linking/ai_linker.h"

namespace goodhart::analytics::companion {

std::string ResolvePerson(const IdentityResolver& resolve, std::string_view identity);

}  // namespace goodhart::analytics::companion
