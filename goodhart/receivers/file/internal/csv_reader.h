// A small RFC 4180 CSV reader: fields separated by commas, optionally enclosed in double quotes;
// inside quotes a doubled quote is one quote and commas and line breaks are data; records end with
// CRLF or LF. Blank lines are skipped. A leading UTF-8 BOM is skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::receivers::file::internal {

// Reads records one at a time from a view it does not own. Not thread-safe.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // Reads the next record into `fields` and returns true, or returns false at the end of input.
  // A malformed record (text after a closing quote, a quote that never closes) is an
  // InvalidArgument naming the problem; the reader has then skipped to the next line, so the
  // caller can reject that record and go on.
  Result<bool> Next(std::vector<std::string>* fields);

  // 1-based line on which the record last returned (or failed) starts.
  int64_t record_line() const { return record_line_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
};

}  // namespace goodhart::receivers::file::internal
