// What every fuzz target requires of a rejection, beyond not crashing: bad input is the sender's
// fault (kInvalidArgument: a 4xx, never a 5xx) and the message says who rejected it and where
// ("component: where: what"). A violation prints the status and aborts, which libFuzzer and the
// replay test both report as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::testing {

// Whether `message` starts with "<component>: " and says something after it. An empty
// `component` accepts any lower-case name ("anthropic_usage: ...").
inline bool NamesComponent(std::string_view message, std::string_view component) {
  if (component.empty()) {
    const size_t end = message.find(": ");
    if (end == 0 || end == std::string_view::npos) {
      return false;
    }
    for (char c : message.substr(0, end)) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return message.size() > end + 2;
  }
  return message.size() > component.size() + 2 && message.starts_with(component) &&
         message.compare(component.size(), 2, ": ") == 0;
}

[[noreturn]] inline void FuzzFailure(std::string_view what, const Status& status) {
  std::fprintf(stderr, "fuzz: %.*s: %s: %s\n", static_cast<int>(what.size()), what.data(),
               std::string(StatusCodeName(status.code())).c_str(), status.message().c_str());
  std::abort();
}

inline void RequireClearRejection(const Status& status, std::string_view component = "") {
  if (status.ok()) {
    return;
  }
  if (status.code() != StatusCode::kInvalidArgument ||
      !NamesComponent(status.message(), component)) {
    FuzzFailure("a rejection that is not a clear input error", status);
  }
}

// Decoders promise that what they keep is valid: each record's own Validate() passes.
template <typename Records>
void RequireValid(const Records& records, std::string_view what) {
  for (const auto& r : records) {
    if (Status s = r.Validate(); !s.ok()) {
      FuzzFailure(what, s);
    }
  }
}

}  // namespace goodhart::testing
