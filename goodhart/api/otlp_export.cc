#include "goodhart/api/otlp_export.h"

#include "goodhart/receivers/otlp_http/decode.h"

namespace goodhart::api {
namespace {

using receivers::otlp::OtlpSignal;

// The most JSON a protobuf body may become, per byte of the decompressed limit.
constexpr size_t kJsonPerProtobufByte = 4;

Result<receivers::otlp::DecodeResult> Decode(OtlpSignal signal, std::string_view padded_json,
                                             const receivers::otlp::DecodeOptions& options) {
  switch (signal) {
    case OtlpSignal::kLogs:
      return receivers::otlp::DecodeLogs(padded_json, options);
    case OtlpSignal::kMetrics:
      return receivers::otlp::DecodeMetrics(padded_json, options);
    case OtlpSignal::kTraces:
      return receivers::otlp::DecodeTraces(padded_json, options);
  }
  return Status::Internal("otlp_http: unknown signal");
}

}  // namespace

Receiver ReceiverOf(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kLogs:
      return Receiver::kOtlpLogs;
    case OtlpSignal::kMetrics:
      return Receiver::kOtlpMetrics;
    case OtlpSignal::kTraces:
      return Receiver::kOtlpTraces;
  }
  return Receiver::kOtlpLogs;
}

Result<OtlpExported> ExportOtlp(OtlpSignal signal, OtlpEncoding encoding, std::string_view body,
                                const OtlpExportOptions& options, pipeline::Consumer& next,
                                IngestCounters::PerReceiver& count) {
  const receivers::otlp::DecodeOptions decode_options{.sketcher = options.sketcher,
                                                      .body_is_padded = true};
  auto decode = [&]() -> Result<receivers::otlp::DecodeResult> {
    if (encoding == OtlpEncoding::kJson)
      return Decode(signal, body, decode_options);
    // Through its JSON form: one decoder for both encodings (otlp_http/protobuf.h). The JSON is
    // about twice the protobuf; a body that would grow far beyond that (empty or escaped
    // fields) is refused like a body over the limit.
    GOODHART_ASSIGN_OR_RETURN(
        std::string json,
        receivers::otlp::ProtobufToJson(
            body, signal,
            kJsonPerProtobufByte * static_cast<size_t>(options.decompressed_limit_bytes)));
    const size_t json_size = json.size();
    json.append(receivers::otlp::kBodyPaddingBytes, '\0');  // parsed in place
    return Decode(signal, std::string_view(json.data(), json_size), decode_options);
  };
  GOODHART_ASSIGN_OR_RETURN(receivers::otlp::DecodeResult decoded, decode());
  GOODHART_ASSIGN_OR_RETURN(auto stored, next.Consume(decoded.batch));
  count.records_stored += stored.inserted;
  count.records_duplicate += stored.duplicates;
  count.records_rejected += decoded.rejected;
  return OtlpExported{.rejected = decoded.rejected,
                      .error_message = std::move(decoded.error_message)};
}

int RpcCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 3;
    case StatusCode::kDeadlineExceeded:
      return 4;
    case StatusCode::kNotFound:
      return 5;
    case StatusCode::kAlreadyExists:
      return 6;
    case StatusCode::kPermissionDenied:
      return 7;
    case StatusCode::kResourceExhausted:
      return 8;
    case StatusCode::kFailedPrecondition:
      return 9;
    case StatusCode::kUnimplemented:
      return 12;
    case StatusCode::kInternal:
      return 13;
    case StatusCode::kUnavailable:
      return 14;
    case StatusCode::kDataLoss:
      return 15;
    case StatusCode::kUnauthenticated:
      return 16;
  }
  return 2;  // UNKNOWN
}

}  // namespace goodhart::api
