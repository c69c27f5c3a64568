#include "goodhart/receivers/webhook/internal/json_fields.h"

#include <fmt/format.h>

#include <limits>

#include "goodhart/base/time.h"

namespace goodhart::receivers::webhook::internal {
namespace {

// Counts [ and { outside strings; the body is rejected before nlohmann builds anything.
bool NestsTooDeep(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

std::string_view TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "null";
  }
}

Status WrongType(const Where& where, std::string_view key, std::string_view want, const Json& v) {
  return where.Error(key, fmt::format("expected {}, got {}", want, TypeName(v)));
}

}  // namespace

Where Where::Child(std::string_view key) const {
  return {component, path.empty() ? std::string(key) : fmt::format("{}.{}", path, key)};
}

Where Where::Index(size_t i) const { return {component, fmt::format("{}[{}]", path, i)}; }

Status Where::Error(std::string_view key, std::string_view what) const {
  if (path.empty() && key.empty())
    return Status::InvalidArgument(fmt::format("{}: {}", component, what));
  if (path.empty())
    return Status::InvalidArgument(fmt::format("{}: {}: {}", component, key, what));
  if (key.empty())
    return Status::InvalidArgument(fmt::format("{}: {}: {}", component, path, what));
  return Status::InvalidArgument(fmt::format("{}: {}.{}: {}", component, path, key, what));
}

Result<Json> ParseJsonBody(std::string_view body, std::string_view component, bool want_object) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF")
    body.remove_prefix(3);
  if (NestsTooDeep(body)) {
    return Status::InvalidArgument(
        fmt::format("{}: body nests deeper than {} levels", component, kMaxJsonDepth));
  }
  Json doc;
  try {
    doc = Json::parse(body);
  } catch (const Json::parse_error& e) {
    // Only the offset: e.what() quotes the bytes it last read, which may be payload or secret.
    return Status::InvalidArgument(
        fmt::format("{}: body is not JSON (syntax error near byte {})", component, e.byte));
  } catch (const Json::exception&) {
    return Status::InvalidArgument(fmt::format("{}: body is not JSON", component));
  }
  if (want_object && !doc.is_object()) {
    return Status::InvalidArgument(
        fmt::format("{}: body must be a JSON object, got {}", component, TypeName(doc)));
  }
  return doc;
}

const Json* Find(const Json& obj, std::string_view key) {
  if (!obj.is_object())
    return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return nullptr;
  return &*it;
}

Result<const Json*> GetObject(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return where.Error(key, "missing");
  if (!v->is_object())
    return WrongType(where, key, "an object", *v);
  return v;
}

Result<const Json*> GetOptObject(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v != nullptr && !v->is_object())
    return WrongType(where, key, "an object", *v);
  return v;
}

Result<const Json*> GetOptArray(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v != nullptr && !v->is_array())
    return WrongType(where, key, "an array", *v);
  return v;
}

Result<std::string> GetString(const Json& obj, std::string_view key, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(std::string s, GetOptString(obj, key, where));
  if (s.empty())
    return where.Error(key, "missing");
  return s;
}

Result<std::string> GetOptString(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return std::string();
  if (!v->is_string())
    return WrongType(where, key, "a string", *v);
  return v->get<std::string>();
}

Result<std::string> GetId(const Json& obj, std::string_view key, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(std::string s, GetOptId(obj, key, where));
  if (s.empty())
    return where.Error(key, "missing");
  return s;
}

Result<std::string> GetOptId(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return std::string();
  if (v->is_string())
    return v->get<std::string>();
  if (v->is_number_unsigned())
    return std::to_string(v->get<uint64_t>());
  if (v->is_number_integer())
    return std::to_string(v->get<int64_t>());
  return WrongType(where, key, "a string or an integer", *v);
}

Result<int64_t> GetOptInt(const Json& obj, std::string_view key, const Where& where,
                          int64_t fallback) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return fallback;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return where.Error(key, "integer out of range");
    return static_cast<int64_t>(u);
  }
  if (v->is_number_integer())
    return v->get<int64_t>();
  return WrongType(where, key, "an integer", *v);
}

Result<bool> GetOptBool(const Json& obj, std::string_view key, const Where& where, bool fallback) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return fallback;
  if (!v->is_boolean())
    return WrongType(where, key, "a boolean", *v);
  return v->get<bool>();
}

Result<int64_t> GetTimestamp(const Json& obj, std::string_view key, const Where& where) {
  if (Find(obj, key) == nullptr)
    return where.Error(key, "missing");
  return GetOptTimestamp(obj, key, where);
}

Result<int64_t> GetOptTimestamp(const Json& obj, std::string_view key, const Where& where) {
  const Json* v = Find(obj, key);
  if (v == nullptr)
    return int64_t{0};
  if (v->is_number_integer() || v->is_number_unsigned()) {
    // Unix seconds; bounded so the millisecond product cannot overflow (year 1 to 9999).
    constexpr int64_t kMaxSeconds = 253'402'300'799;
    GOODHART_ASSIGN_OR_RETURN(int64_t seconds, GetOptInt(obj, key, where));
    if (seconds < -kMaxSeconds || seconds > kMaxSeconds)
      return where.Error(key, "not a timestamp");
    return seconds * 1000;
  }
  if (!v->is_string())
    return WrongType(where, key, "a timestamp string", *v);
  Result<int64_t> ms = ParseTimestampMillis(v->get_ref<const std::string&>());
  if (!ms.ok())
    return where.Error(key, "not a timestamp");
  return *ms;
}

}  // namespace goodhart::receivers::webhook::internal
