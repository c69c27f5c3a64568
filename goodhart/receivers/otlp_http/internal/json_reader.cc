#include "goodhart/receivers/otlp_http/internal/json_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>

#include "goodhart/receivers/otlp_http/internal/compact_attribute.h"

namespace goodhart::receivers::otlp::internal {
namespace {

#define OTLP_TRY(expr)          \
  do {                          \
    error_code _error = (expr); \
    if (_error)                 \
      return _error;            \
  } while (false)

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Whether text[0, size) holds a backslash, eight bytes at a time. Reads up to 7 bytes past the
// end, which the padded input always allows.
bool HasBackslash(const char* text, size_t size) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  constexpr uint64_t kBackslashes = 0x5C * kOnes;
  for (size_t i = 0; i < size; i += 8) {
    uint64_t word;
    std::memcpy(&word, text + i, sizeof(word));
    word ^= kBackslashes;  // a backslash byte becomes zero
    uint64_t zeros = (word - kOnes) & ~word & kHighs;
    if (size - i < 8)
      zeros &= (uint64_t{1} << ((size - i) * 8)) - 1;  // only bytes inside the text
    if (zeros != 0)
      return true;
  }
  return false;
}

// The text of a string value straight from the input, when it has no escapes (nearly always):
// no copy into the parser's string buffer. The value is left unconsumed, which on-demand allows.
bool ReadUnescapedString(sj::value& value, std::string_view* out) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && IsSpace(token.back()))
    token.remove_suffix(1);
  if (token.size() < 2 || token.front() != '"' || token.back() != '"')
    return false;
  token = token.substr(1, token.size() - 2);
  if (HasBackslash(token.data(), token.size()))
    return false;
  *out = token;
  return true;
}

// Marks *out invalid when `error` is a type error; passes other errors on.
error_code InvalidOn(error_code error, std::string_view what, AnyValue* out) {
  if (IsTypeError(error)) {
    *out = AnyValue{.type = ValueType::kInvalid, .text = what};
    return simdjson::SUCCESS;
  }
  return error;
}

// The raw JSON of an arrayValue / kvlistValue ({"values":[...]}).
error_code ReadRawObject(sj::value value, std::string_view* out) {
  sj::object object;
  OTLP_TRY(value.get_object().get(object));
  return object.raw_json().get(*out);
}

}  // namespace

std::string RecordPath::Format() const {
  std::string out = fmt::format("{}[{}]", names->resource_list, resource);
  if (depth >= 2)
    fmt::format_to(std::back_inserter(out), ".{}[{}]", names->scope_list, scope);
  if (depth >= 3)
    fmt::format_to(std::back_inserter(out), ".{}[{}]", names->item_list, item);
  if (!sub_list.empty())
    fmt::format_to(std::back_inserter(out), ".{}[{}]", sub_list, sub);
  return out;
}

std::string_view DecodeState::RawSince(const char* start) {
  const char* end = Here();
  while (end > start && (IsSpace(end[-1]) || end[-1] == ','))
    --end;
  return {start, static_cast<size_t>(end - start)};
}

void DecodeState::Reject(const RecordPath& path, std::string_view what) {
  ++result_.rejected;
  if (result_.error_message.empty())
    result_.error_message = fmt::format("otlp_http: {}: {}", path.Format(), what);
}

Status DecodeState::BodyError(std::string_view where, error_code error) const {
  if (IsTypeError(error))
    return BodyError(where, "has the wrong type");
  return Status::InvalidArgument(
      fmt::format("otlp_http: {}: is not valid JSON ({})", where, simdjson::error_message(error)));
}

Status DecodeState::BodyError(std::string_view where, std::string_view what) const {
  return Status::InvalidArgument(fmt::format("otlp_http: {}: {}", where, what));
}

error_code ReadAnyValue(sj::value value, AnyValue* out) {
  *out = AnyValue{};
  sj::object object;
  if (error_code error = value.get_object().get(object))
    return InvalidOn(error, "value is not an AnyValue object", out);
  for (auto field : object) {
    sj::field f;
    OTLP_TRY(Unwrap(field, &f));
    const sj::raw_json_string key = f.key();
    sj::value v = f.value();
    switch (KeyFirst(key)) {
      case 's':
        if (KeyIs(key, "stringValue")) {
          out->type = ValueType::kString;
          out->text = {};
          OTLP_TRY(InvalidOn(ReadString(v, &out->text), "stringValue is not a string", out));
        }
        break;
      case 'i':
        if (KeyIs(key, "intValue")) {
          out->type = ValueType::kInt;
          OTLP_TRY(InvalidOn(ReadInt64(v, &out->int_value), "intValue is not an int64", out));
        }
        break;
      case 'd':
        if (KeyIs(key, "doubleValue")) {
          out->type = ValueType::kDouble;
          OTLP_TRY(
              InvalidOn(ReadDouble(v, &out->double_value), "doubleValue is not a number", out));
        }
        break;
      case 'b':
        if (KeyIs(key, "boolValue")) {
          out->type = ValueType::kBool;
          OTLP_TRY(InvalidOn(v.get_bool().get(out->bool_value), "boolValue is not a bool", out));
        } else if (KeyIs(key, "bytesValue")) {
          out->type = ValueType::kBytes;
          OTLP_TRY(InvalidOn(ReadString(v, &out->text), "bytesValue is not a string", out));
        }
        break;
      case 'a':
        if (KeyIs(key, "arrayValue")) {
          out->type = ValueType::kArray;
          OTLP_TRY(InvalidOn(ReadRawObject(v, &out->text), "arrayValue is not an object", out));
        }
        break;
      case 'k':
        if (KeyIs(key, "kvlistValue")) {
          out->type = ValueType::kKvlist;
          OTLP_TRY(InvalidOn(ReadRawObject(v, &out->text), "kvlistValue is not an object", out));
        }
        break;
      default:
        break;  // unknown keys are ignored
    }
  }
  return simdjson::SUCCESS;
}

error_code ReadAttributes(sj::value value, AttrSet* known, std::vector<Attribute>* all) {
  sj::array list;
  if (error_code error = value.get_array().get(list)) {
    bool is_null = false;
    if (IsTypeError(error) && value.is_null().get(is_null) == simdjson::SUCCESS && is_null)
      return simdjson::SUCCESS;
    return error;
  }
  for (auto element : list) {
    sj::value item;
    OTLP_TRY(Unwrap(element, &item));
    {
      // Compact attributes are read from the bytes; the array iterator then skips them.
      std::string_view key;
      const char* value_start = nullptr;
      if (ReadCompactKey(item.raw_json_token().data(), &key, &value_start)) {
        const AttrId id = LookupAttrId(key);
        if (id == AttrId::kUnknown && all == nullptr)
          continue;  // an attribute nobody reads
        AnyValue any;
        if (ReadCompactValue(value_start, &any)) {
          if (id != AttrId::kUnknown)
            known->Set(id, any);
          if (all != nullptr)
            all->push_back({key, any});
          continue;
        }
      }
    }
    sj::object pair;
    if (error_code error = item.get_object().get(pair)) {
      if (IsTypeError(error))
        continue;  // not a {key, value} object: nothing to read
      return error;
    }
    std::string_view key;
    bool has_key = false;
    AttrId id = AttrId::kUnknown;
    AnyValue any;
    for (auto field : pair) {
      sj::field f;
      OTLP_TRY(Unwrap(field, &f));
      const sj::raw_json_string name = f.key();
      const char* raw = name.raw();
      if (raw[0] == 'k' && raw[1] == 'e' && raw[2] == 'y' && raw[3] == '"') {
        if (!ReadUnescapedString(f.value(), &key)) {
          error_code error = f.value().get_string().get(key);
          if (IsTypeError(error))
            continue;
          OTLP_TRY(error);
        }
        has_key = true;
        id = LookupAttrId(key);
      } else if (KeyIs(name, "value")) {
        if (has_key && id == AttrId::kUnknown && all == nullptr)
          continue;  // an attribute nobody reads: skip its value undecoded
        OTLP_TRY(ReadAnyValue(f.value(), &any));
      }
    }
    if (!has_key)
      continue;
    if (id != AttrId::kUnknown)
      known->Set(id, any);
    if (all != nullptr)
      all->push_back({key, any});
  }
  return simdjson::SUCCESS;
}

error_code ReadInt64(sj::value value, int64_t* out) {
  std::string_view text;
  if (ReadUnescapedString(value, &text)) {  // the usual OTLP encoding: "1791447318137000000"
    std::optional<int64_t> n = ParseDecimalInt64(text);
    if (!n)
      return simdjson::INCORRECT_TYPE;
    *out = *n;
    return simdjson::SUCCESS;
  }
  sj::json_type type;
  OTLP_TRY(value.type().get(type));
  switch (type) {
    case sj::json_type::number:
      return value.get_int64().get(*out);
    case sj::json_type::string: {
      OTLP_TRY(value.get_string().get(text));
      std::optional<int64_t> n = ParseDecimalInt64(text);
      if (!n)
        return simdjson::INCORRECT_TYPE;
      *out = *n;
      return simdjson::SUCCESS;
    }
    case sj::json_type::null:
      return simdjson::SUCCESS;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

error_code ReadDouble(sj::value value, double* out) {
  sj::json_type type;
  OTLP_TRY(value.type().get(type));
  switch (type) {
    case sj::json_type::number:
      return value.get_double().get(*out);
    case sj::json_type::string: {
      std::string_view text;
      OTLP_TRY(value.get_string().get(text));
      if (text == "NaN") {
        *out = std::numeric_limits<double>::quiet_NaN();
      } else if (text == "Infinity") {
        *out = std::numeric_limits<double>::infinity();
      } else if (text == "-Infinity") {
        *out = -std::numeric_limits<double>::infinity();
      } else {
        const char* last = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), last, *out);
        if (text.empty() || ec != std::errc() || ptr != last)
          return simdjson::INCORRECT_TYPE;
      }
      return simdjson::SUCCESS;
    }
    case sj::json_type::null:
      return simdjson::SUCCESS;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

error_code ReadString(sj::value value, std::string_view* out) {
  if (ReadUnescapedString(value, out))
    return simdjson::SUCCESS;
  error_code error = value.get_string().get(*out);
  if (error == simdjson::INCORRECT_TYPE) {
    bool is_null = false;
    if (value.is_null().get(is_null) == simdjson::SUCCESS && is_null)
      return simdjson::SUCCESS;
  }
  return error;
}

error_code ReadEnum(sj::value value, std::initializer_list<std::string_view> names, int* out) {
  sj::json_type type;
  OTLP_TRY(value.type().get(type));
  if (type == sj::json_type::string) {
    std::string_view text;
    OTLP_TRY(value.get_string().get(text));
    int index = 0;
    for (std::string_view name : names) {
      if (text == name) {
        *out = index;
        return simdjson::SUCCESS;
      }
      ++index;
    }
    std::optional<int64_t> n = ParseDecimalInt64(text);
    if (!n || *n < 0 || *n > 1000)
      return simdjson::INCORRECT_TYPE;
    *out = static_cast<int>(*n);
    return simdjson::SUCCESS;
  }
  int64_t n = 0;
  OTLP_TRY(ReadInt64(value, &n));
  if (n < 0 || n > 1000)
    return simdjson::INCORRECT_TYPE;
  *out = static_cast<int>(n);
  return simdjson::SUCCESS;
}

}  // namespace goodhart::receivers::otlp::internal
