// ClickHouse's TabSeparated format, both ways, and SQL literals. The store writes every insert as
// TabSeparated rows and reads every answer as `FORMAT TabSeparated`: it is the fastest text format
// ClickHouse 18.16 parses, carries any bytes in a String (JSON would need valid UTF-8), and prints
// 64-bit integers unquoted. Values never contain a raw tab or newline: both are escaped, so rows
// split on '\n' and fields on '\t'.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"

namespace goodhart::store::clickhouse {

// Appends `value` escaped for a TabSeparated String field.
void AppendTsvEscaped(std::string_view value, std::string* out);

// A quoted SQL string literal: 'it\'s'. Any bytes are allowed; control bytes become \xHH.
std::string SqlString(std::string_view value);

// A backquoted identifier (database and table names; REQUIRES: [A-Za-z0-9_]+).
std::string SqlIdentifier(std::string_view name);

// Builds TabSeparated rows field by field.
class TsvWriter {
 public:
  TsvWriter& Str(std::string_view value);
  TsvWriter& Int(int64_t value);
  TsvWriter& UInt(uint64_t value);
  TsvWriter& UIntArray(std::span<const uint64_t> values);
  // Ends the row.
  void EndRow();

  std::string& data() { return data_; }
  int64_t rows() const { return rows_; }
  bool empty() const { return rows_ == 0; }

 private:
  void Separate();
  std::string data_;
  bool row_open_ = false;
  int64_t rows_ = 0;
};

// Reads a TabSeparated answer row by row. Accessors check the field count and syntax and return
// kDataLoss naming `where` on a malformed answer.
class TsvReader {
 public:
  TsvReader(std::string_view body, std::string_view where) : rest_(body), where_(where) {}

  // Advances to the next row; false at the end.
  bool Next();
  size_t size() const { return fields_.size(); }

  // REQUIRES: Next() returned true. `want` fields are expected in every row.
  Status Expect(size_t want) const;
  std::string Str(size_t i) const;
  Result<int64_t> Int(size_t i) const;
  Result<uint64_t> UInt(size_t i) const;
  Result<std::vector<uint64_t>> UIntArray(size_t i) const;
  Result<std::vector<int64_t>> IntArray(size_t i) const;

 private:
  Status Malformed(size_t i, std::string_view what) const;
  std::string_view rest_;
  std::string where_;
  std::vector<std::string_view> fields_;
};

// Undoes AppendTsvEscaped (and every escape ClickHouse writes: \b \f \r \n \t \0 \' \\ \xHH).
std::string TsvUnescape(std::string_view field);

}  // namespace goodhart::store::clickhouse
