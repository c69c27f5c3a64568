// Fuzz target: an input as what `import-git` reads from a repository: a unified diff (parsed,
// measured for substance with the input also read as .gitattributes, patch-ids taken, inverted,
// rendered and parsed again) and a commit message (revert detection, AI markers, trailers). The
// diff and the message are the committer's text, so none of it may crash. docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/processors/ai_markers/ai_markers.h"
#include "goodhart/processors/ai_markers/trailers.h"
#include "goodhart/processors/substance/file_patch.h"
#include "goodhart/processors/substance/git_attributes.h"
#include "goodhart/processors/substance/patch_id.h"
#include "goodhart/processors/substance/revert.h"
#include "goodhart/processors/substance/substance.h"
#include "goodhart/processors/substance/substance_options.h"

namespace processors = goodhart::processors;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto patches = processors::ParseUnifiedDiff(text);
  const auto attributes = processors::GitAttributes::Parse(text);
  (void)processors::MeasureSubstance(patches, attributes, processors::SubstanceOptions{});
  (void)processors::StablePatchId(patches);
  (void)processors::InversePatchId(patches);
  (void)processors::ParseUnifiedDiff(processors::RenderGitDiff(patches));
  (void)processors::UnquoteGitPath(processors::QuoteGitPath(text));
  (void)processors::UnquoteGitPath(text);
  (void)processors::ParseRevert(text);
  (void)processors::FindCommitMarkers("A Person", "a@example.com", text);
  (void)processors::FindChangeMarkers("someone", "User", "feature/x", text);
  (void)processors::CoAuthors(processors::ParseTrailers(text));
  return 0;
}
