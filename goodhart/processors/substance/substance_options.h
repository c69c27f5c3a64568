// SubstanceOptions: every weight and threshold of metrics.md §3.5 with its default, plus the
// organisation's own path globs. Versioned with the other ND parameters (metrics.md §3.10).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::processors {

struct SubstanceOptions {
  double code_weight = 1.0;          // an added, deleted or updated code line
  double comment_weight = 0.25;      // a comment-only line
  double docs_weight = 0.25;         // a line of documentation (*.md, *.rst, *.txt, docs/)
  double find_replace_weight = 0.3;  // a line of a find/replace batch
  double test_weight = 1.0;          // a test-code line, before the cap
  double test_cap_ratio = 1.0;       // test lines count at most ratio x production lines

  int64_t moved_min_alnum = 20;           // a moved block needs this many [A-Za-z0-9] characters
  int64_t copy_min_lines = 5;             // copy/paste window, in non-blank normalised lines
  int64_t copy_min_alnum = 20;            // ... holding at least this many [A-Za-z0-9] characters
  int64_t find_replace_min_lines = 5;     // the same substitution on this many lines is a batch
  double minified_avg_line_length = 110;  // Linguist: *.js / *.css with longer lines is minified
  double rename_min_similarity = 0.5;     // pairing a deleted with an added file (git -M: 50%)
  int64_t data_file_max_lines = 500;      // larger data files (json, csv, xml, ...) weigh 0

  // Organisation globs (GlobMatch; a glob without '/' matches the file name in any folder).
  std::vector<std::string> excluded_globs = {"**/__snapshots__/**", "*.snap", "**/fixtures/**"};
  std::vector<std::string> generated_globs;   // more generated files
  std::vector<std::string> vendored_globs;    // more vendored folders, e.g. "libs/upstream/**"
  std::vector<std::string> data_allow_globs;  // data files that count however large

  Status Validate() const;
};

}  // namespace goodhart::processors
