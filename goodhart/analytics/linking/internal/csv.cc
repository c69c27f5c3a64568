#include "goodhart/analytics/linking/internal/csv.h"

#include <fmt/format.h>

#include <utility>

namespace goodhart::analytics::internal {
namespace {

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::vector<CsvRecord> records;
  const size_t n = text.size();
  size_t i = 0;
  size_t line = 1;
  auto skip_line_end = [&] {
    if (i < n && text[i] == '\r') {
      ++i;
    }
    if (i < n && text[i] == '\n') {
      ++i;
    }
    ++line;
  };
  while (i < n) {
    if (IsLineEnd(text[i])) {
      skip_line_end();  // a blank line
      continue;
    }
    const size_t record_line = line;
    CsvRecord record;
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= n) {
            return Status::InvalidArgument(
                fmt::format("csv: line {}: quoted field has no closing quote", record_line));
          }
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') {
            ++line;
          }
          field += c;
        }
        if (i < n && text[i] != ',' && !IsLineEnd(text[i])) {
          return Status::InvalidArgument(
              fmt::format("csv: line {}: text after a closing quote", line));
        }
      } else {
        size_t start = i;
        while (i < n && text[i] != ',' && !IsLineEnd(text[i])) {
          ++i;
        }
        field.assign(text.substr(start, i - start));
      }
      record.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      skip_line_end();
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

Result<CsvTable> CsvTable::Parse(std::string_view text) {
  GOODHART_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text));
  if (records.empty()) {
    return Status::InvalidArgument("csv: no header");
  }
  CsvTable table;
  table.header_ = std::move(records.front());
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header_.size()) {
      return Status::InvalidArgument(fmt::format("csv: record {}: has {} fields, the header {}", r,
                                                 records[r].size(), table.header_.size()));
    }
    table.rows_.push_back(std::move(records[r]));
  }
  return table;
}

Result<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) {
      return i;
    }
  }
  return Status::NotFound(fmt::format("csv: no column '{}'", name));
}

}  // namespace goodhart::analytics::internal
