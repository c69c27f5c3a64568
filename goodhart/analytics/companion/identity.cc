#include "goodhart/analytics/companion/identity.h"

namespace goodhart::analytics::companion {

std::string ResolvePerson(const IdentityResolver& resolve, std::string_view identity) {
  if (resolve) {
    return resolve(identity);
  }
  auto open = identity.find('<');
  auto close = identity.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    identity = identity.substr(open + 1, close - open - 1);
  }
  std::string out(identity);
  for (char& c : out) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace goodhart::analytics::companion
