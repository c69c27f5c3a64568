// Incremental parser of the `git log -p` stream ImportGit reads. Each commit is printed as
//   NUL %H NUL %P NUL %an NUL %ae NUL %at NUL %cn NUL %ce NUL %ct NUL %B NUL <diff lines>
// (the --format in git_importer.cc). NUL cannot occur in commit metadata or messages, and text
// diffs only contain one when a file holds NUL after git's 8000-byte binary check; a NUL at the
// start of a line begins a record only when a 40- or 64-digit hex sha and a NUL follow, so such a
// line cannot end a commit early. Output is parsed as it arrives; one commit is held at a time.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/processors/substance/file_patch.h"

namespace goodhart::receivers::git::internal {

inline constexpr int kLogFields = 9;  // %H %P %an %ae %at %cn %ce %ct %B
// The --format argument matching the parser.
inline constexpr std::string_view kLogFormat =
    "--format=%x00%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x00";

struct LogRecord {
  std::string sha, parents, author_name, author_email, author_time, committer_name, committer_email,
      committer_time, message;
  std::vector<processors::FilePatch> patches;
};

// Not thread-safe.
class LogStreamParser {
 public:
  using RecordFn = std::function<Status(LogRecord&&)>;
  explicit LogStreamParser(RecordFn on_record) : on_record_(std::move(on_record)) {}

  // Feeds the next chunk of output; calls on_record for each commit completed by it. Returns the
  // first error on_record returns.
  Status Feed(std::string_view chunk);
  // End of output: emits the last commit. kDataLoss when the stream stops inside a header.
  Status Finish();

  int64_t records() const { return records_; }

 private:
  enum class State { kStart, kFields, kDiff };
  Status Process(bool at_eof);
  Status Emit();
  // At pos_ (a NUL at a line start in kDiff): 1 when a record starts, 0 when not, -1 when more
  // input is needed to tell.
  int RecordStartsAt(size_t pos, bool at_eof) const;

  RecordFn on_record_;
  std::string buf_;
  size_t pos_ = 0;
  size_t scanned_ = 0;  // buf_ before this offset holds no NUL/newline being searched for
  State state_ = State::kStart;
  int field_ = 0;
  LogRecord record_;
  processors::UnifiedDiffParser diff_;
  int64_t records_ = 0;
};

}  // namespace goodhart::receivers::git::internal
