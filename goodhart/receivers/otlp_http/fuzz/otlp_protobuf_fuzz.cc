// Fuzz target: every input as an OTLP protobuf request of each signal. A rejection must be clear
// (base/testing/fuzz_checks.h); what ProtobufToJson accepts must be valid JSON (checked in full by
// nlohmann: the decoder skips what it does not read) that the decoder accepts as a whole (records
// may still be rejected one by one), with valid events. docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/protobuf.h"

namespace {

using goodhart::receivers::otlp::DecodeOptions;
using goodhart::receivers::otlp::OtlpSignal;

template <typename Decode>
void Check(OtlpSignal signal, Decode decode, std::string_view body, const DecodeOptions& options) {
  auto json = goodhart::receivers::otlp::ProtobufToJson(body, signal);
  goodhart::testing::RequireClearRejection(json.status(), "otlp_http");
  if (!json.ok())
    return;
  if (!nlohmann::json::accept(*json))
    goodhart::testing::FuzzFailure("ProtobufToJson wrote invalid JSON", goodhart::Status::Ok());
  auto decoded = decode(*json, options);
  if (!decoded.ok())
    goodhart::testing::FuzzFailure("the decoder refused what ProtobufToJson wrote",
                                   decoded.status());
  goodhart::testing::RequireValid(decoded->batch.usage, "a decoded usage event is invalid");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const goodhart::processors::PromptSketcher sketcher("fuzz-sketch-key");
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const DecodeOptions options{.sketcher = &sketcher};
  Check(OtlpSignal::kLogs, goodhart::receivers::otlp::DecodeLogs, body, options);
  Check(OtlpSignal::kMetrics, goodhart::receivers::otlp::DecodeMetrics, body, options);
  Check(OtlpSignal::kTraces, goodhart::receivers::otlp::DecodeTraces, body, options);
  return 0;
}
