// Canonical JSONL: goodhart's own interchange format, one model::UsageEvent per line, keyed by the
// UsageEvent field names. `goodhart store export` and the simulator write it, `goodhart ingest`
// reads it back; Encode then Decode gives back the identical event (README.md describes the keys).
// It never carries text: a `prompt` key on input is dropped (prompts reach goodhart as sketches,
// through the OTLP path).
#pragma once

#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"

namespace goodhart::receivers::file {

struct FileDecodeResult;

// One JSON object on one line, without the trailing newline. Fields at their default value are
// left out, except event_key, source, kind, time, tokens and request_count. Invalid UTF-8 in a
// string is replaced by U+FFFD rather than failing.
std::string EncodeCanonicalJsonLine(const model::UsageEvent& event);

// Decodes one line (no newline). A missing event_key becomes "hash:" of the event's canonical
// encoding, a missing source "canonical". Errors name the field, without a component prefix.
Result<model::UsageEvent> DecodeCanonicalJsonLine(std::string_view line);

// Decodes a whole file: blank lines are skipped, a bad line is rejected as "canonical: line N:
// ...".
Status DecodeCanonicalJsonl(std::string_view content, FileDecodeResult* out);

}  // namespace goodhart::receivers::file
