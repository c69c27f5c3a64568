#include "goodhart/receivers/file/internal/csv_reader.h"

#include <fmt/format.h>

#include "goodhart/receivers/file/internal/json_fields.h"

namespace goodhart::receivers::file::internal {

CsvReader::CsvReader(std::string_view text) : text_(StripBom(text)) {}

Result<bool> CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n')
      ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size())
    return false;
  record_line_ = line_;
  auto skip_line = [this] {
    while (pos_ < text_.size() && text_[pos_] != '\n')
      ++pos_;
  };
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          return Status::InvalidArgument(
              fmt::format("field {}: quote never closes", fields->size() + 1));
        }
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n')
          ++line_;
        field.push_back(c);
      }
      // After the closing quote only a separator or the end of the record may follow.
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
          !(text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'))) {
        size_t field_number = fields->size() + 1;
        skip_line();
        return Status::InvalidArgument(
            fmt::format("field {}: text after the closing quote", field_number));
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        field.push_back(text_[pos_++]);
      }
    }
    fields->push_back(field);
    if (pos_ >= text_.size())
      return true;
    char c = text_[pos_++];
    if (c == ',')
      continue;
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n')
      ++pos_;
    ++line_;  // '\n', "\r\n" or a lone '\r' ends the record
    return true;
  }
}

}  // namespace goodhart::receivers::file::internal
