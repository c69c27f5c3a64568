// Typed field access over nlohmann::json for the webhook decoders. Every accessor takes the
// enclosing object and a Where (component + path), so a failure reads
// "github_webhook: pull_request.merged_at: not a timestamp" and never echoes the payload.
//
// Conventions: a missing key and a JSON null are the same thing ("absent"); Get* requires the
// field, GetOpt* returns a default when it is absent; a present field of the wrong type is an
// error either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::receivers::webhook::internal {

using Json = nlohmann::json;

// Deepest nesting a body may have; nlohmann's parser is iterative but goodhart's own walks are
// not, and no real webhook comes close.
inline constexpr int kMaxJsonDepth = 64;

// Where an object sits in a payload, for error messages.
struct Where {
  std::string_view component;  // "github_webhook", "cdevents", ...
  std::string path;            // "pull_request.head" ("" at the root)

  Where Child(std::string_view key) const;
  Where Index(size_t i) const;
  // "component: path.key: what" (or "component: key: what" at the root; "component: what" when
  // key is empty and path is too).
  Status Error(std::string_view key, std::string_view what) const;
};

// Parses `body` (after an optional UTF-8 BOM). Rejects non-JSON, nesting deeper than
// kMaxJsonDepth, and (when `want_object`) anything but an object at the top.
Result<Json> ParseJsonBody(std::string_view body, std::string_view component, bool want_object);

// The value at `key` when it is present and not null, else nullptr.
const Json* Find(const Json& obj, std::string_view key);

Result<const Json*> GetObject(const Json& obj, std::string_view key, const Where& where);
// nullptr when absent.
Result<const Json*> GetOptObject(const Json& obj, std::string_view key, const Where& where);
// nullptr when absent.
Result<const Json*> GetOptArray(const Json& obj, std::string_view key, const Where& where);

// A non-empty string.
Result<std::string> GetString(const Json& obj, std::string_view key, const Where& where);
// "" when absent.
Result<std::string> GetOptString(const Json& obj, std::string_view key, const Where& where);
// An identifier sent as a string or an integer; required and non-empty.
Result<std::string> GetId(const Json& obj, std::string_view key, const Where& where);
// "" when absent.
Result<std::string> GetOptId(const Json& obj, std::string_view key, const Where& where);
Result<int64_t> GetOptInt(const Json& obj, std::string_view key, const Where& where,
                          int64_t fallback = 0);
Result<bool> GetOptBool(const Json& obj, std::string_view key, const Where& where,
                        bool fallback = false);

// A timestamp: any form ParseTimestampMillis takes (RFC 3339, GitLab's "2022-01-05 04:36:28
// -0800" and "... UTC"), or an integer of Unix seconds (GitHub push payloads' repository dates).
Result<int64_t> GetTimestamp(const Json& obj, std::string_view key, const Where& where);
// 0 when absent.
Result<int64_t> GetOptTimestamp(const Json& obj, std::string_view key, const Where& where);

}  // namespace goodhart::receivers::webhook::internal
