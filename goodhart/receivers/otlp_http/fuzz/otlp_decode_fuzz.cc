// Fuzz target: every input through the logs, metrics and traces decoders, copied (the API's
// default) and parsed in place from a padded buffer (as the HTTP route does), with prompt
// sketching on. Rejections must be clear (base/testing/fuzz_checks.h). docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/decode.h"

namespace {

using goodhart::receivers::otlp::DecodeOptions;

template <typename Decode>
void Check(Decode decode, std::string_view body, const DecodeOptions& options) {
  auto decoded = decode(body, options);
  goodhart::testing::RequireClearRejection(decoded.status(), "otlp_http");
  if (decoded.ok()) {
    goodhart::testing::RequireValid(decoded->batch.usage, "a decoded usage event is invalid");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const goodhart::processors::PromptSketcher sketcher("fuzz-sketch-key");
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string padded(body);
  padded.append(goodhart::receivers::otlp::kBodyPaddingBytes, '\0');
  const std::string_view in_place(padded.data(), size);
  for (bool is_padded : {false, true}) {
    const DecodeOptions options{.sketcher = &sketcher, .body_is_padded = is_padded};
    const std::string_view b = is_padded ? in_place : body;
    Check(goodhart::receivers::otlp::DecodeLogs, b, options);
    Check(goodhart::receivers::otlp::DecodeMetrics, b, options);
    Check(goodhart::receivers::otlp::DecodeTraces, b, options);
  }
  return 0;
}
