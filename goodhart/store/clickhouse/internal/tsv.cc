#include "goodhart/store/clickhouse/internal/tsv.h"

#include <fmt/format.h>

#include <charconv>

#include "goodhart/base/hex.h"

namespace goodhart::store::clickhouse {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  if (text.empty())
    return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Splits "[1,2,3]" into numbers.
template <typename T>
bool ParseArray(std::string_view text, std::vector<T>* out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']')
    return false;
  text = text.substr(1, text.size() - 2);
  out->clear();
  while (!text.empty()) {
    size_t comma = text.find(',');
    T value{};
    if (!ParseNumber(text.substr(0, comma), &value))
      return false;
    out->push_back(value);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace

void AppendTsvEscaped(std::string_view value, std::string* out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\0':
        out->append("\\0");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->push_back(c);
    }
  }
}

std::string SqlString(std::string_view value) {
  std::string out = "'";
  out.reserve(value.size() + 2);
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7f) {
      out.append(fmt::format("\\x{:02X}", byte));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string SqlIdentifier(std::string_view name) { return fmt::format("`{}`", name); }

std::string TsvUnescape(std::string_view field) {
  if (field.find('\\') == std::string_view::npos)
    return std::string(field);
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out.push_back(c);
      continue;
    }
    char e = field[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case '0':
        out.push_back('\0');
        break;
      case 'a':
        out.push_back('\a');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x': {
        int hi = i + 2 < field.size() ? HexDigitValue(field[i + 1]) : -1;
        int lo = hi >= 0 ? HexDigitValue(field[i + 2]) : -1;
        if (lo >= 0) {
          out.push_back(static_cast<char>(hi * 16 + lo));
          i += 2;
        } else {
          out.push_back('x');
        }
        break;
      }
      default:  // \\ \' \" and anything else stand for themselves
        out.push_back(e);
    }
  }
  return out;
}

void TsvWriter::Separate() {
  if (row_open_)
    data_.push_back('\t');
  row_open_ = true;
}

TsvWriter& TsvWriter::Str(std::string_view value) {
  Separate();
  AppendTsvEscaped(value, &data_);
  return *this;
}

TsvWriter& TsvWriter::Int(int64_t value) {
  Separate();
  fmt::format_to(std::back_inserter(data_), "{}", value);
  return *this;
}

TsvWriter& TsvWriter::UInt(uint64_t value) {
  Separate();
  fmt::format_to(std::back_inserter(data_), "{}", value);
  return *this;
}

TsvWriter& TsvWriter::UIntArray(std::span<const uint64_t> values) {
  Separate();
  data_.push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      data_.push_back(',');
    fmt::format_to(std::back_inserter(data_), "{}", values[i]);
  }
  data_.push_back(']');
  return *this;
}

void TsvWriter::EndRow() {
  data_.push_back('\n');
  row_open_ = false;
  ++rows_;
}

bool TsvReader::Next() {
  fields_.clear();
  if (rest_.empty())
    return false;
  size_t end = rest_.find('\n');
  std::string_view line = rest_.substr(0, end);
  rest_ = end == std::string_view::npos ? std::string_view() : rest_.substr(end + 1);
  while (true) {
    size_t tab = line.find('\t');
    fields_.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos)
      break;
    line.remove_prefix(tab + 1);
  }
  return true;
}

Status TsvReader::Malformed(size_t i, std::string_view what) const {
  std::string_view field = i < fields_.size() ? fields_[i] : std::string_view();
  return Status::DataLoss(fmt::format("clickhouse_store: {}: field {}: {} ('{}')", where_, i, what,
                                      field.substr(0, 40)));
}

Status TsvReader::Expect(size_t want) const {
  if (fields_.size() != want) {
    return Status::DataLoss(fmt::format("clickhouse_store: {}: {} fields in a row, expected {}",
                                        where_, fields_.size(), want));
  }
  return Status::Ok();
}

std::string TsvReader::Str(size_t i) const { return TsvUnescape(fields_.at(i)); }

Result<int64_t> TsvReader::Int(size_t i) const {
  int64_t v = 0;
  if (!ParseNumber(fields_.at(i), &v))
    return Malformed(i, "not an integer");
  return v;
}

Result<uint64_t> TsvReader::UInt(size_t i) const {
  uint64_t v = 0;
  if (!ParseNumber(fields_.at(i), &v))
    return Malformed(i, "not an unsigned integer");
  return v;
}

Result<std::vector<uint64_t>> TsvReader::UIntArray(size_t i) const {
  std::vector<uint64_t> v;
  if (!ParseArray(fields_.at(i), &v))
    return Malformed(i, "not an array of unsigned integers");
  return v;
}

Result<std::vector<int64_t>> TsvReader::IntArray(size_t i) const {
  std::vector<int64_t> v;
  if (!ParseArray(fields_.at(i), &v))
    return Malformed(i, "not an array of integers");
  return v;
}

}  // namespace goodhart::store::clickhouse
