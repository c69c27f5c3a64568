// Splits a commit message the way git does: the subject (%s: the first paragraph, its lines
// joined by spaces) and the trailers, parsed by the shared processors::ParseTrailers
// (`git interpret-trailers --parse` semantics, goodhart/processors/ai_markers/trailers.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::receivers::webhook::internal {

struct CommitMessage {
  std::string subject;
  std::vector<model::Trailer> trailers;  // in order; keys as written, continuation lines unfolded
  std::vector<std::string> co_authors;   // values of Co-authored-by trailers (any key case)
};

CommitMessage ParseCommitMessage(std::string_view message);

}  // namespace goodhart::receivers::webhook::internal
