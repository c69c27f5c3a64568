// The envelope every OTLP signal shares, {"resourceX":[{"resource":{...},"scopeX":[{"scope":
// {...},"items":[...]}]}]}, walked once with simdjson on-demand. The three decoders supply what
// happens to each item.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "goodhart/base/status.h"
#include "goodhart/receivers/otlp_http/internal/json_reader.h"

namespace goodhart::receivers::otlp::internal {

// Walks {"resourceX":[{"resource":{...},"scopeX":[{"scope":{...},"items":[...]}]}]}, filling
// state.resource and state.scope before calling item(value, path) for every item; item returns
// a Status (a broken body) and handles record rejections itself. Keys may come in any order: a
// list that arrives before its resource or scope is processed in a second pass.
template <typename Item>
Status WalkEnvelope(DecodeState& state, sj::document& doc, const SignalNames& names, Item&& item);

// Read a resource's attributes into state.resource and a scope's name and version into
// state.scope, with their raw JSON for hash keys.
error_code ReadResource(DecodeState& state, sj::value value);
error_code ReadScope(DecodeState& state, sj::value value);

// Iterates a JSON array that may also be null (= empty); calls fn(value, index) -> Status.
template <typename Fn>
Status ForEachInList(DecodeState& state, sj::value value, std::string_view where, Fn&& fn) {
  sj::array list;
  error_code error = value.get_array().get(list);
  if (error == simdjson::INCORRECT_TYPE) {
    bool is_null = false;
    if (value.is_null().get(is_null) == simdjson::SUCCESS && is_null)
      return Status::Ok();
    return state.BodyError(where, "is not an array");
  }
  if (error)
    return state.BodyError(where, error);
  size_t index = 0;
  for (auto element : list) {
    sj::value v;
    if ((error = Unwrap(element, &v)))
      return state.BodyError(where, error);
    GOODHART_RETURN_IF_ERROR(fn(v, index));
    ++index;
  }
  return Status::Ok();
}

template <typename Item>
Status WalkScope(DecodeState& state, sj::value value, RecordPath path, Item& item) {
  path.depth = 2;
  const std::string where = path.Format();
  path.depth = 3;
  sj::object object;
  error_code error = value.get_object().get(object);
  if (error)
    return state.BodyError(where, IsTypeError(error) ? "is not an object" : "is not valid JSON");
  state.scope = ScopeView{};
  // Items before the scope are read in a second pass, once the scope is known.
  size_t scope_at = SIZE_MAX;
  bool deferred = false;
  auto items = [&](sj::value list) {
    return ForEachInList(state, list, where + "." + std::string(path.names->item_list),
                         [&](sj::value v, size_t index) {
                           path.item = index;
                           return item(v, path);
                         });
  };
  size_t at = 0;
  for (auto field : object) {
    sj::field f;
    if ((error = Unwrap(field, &f)))
      return state.BodyError(where, error);
    const sj::raw_json_string key = f.key();
    if (KeyIs(key, "scope")) {
      if ((error = ReadScope(state, f.value())))
        return state.BodyError(where + ".scope", error);
      scope_at = at;
    } else if (KeyIs(key, path.names->item_list)) {
      if (scope_at == SIZE_MAX)
        deferred = true;
      else
        GOODHART_RETURN_IF_ERROR(items(f.value()));
    }
    ++at;
  }
  if (deferred) {
    bool unused = false;
    if ((error = object.reset().get(unused)))
      return state.BodyError(where, error);
    at = 0;
    for (auto field : object) {
      sj::field f;
      if ((error = Unwrap(field, &f)))
        return state.BodyError(where, error);
      if (at++ < scope_at && KeyIs(f.key(), path.names->item_list))
        GOODHART_RETURN_IF_ERROR(items(f.value()));
    }
  }
  return Status::Ok();
}

template <typename Item>
Status WalkResource(DecodeState& state, sj::value value, RecordPath path, Item& item) {
  path.depth = 1;
  const std::string where = path.Format();
  sj::object object;
  error_code error = value.get_object().get(object);
  if (error)
    return state.BodyError(where, IsTypeError(error) ? "is not an object" : "is not valid JSON");
  state.resource.attrs.Clear();
  state.resource.all.clear();
  state.resource.raw_json = {};
  // Scopes before the resource are read in a second pass, once the resource is known.
  size_t resource_at = SIZE_MAX;
  bool deferred = false;
  auto scopes = [&](sj::value list) {
    return ForEachInList(state, list, where + "." + std::string(path.names->scope_list),
                         [&](sj::value v, size_t index) {
                           path.scope = index;
                           return WalkScope(state, v, path, item);
                         });
  };
  size_t at = 0;
  for (auto field : object) {
    sj::field f;
    if ((error = Unwrap(field, &f)))
      return state.BodyError(where, error);
    const sj::raw_json_string key = f.key();
    if (KeyIs(key, "resource")) {
      if ((error = ReadResource(state, f.value()))) {
        return state.BodyError(where + ".resource", IsTypeError(error) ? "attributes are malformed"
                                                                       : "is not valid JSON");
      }
      resource_at = at;
    } else if (KeyIs(key, path.names->scope_list)) {
      if (resource_at == SIZE_MAX)
        deferred = true;
      else
        GOODHART_RETURN_IF_ERROR(scopes(f.value()));
    }
    ++at;
  }
  if (deferred) {
    bool unused = false;
    if ((error = object.reset().get(unused)))
      return state.BodyError(where, error);
    at = 0;
    for (auto field : object) {
      sj::field f;
      if ((error = Unwrap(field, &f)))
        return state.BodyError(where, error);
      if (at++ < resource_at && KeyIs(f.key(), path.names->scope_list))
        GOODHART_RETURN_IF_ERROR(scopes(f.value()));
    }
  }
  return Status::Ok();
}

template <typename Item>
Status WalkEnvelope(DecodeState& state, sj::document& doc, const SignalNames& names, Item&& item) {
  sj::object root;
  error_code error = doc.get_object().get(root);
  if (error) {
    return IsTypeError(error) ? state.BodyError("body", "is not a JSON object")
                              : state.BodyError("body", error);
  }
  for (auto field : root) {
    sj::field f;
    if ((error = Unwrap(field, &f)))
      return state.BodyError("body", error);
    const sj::raw_json_string key = f.key();
    if (KeyIs(key, names.resource_list)) {
      GOODHART_RETURN_IF_ERROR(
          ForEachInList(state, f.value(), names.resource_list, [&](sj::value v, size_t index) {
            RecordPath path;
            path.names = &names;
            path.resource = index;
            return WalkResource(state, v, path, item);
          }));
    }
  }
  // Anything after the top-level object is not JSON we accept.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    return state.BodyError("body", "has content after the top-level object");
  return Status::Ok();
}

}  // namespace goodhart::receivers::otlp::internal
