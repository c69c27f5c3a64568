// A small RFC 4180 CSV reader, enough for DevLake's fixture tables: comma-separated fields,
// quoted fields with doubled quotes ("a ""b"""), commas and line breaks inside quotes, LF, CRLF or
// CR line ends, an optional UTF-8 BOM, and no final line break. Blank lines between records are
// skipped (a record holding one empty field must be written as ""). Fields are not trimmed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::analytics::internal {

using CsvRecord = std::vector<std::string>;

// Every record of `text`. InvalidArgument for an unterminated quoted field or text between a
// closing quote and the next separator; the message names the line.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// A CSV file whose first record names the columns. Immutable.
class CsvTable {
 public:
  // InvalidArgument when the text has no header or a record's field count differs from it.
  static Result<CsvTable> Parse(std::string_view text);

  const CsvRecord& header() const { return header_; }
  const std::vector<CsvRecord>& rows() const { return rows_; }

  // The position of column `name`; NotFound when the header lacks it.
  Result<size_t> Column(std::string_view name) const;

 private:
  CsvRecord header_;
  std::vector<CsvRecord> rows_;
};

}  // namespace goodhart::analytics::internal
