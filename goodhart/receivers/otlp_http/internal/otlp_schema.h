// The OTLP protobuf messages as tables of field numbers, JSON names and kinds
// (opentelemetry-proto: common/v1, resource/v1, logs/v1, metrics/v1, trace/v1 and the collector
// services' requests and responses). They drive the protobuf-to-JSON transcoder. Fields goodhart
// never reads and that have no simple JSON form (exemplars, histogram buckets, span links' and
// exponential histograms' details) are left out: the transcoder skips them as unknown fields,
// which protobuf readers must do anyway.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace goodhart::receivers::otlp::internal {

enum class FieldKind : uint8_t {
  kMessage,      // length-delimited, an embedded message
  kString,       // length-delimited, UTF-8
  kBytesHex,     // length-delimited; JSON: lower-case hex (trace and span ids, OTLP's JSON rule)
  kBytesBase64,  // length-delimited; JSON: base64 (AnyValue.bytes_value)
  kInt64,        // varint, two's complement; JSON: decimal string
  kFixed64,      // fixed64, unsigned; JSON: decimal string
  kSfixed64,     // fixed64, signed; JSON: decimal string
  kUint32,       // varint; JSON: number
  kEnum,         // varint, int32; JSON: number (OTLP's JSON rule: enums as integers)
  kBool,         // varint; JSON: true or false
  kDouble,       // fixed64; JSON: number, or "NaN", "Infinity", "-Infinity"
  kFixed32,      // fixed32; JSON: number
};

struct MessageSpec;

struct FieldSpec {
  uint32_t number;
  std::string_view json_name;
  FieldKind kind;
  bool repeated = false;
  const MessageSpec* message = nullptr;  // kMessage only
  uint8_t oneof = 0;                     // > 0: members of one oneof share it; the last one wins
};

struct MessageSpec {
  std::string_view name;
  std::span<const FieldSpec> fields;

  const FieldSpec* Find(uint32_t number) const {
    for (const FieldSpec& f : fields) {
      if (f.number == number)
        return &f;
    }
    return nullptr;
  }
};

// Export{Logs,Metrics,Trace}ServiceRequest.
extern const MessageSpec kExportLogsRequest;
extern const MessageSpec kExportMetricsRequest;
extern const MessageSpec kExportTraceRequest;

}  // namespace goodhart::receivers::otlp::internal
