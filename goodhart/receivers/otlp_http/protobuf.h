// OTLP/HTTP protobuf (`Content-Type: application/x-protobuf`, what OTEL_EXPORTER_OTLP_PROTOCOL=
// http/protobuf sends): request bodies turned into the OTLP/HTTP JSON the Decode* functions
// read, and the protobuf answers. Both encodings go through one decoder with the same mapping,
// validation and partial-success rules.
// The JSON follows OTLP's JSON encoding: lowerCamelCase names, 64-bit integers as decimal
// strings, enums as integers, trace and span ids as hex, AnyValue bytes as base64.
//
// A record's content-hash key (formats.md: the last-resort event key) is computed over the JSON
// written here, which is the same for the same protobuf bytes, so a retried export is recognised;
// the same record sent once as JSON and once as protobuf is not. Fields goodhart does not read
// and that have no simple JSON form are skipped (internal/otlp_schema.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::receivers::otlp {

enum class OtlpSignal : uint8_t { kLogs, kMetrics, kTraces };

// The JSON form of an Export{Logs,Metrics,Trace}ServiceRequest. Unknown fields are skipped, and
// so is a known field sent with another wire type, as libprotobuf does; groups are skipped. A
// string that is not UTF-8 (proto3 requires it) has its bad bytes replaced by U+FFFD rather than
// losing the request. When one known singular field appears more than once the last one wins (for
// scalars, protobuf's rule; embedded messages are not merged). Malformed protobuf (a truncated
// or overlong value, a length past the end of its message, wire type 6 or 7, messages nested more
// than 100 deep) is InvalidArgument "otlp_http: protobuf: <path>: <what>"; a JSON form that
// would exceed `max_json_bytes` is ResourceExhausted.
Result<std::string> ProtobufToJson(std::string_view body, OtlpSignal signal,
                                   size_t max_json_bytes = SIZE_MAX);

// Protobuf answers, for requests that came as protobuf. An Export*ServiceResponse: empty when
// nothing was rejected, else its partial_success with the rejected count and the message (the
// three signals share one layout).
std::string EncodeExportResponse(int64_t rejected, std::string_view error_message);
// A google.rpc.Status (code, message), OTLP/HTTP's error answer.
std::string EncodeRpcStatus(int code, std::string_view message);

}  // namespace goodhart::receivers::otlp
