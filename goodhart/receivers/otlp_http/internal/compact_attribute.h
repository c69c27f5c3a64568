// A fast path for the attribute shape every OTLP JSON exporter writes in compact form:
//   {"key":"input_tokens","value":{"intValue":2}}
// read straight from the input bytes instead of walking three objects with simdjson on-demand
// (about half of a Claude Code body's decode time). Anything else (whitespace, escapes, other key
// order, extra keys, arrays and kvlists) is left to the on-demand reader, so this only ever
// speeds up, never changes, what is read.
#pragma once

#include <string_view>

#include "goodhart/receivers/otlp_http/internal/any_value.h"

namespace goodhart::receivers::otlp::internal {

// Reads the key of `{"key":"<key>","value":` at `text`. On success sets *key (no escapes in it)
// and *value_start (the '{' of the value) and returns true; otherwise returns false.
// REQUIRES: `text` points into a buffer that simdjson has validated (stage 1: every string is
// closed) and that is followed by SIMDJSON_PADDING readable bytes.
bool ReadCompactKey(const char* text, std::string_view* key, const char** value_start);

// Reads a compact AnyValue at `text` that ends its attribute: `{"stringValue":"..."}}`, or
// intValue (number or decimal string), boolValue or doubleValue likewise. Returns false, with
// *value untouched, for any other shape or an integer out of range. Same REQUIRES as above.
bool ReadCompactValue(const char* text, AnyValue* value);

}  // namespace goodhart::receivers::otlp::internal
