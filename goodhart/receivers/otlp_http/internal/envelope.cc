#include "goodhart/receivers/otlp_http/internal/envelope.h"

namespace goodhart::receivers::otlp::internal {
namespace {

// A null object reads as absent; other type errors pass on.
error_code GetObjectOrNull(sj::value& value, sj::object* object, bool* is_null) {
  *is_null = false;
  error_code error = value.get_object().get(*object);
  if (IsTypeError(error) && value.is_null().get(*is_null) == simdjson::SUCCESS && *is_null)
    return simdjson::SUCCESS;
  return error;
}

}  // namespace

error_code ReadResource(DecodeState& state, sj::value value) {
  const char* start = value.raw_json_token().data();
  sj::object object;
  bool is_null = false;
  if (error_code error = GetObjectOrNull(value, &object, &is_null); error || is_null)
    return error;
  for (auto field : object) {
    sj::field f;
    if (error_code error = Unwrap(field, &f))
      return error;
    if (!KeyIs(f.key(), "attributes"))
      continue;
    if (error_code error = ReadAttributes(f.value(), &state.resource.attrs, &state.resource.all))
      return error;
  }
  state.resource.raw_json = state.RawSince(start);
  return simdjson::SUCCESS;
}

error_code ReadScope(DecodeState& state, sj::value value) {
  const char* start = value.raw_json_token().data();
  sj::object object;
  bool is_null = false;
  if (error_code error = GetObjectOrNull(value, &object, &is_null); error || is_null)
    return error;
  for (auto field : object) {
    sj::field f;
    if (error_code error = Unwrap(field, &f))
      return error;
    const sj::raw_json_string key = f.key();
    if (KeyIs(key, "name")) {
      if (error_code error = ReadString(f.value(), &state.scope.name))
        return error;
    } else if (KeyIs(key, "version")) {
      if (error_code error = ReadString(f.value(), &state.scope.version))
        return error;
    }
  }
  state.scope.raw_json = state.RawSince(start);
  return simdjson::SUCCESS;
}

}  // namespace goodhart::receivers::otlp::internal
