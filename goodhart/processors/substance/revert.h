// Revert recognition (metrics.md §3.8 F(a)): what a commit message says it reverts. A revert
// that says nothing is found by content instead: its StablePatchId equals the InversePatchId of
// the commit it undoes (patch_id.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goodhart::processors {

struct RevertInfo {
  // "This reverts commit <sha>." (git revert's body; the sha as written, 7-64 hex digits).
  std::string reverted_sha;
  // The quoted subject of `Revert "<subject>"` (also with a trailing " (#N)" of a squash merge).
  std::string reverted_subject;
  // "Reverts #N" or "Reverts owner/repo#N" (GitHub's revert pull request body).
  int64_t reverted_change = 0;
  std::string reverted_change_repo;  // "owner/repo" when written, else ""

  bool is_revert() const {
    return !reverted_sha.empty() || !reverted_subject.empty() || reverted_change > 0;
  }
};

// Never fails; a message that is not a revert gives an empty RevertInfo.
RevertInfo ParseRevert(std::string_view message);

}  // namespace goodhart::processors
