// Helpers for this module's tests only: decoding that fails the test on error, finding events,
// editing corpus bodies, and listing every string field of a UsageEvent.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"

namespace goodhart::receivers::otlp::testing {

// The decoded result; an error fails the calling test and yields an empty result.
inline DecodeResult Decoded(const Result<DecodeResult>& result) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : DecodeResult{};
}

// The event with `event_key`, or null.
inline const model::UsageEvent* FindByKey(const DecodeResult& result, std::string_view key) {
  for (const model::UsageEvent& event : result.batch.usage) {
    if (event.event_key == key)
      return &event;
  }
  return nullptr;
}

// `text` with the first `from` after `after` (an anchor, "" for the start) replaced by `to`;
// fails the test if either is not found.
inline std::string Replace(std::string text, std::string_view from, std::string_view to,
                           std::string_view after = {}) {
  size_t start = 0;
  if (!after.empty()) {
    start = text.find(after);
    EXPECT_NE(start, std::string::npos) << "anchor not found: " << after;
    if (start == std::string::npos)
      return text;
  }
  const size_t at = text.find(from, start);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

// Every string a UsageEvent holds.
inline std::vector<std::string_view> StringFields(const model::UsageEvent& e) {
  return {e.event_key,    e.source,     e.raw_id,    e.event_name, e.actor,        e.actor_kind,
          e.organization, e.session_id, e.prompt_id, e.tool,       e.tool_version, e.agent,
          e.query_source, e.provider,   e.model,     e.request_id, e.series_key,   e.git_commit_id};
}

}  // namespace goodhart::receivers::otlp::testing
