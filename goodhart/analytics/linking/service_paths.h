// Service path globs: which files of a repository belong to a service, so that in a monorepo a
// deployment of `payments` ships only the commits that touched payments (metrics.md §3.2 item 5).
//
// Globs follow .gitignore / CODEOWNERS conventions, relative to the repository root:
//   *            any run of characters except '/'        `*.go`, `services/*/main.go`
//   ?            one character except '/'
//   [abc] [a-z]  a character class; `[!a]` or `[^a]` negates it
//   **           any number of whole directories:        `services/payments/**`, `**/testdata/**`
//   \x           the character x, literally
// A glob without a '/' (other than a trailing one) matches a file or directory name at any depth:
// `*.go` matches `cmd/main.go`. A glob with a '/' is anchored at the root (a leading '/' is
// optional). A glob that names a directory covers everything below it: `services/payments` and
// `services/payments/` both match `services/payments/api/main.go` (a trailing '/' matches
// directories only). A glob starting with '!' excludes what it matches; the last matching glob
// wins, so `services/payments/**`, `!services/payments/docs/**` means "payments, except its docs".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

// True when one glob (without '!') matches `path` or a directory containing it, per the rules
// above. `path` is repository-relative with '/' separators, e.g. "services/payments/api.go".
bool MatchPathGlob(std::string_view glob, std::string_view path);

// OK, or InvalidArgument naming the problem: an empty glob, a lone "!", an unterminated '[', a
// trailing '\'. For config validation; MatchPathGlob reads such globs literally rather than fail.
Status ValidatePathGlob(std::string_view glob);

// The path globs of one service. Immutable; safe to share between threads.
class ServicePaths {
 public:
  // No globs means the whole repository.
  explicit ServicePaths(std::vector<std::string> globs);

  bool whole_repo() const { return globs_.empty(); }

  // True when `path` belongs to the service: the last glob matching it is not a '!' glob. A
  // service with only '!' globs holds every path they do not exclude.
  bool Matches(std::string_view path) const;

  // True when `commit` touches the service: some file's path, or the old path of a rename, matches.
  // A commit listing no files (a merge, or a commit imported without its diff) touches the service
  // only when the service is the whole repository.
  bool Touches(const model::Commit& commit) const;

 private:
  struct Glob {
    std::string pattern;
    bool negated = false;
  };
  std::vector<Glob> globs_;
  bool only_negated_ = false;
};

}  // namespace goodhart::analytics
