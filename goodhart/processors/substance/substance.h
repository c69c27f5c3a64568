// Substance S: the meaningful lines of a commit's or logical change's diff (metrics.md §3.5).
// A pure function of the FilePatches, the repository's .gitattributes and the options.
//
// Every added or removed line lands in exactly one class, in this order:
//   excluded    the file is generated, vendored, a lockfile, minified, binary, a submodule, an
//               org-excluded or a large data file (ClassifyFile)                              0
//   whitespace  blank lines; removed/added lines equal once whitespace is ignored, paired in
//               order (longest common subsequence) inside one change block of a hunk          0
//   moved       rename pairs: a deleted and an added file with >= 50% equal lines (only their
//               differing lines count; git -M diffs already show only those); then moved
//               blocks: a run of removed lines re-added elsewhere in the change, whitespace-
//               insensitive, holding >= 20 alphanumeric characters                           0
//   copied      an added window of >= 5 consecutive non-blank lines equal (whitespace-insensitive,
//               rolling hash) to 5 consecutive lines of existing code or to an earlier added
//               window of the change. "Existing code" is what the diff shows: the removed and
//               context lines of every hunk, so a copy of code elsewhere in the repository is
//               not seen                                                                      0
//   paired      the removed half of an updated line: inside a change block the remaining removed
//               and added lines pair up in order, and a pair counts once, on the added side  0
//   trivial     keyword/punctuation-only lines ("}", "end", "fi", "} else {", ...)           0
//   find/replace  updated lines sharing one token substitution on >= 5 lines               0.3
//   comment     comment-only lines (per language)                                          0.25
//   docs        lines of documentation files                                               0.25
//   code        everything else (an updated line weighs the larger of its two halves)      1.0
// FileDiff.copied counts the file's added lines of the copied class (D10's duplicate blocks).
// FileDiff.added_line_hashes / removed_line_hashes (durability, metrics.md §3.8 D) hold the
// XXH3-64 (goodhart::Hash64) of the text with every whitespace character removed, for the added
// lines that count (weight > 0) and for the removed lines that count or are the old half of an
// updated line. Blank, whitespace-only, moved, copied, trivial and excluded lines have none, so
// re-indenting or moving code does not end a line's life.
// Test files weigh like code but are capped: their total is at most test_cap_ratio x the
// meaningful lines of the change's production code (non-test, non-docs files); when over, every
// test file is scaled down by the same factor.
#pragma once

#include <cstdint>
#include <vector>

#include "goodhart/model/delivery.h"
#include "goodhart/processors/substance/file_patch.h"
#include "goodhart/processors/substance/git_attributes.h"
#include "goodhart/processors/substance/substance_options.h"

namespace goodhart::processors {

// Lines per class, the evidence behind S. code + comment + docs + find_replace + whitespace +
// moved + copied + paired + trivial + excluded == all added and removed lines of text files.
struct LineCounts {
  int64_t code = 0, comment = 0, docs = 0, find_replace = 0;  // counted (weight > 0)
  int64_t whitespace = 0, moved = 0, copied = 0, paired = 0, trivial = 0, excluded = 0;  // 0
  int64_t updated = 0;  // counted lines that update a removed line (subset of the four above)
  int64_t test = 0;     // counted lines in test files (subset of the four above)
  bool operator==(const LineCounts&) const = default;
};

struct SubstanceResult {
  double meaningful = 0;               // S: the sum of files[i].meaningful
  std::vector<model::FileDiff> files;  // one per FilePatch, in order (rename pairs merged)
  LineCounts lines;
  double production_meaningful = 0;  // non-test, non-docs files
  double test_meaningful = 0;        // test files before the cap
  bool test_capped = false;
};

// REQUIRES: options.Validate().ok().
SubstanceResult MeasureSubstance(const std::vector<FilePatch>& patches, const GitAttributes& attrs,
                                 const SubstanceOptions& options);

}  // namespace goodhart::processors
