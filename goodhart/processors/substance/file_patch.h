// FilePatch: one file of a unified diff as git prints it (`git log -p`, `git show`), the input of
// MeasureSubstance and StablePatchId. ParseUnifiedDiff reads git's output into FilePatches;
// UnifiedDiffParser does the same a line at a time, for streamed `git log -p` output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goodhart::processors {

struct DiffLine {
  char op = ' ';     // '+' added, '-' removed, ' ' context
  std::string text;  // without the op character and the newline
  bool operator==(const DiffLine&) const = default;
};

struct FilePatch {
  std::string path;      // the new path (the old one for a deleted file)
  std::string old_path;  // the old path; "" or equal to `path` unless renamed or copied
  bool binary = false;   // "Binary files ... differ": no hunks
  std::vector<std::vector<DiffLine>> hunks;

  // git's extended header, for StablePatchId (which hashes it) and the classifier.
  bool is_new = false, is_deleted = false, is_copy = false;
  std::string old_mode, new_mode;  // "100644", "100755", "120000", "160000" (submodule), or ""
  int similarity = -1;             // "similarity index N%" of a rename or copy, -1 when absent
  int dissimilarity = -1;          // "dissimilarity index N%" (only with git diff -B)
  std::string old_oid, new_oid;    // as printed on the "index" line (usually abbreviated)

  // The first lines of the new version of the file, newline-separated, when known: the parser
  // fills it when the first hunk starts at line 1; a caller with the repository may fill it from
  // the blob. Used to recognise "Code generated ... DO NOT EDIT" headers.
  std::string head;

  bool renamed() const { return !old_path.empty() && old_path != path && !is_copy; }
  bool operator==(const FilePatch&) const = default;
};

// Reads a diff a line at a time. Lenient: lines it does not understand are skipped, so any input
// gives some result and nothing crashes. Not thread-safe.
class UnifiedDiffParser {
 public:
  // `line` without its trailing '\n'. A "diff --git" line starts a new file.
  void AddLine(std::string_view line);
  // The files read since the last Finish, in order; the parser is reset.
  std::vector<FilePatch> Finish();

 private:
  void StartFile(std::string_view line);
  void HeaderLine(std::string_view line);
  bool HunkHeader(std::string_view line);

  std::vector<FilePatch> files_;
  FilePatch* file_ = nullptr;
  int64_t before_ = 0, after_ = 0;  // lines left in the current hunk
  int64_t head_lines_ = 0;          // lines copied into file_->head so far, -1 when not collecting
};

std::vector<FilePatch> ParseUnifiedDiff(std::string_view text);

// git's quote_c_style with core.quotePath on (the default): `name` unchanged when it needs no
// quoting, otherwise "..." with C escapes and octal for control and non-ASCII bytes.
std::string QuoteGitPath(std::string_view name);
// The inverse; a name that is not quoted is returned unchanged.
std::string UnquoteGitPath(std::string_view quoted);

}  // namespace goodhart::processors
