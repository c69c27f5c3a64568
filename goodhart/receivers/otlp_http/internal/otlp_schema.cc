#include "goodhart/receivers/otlp_http/internal/otlp_schema.h"

namespace goodhart::receivers::otlp::internal {

// Messages that refer to each other (AnyValue holds arrays and lists of AnyValue) or are shared.
extern const MessageSpec kAnyValue, kArrayValue, kKeyValueList, kKeyValue, kResource,
    kInstrumentationScope;

namespace {

using K = FieldKind;

constexpr FieldSpec Field(uint32_t number, std::string_view name, FieldKind kind) {
  return {number, name, kind};
}
constexpr FieldSpec One(uint32_t number, std::string_view name, const MessageSpec& message) {
  return {number, name, K::kMessage, false, &message};
}
constexpr FieldSpec Many(uint32_t number, std::string_view name, const MessageSpec& message) {
  return {number, name, K::kMessage, true, &message};
}
constexpr FieldSpec Choice(FieldSpec field, uint8_t oneof) {
  field.oneof = oneof;
  return field;
}

// common/v1
constexpr FieldSpec kAnyValueFields[] = {
    Choice(Field(1, "stringValue", K::kString), 1),
    Choice(Field(2, "boolValue", K::kBool), 1),
    Choice(Field(3, "intValue", K::kInt64), 1),
    Choice(Field(4, "doubleValue", K::kDouble), 1),
    Choice(One(5, "arrayValue", kArrayValue), 1),
    Choice(One(6, "kvlistValue", kKeyValueList), 1),
    Choice(Field(7, "bytesValue", K::kBytesBase64), 1),
};
constexpr FieldSpec kArrayValueFields[] = {Many(1, "values", kAnyValue)};
constexpr FieldSpec kKeyValueListFields[] = {Many(1, "values", kKeyValue)};
constexpr FieldSpec kKeyValueFields[] = {Field(1, "key", K::kString), One(2, "value", kAnyValue)};
constexpr FieldSpec kScopeFields[] = {
    Field(1, "name", K::kString),
    Field(2, "version", K::kString),
    Many(3, "attributes", kKeyValue),
    Field(4, "droppedAttributesCount", K::kUint32),
};
// resource/v1
constexpr FieldSpec kResourceFields[] = {
    Many(1, "attributes", kKeyValue),
    Field(2, "droppedAttributesCount", K::kUint32),
};

// logs/v1
constexpr FieldSpec kLogRecordFields[] = {
    Field(1, "timeUnixNano", K::kFixed64),
    Field(11, "observedTimeUnixNano", K::kFixed64),
    Field(2, "severityNumber", K::kEnum),
    Field(3, "severityText", K::kString),
    One(5, "body", kAnyValue),
    Many(6, "attributes", kKeyValue),
    Field(7, "droppedAttributesCount", K::kUint32),
    Field(8, "flags", K::kFixed32),
    Field(9, "traceId", K::kBytesHex),
    Field(10, "spanId", K::kBytesHex),
    Field(12, "eventName", K::kString),
};
constexpr MessageSpec kLogRecord{"LogRecord", kLogRecordFields};
constexpr FieldSpec kScopeLogsFields[] = {
    One(1, "scope", kInstrumentationScope),
    Many(2, "logRecords", kLogRecord),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kScopeLogs{"ScopeLogs", kScopeLogsFields};
constexpr FieldSpec kResourceLogsFields[] = {
    One(1, "resource", kResource),
    Many(2, "scopeLogs", kScopeLogs),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kResourceLogs{"ResourceLogs", kResourceLogsFields};
constexpr FieldSpec kLogsRequestFields[] = {Many(1, "resourceLogs", kResourceLogs)};

// metrics/v1
constexpr FieldSpec kNumberPointFields[] = {
    Many(7, "attributes", kKeyValue),           Field(2, "startTimeUnixNano", K::kFixed64),
    Field(3, "timeUnixNano", K::kFixed64),      Choice(Field(4, "asDouble", K::kDouble), 1),
    Choice(Field(6, "asInt", K::kSfixed64), 1), Field(8, "flags", K::kUint32),
};
constexpr MessageSpec kNumberPoint{"NumberDataPoint", kNumberPointFields};
constexpr FieldSpec kHistogramPointFields[] = {
    Many(9, "attributes", kKeyValue),      Field(2, "startTimeUnixNano", K::kFixed64),
    Field(3, "timeUnixNano", K::kFixed64), Field(4, "count", K::kFixed64),
    Field(5, "sum", K::kDouble),           Field(10, "flags", K::kUint32),
    Field(11, "min", K::kDouble),          Field(12, "max", K::kDouble),
};
constexpr MessageSpec kHistogramPoint{"HistogramDataPoint", kHistogramPointFields};
constexpr FieldSpec kExponentialPointFields[] = {
    Many(1, "attributes", kKeyValue),      Field(2, "startTimeUnixNano", K::kFixed64),
    Field(3, "timeUnixNano", K::kFixed64), Field(4, "count", K::kFixed64),
    Field(5, "sum", K::kDouble),           Field(10, "flags", K::kUint32),
    Field(12, "min", K::kDouble),          Field(13, "max", K::kDouble),
};
constexpr MessageSpec kExponentialPoint{"ExponentialHistogramDataPoint", kExponentialPointFields};
constexpr FieldSpec kSummaryPointFields[] = {
    Many(7, "attributes", kKeyValue),      Field(2, "startTimeUnixNano", K::kFixed64),
    Field(3, "timeUnixNano", K::kFixed64), Field(4, "count", K::kFixed64),
    Field(5, "sum", K::kDouble),           Field(8, "flags", K::kUint32),
};
constexpr MessageSpec kSummaryPoint{"SummaryDataPoint", kSummaryPointFields};
constexpr FieldSpec kGaugeFields[] = {Many(1, "dataPoints", kNumberPoint)};
constexpr MessageSpec kGauge{"Gauge", kGaugeFields};
constexpr FieldSpec kSumFields[] = {
    Many(1, "dataPoints", kNumberPoint),
    Field(2, "aggregationTemporality", K::kEnum),
    Field(3, "isMonotonic", K::kBool),
};
constexpr MessageSpec kSum{"Sum", kSumFields};
constexpr FieldSpec kHistogramFields[] = {
    Many(1, "dataPoints", kHistogramPoint),
    Field(2, "aggregationTemporality", K::kEnum),
};
constexpr MessageSpec kHistogram{"Histogram", kHistogramFields};
constexpr FieldSpec kExponentialFields[] = {
    Many(1, "dataPoints", kExponentialPoint),
    Field(2, "aggregationTemporality", K::kEnum),
};
constexpr MessageSpec kExponential{"ExponentialHistogram", kExponentialFields};
constexpr FieldSpec kSummaryFields[] = {Many(1, "dataPoints", kSummaryPoint)};
constexpr MessageSpec kSummary{"Summary", kSummaryFields};
constexpr FieldSpec kMetricFields[] = {
    Field(1, "name", K::kString),
    Field(2, "description", K::kString),
    Field(3, "unit", K::kString),
    Choice(One(5, "gauge", kGauge), 1),
    Choice(One(7, "sum", kSum), 1),
    Choice(One(9, "histogram", kHistogram), 1),
    Choice(One(10, "exponentialHistogram", kExponential), 1),
    Choice(One(11, "summary", kSummary), 1),
    Many(12, "metadata", kKeyValue),
};
constexpr MessageSpec kMetric{"Metric", kMetricFields};
constexpr FieldSpec kScopeMetricsFields[] = {
    One(1, "scope", kInstrumentationScope),
    Many(2, "metrics", kMetric),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kScopeMetrics{"ScopeMetrics", kScopeMetricsFields};
constexpr FieldSpec kResourceMetricsFields[] = {
    One(1, "resource", kResource),
    Many(2, "scopeMetrics", kScopeMetrics),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kResourceMetrics{"ResourceMetrics", kResourceMetricsFields};
constexpr FieldSpec kMetricsRequestFields[] = {Many(1, "resourceMetrics", kResourceMetrics)};

// trace/v1
constexpr FieldSpec kSpanEventFields[] = {
    Field(1, "timeUnixNano", K::kFixed64),
    Field(2, "name", K::kString),
    Many(3, "attributes", kKeyValue),
    Field(4, "droppedAttributesCount", K::kUint32),
};
constexpr MessageSpec kSpanEvent{"Span.Event", kSpanEventFields};
constexpr FieldSpec kSpanStatusFields[] = {
    Field(2, "message", K::kString),
    Field(3, "code", K::kEnum),
};
constexpr MessageSpec kSpanStatus{"Status", kSpanStatusFields};
constexpr FieldSpec kSpanFields[] = {
    Field(1, "traceId", K::kBytesHex),
    Field(2, "spanId", K::kBytesHex),
    Field(3, "traceState", K::kString),
    Field(4, "parentSpanId", K::kBytesHex),
    Field(16, "flags", K::kFixed32),
    Field(5, "name", K::kString),
    Field(6, "kind", K::kEnum),
    Field(7, "startTimeUnixNano", K::kFixed64),
    Field(8, "endTimeUnixNano", K::kFixed64),
    Many(9, "attributes", kKeyValue),
    Field(10, "droppedAttributesCount", K::kUint32),
    Many(11, "events", kSpanEvent),
    Field(12, "droppedEventsCount", K::kUint32),
    Field(14, "droppedLinksCount", K::kUint32),
    One(15, "status", kSpanStatus),
};
constexpr MessageSpec kSpan{"Span", kSpanFields};
constexpr FieldSpec kScopeSpansFields[] = {
    One(1, "scope", kInstrumentationScope),
    Many(2, "spans", kSpan),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kScopeSpans{"ScopeSpans", kScopeSpansFields};
constexpr FieldSpec kResourceSpansFields[] = {
    One(1, "resource", kResource),
    Many(2, "scopeSpans", kScopeSpans),
    Field(3, "schemaUrl", K::kString),
};
constexpr MessageSpec kResourceSpans{"ResourceSpans", kResourceSpansFields};
constexpr FieldSpec kTraceRequestFields[] = {Many(1, "resourceSpans", kResourceSpans)};

}  // namespace

const MessageSpec kAnyValue{"AnyValue", kAnyValueFields};
const MessageSpec kArrayValue{"ArrayValue", kArrayValueFields};
const MessageSpec kKeyValueList{"KeyValueList", kKeyValueListFields};
const MessageSpec kKeyValue{"KeyValue", kKeyValueFields};
const MessageSpec kResource{"Resource", kResourceFields};
const MessageSpec kInstrumentationScope{"InstrumentationScope", kScopeFields};

const MessageSpec kExportLogsRequest{"ExportLogsServiceRequest", kLogsRequestFields};
const MessageSpec kExportMetricsRequest{"ExportMetricsServiceRequest", kMetricsRequestFields};
const MessageSpec kExportTraceRequest{"ExportTraceServiceRequest", kTraceRequestFields};

}  // namespace goodhart::receivers::otlp::internal
