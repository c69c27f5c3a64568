#include "goodhart/receivers/otlp_http/decode.h"

#include <cstring>
#include <memory>

#include "goodhart/receivers/otlp_http/internal/decoders.h"

namespace goodhart::receivers::otlp {
namespace {

using internal::DecodeState;
namespace sj = internal::sj;

// Above this size a thread's buffer and parser are released after use rather than kept.
constexpr size_t kKeepCapacityBytes = 16 << 20;

// simdjson reads up to SIMDJSON_PADDING bytes past the end of its input, so the body is copied
// into a padded buffer each thread keeps, along with its parser (allocating either per request
// costs more than decoding a small body).
struct ThreadInput {
  sj::parser parser;
  std::unique_ptr<char[]> buffer;
  size_t capacity = 0;  // bytes in `buffer`, padding included
};

using DocumentDecoder = Status (*)(DecodeState&, sj::document&);

Result<DecodeResult> Decode(std::string_view body, const DecodeOptions& options,
                            DocumentDecoder decode) {
  static_assert(kBodyPaddingBytes >= simdjson::SIMDJSON_PADDING);
  thread_local ThreadInput input;
  const char* json = body.data();
  size_t json_capacity = body.size() + kBodyPaddingBytes;
  if (!options.body_is_padded) {
    const size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
    if (input.capacity < needed) {
      const size_t capacity = std::max(needed, std::max<size_t>(input.capacity * 3 / 2, 64 << 10));
      input.buffer = std::make_unique<char[]>(capacity);
      input.capacity = capacity;
    }
    std::memcpy(input.buffer.get(), body.data(), body.size());
    std::memset(input.buffer.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);
    json = input.buffer.get();
    json_capacity = input.capacity;
  }

  DecodeResult result;
  // Claude Code records run 1.5-2.5 KB: reserving for one per KB avoids most regrowth (moving
  // events), and pages of the reserve that are never written are never touched.
  result.batch.usage.reserve(body.size() / 1024 + 1);
  Status status;
  {
    sj::document doc;
    simdjson::error_code error = input.parser.iterate(json, body.size(), json_capacity).get(doc);
    if (error) {
      status = Status::InvalidArgument(error == simdjson::EMPTY
                                           ? std::string("otlp_http: body: is empty")
                                           : std::string("otlp_http: body: is not valid JSON (") +
                                                 simdjson::error_message(error) + ")");
    } else {
      DecodeState state(doc, json + body.size(), options, result);
      status = decode(state, doc);
    }
  }
  if (input.capacity > kKeepCapacityBytes || input.parser.capacity() > kKeepCapacityBytes) {
    input.buffer.reset();
    input.capacity = 0;
    input.parser = sj::parser();
  }
  if (!status.ok())
    return status;
  return result;
}

}  // namespace

Result<DecodeResult> DecodeLogs(std::string_view body, const DecodeOptions& options) {
  return Decode(body, options, &internal::DecodeLogsDocument);
}

Result<DecodeResult> DecodeMetrics(std::string_view body, const DecodeOptions& options) {
  return Decode(body, options, &internal::DecodeMetricsDocument);
}

Result<DecodeResult> DecodeTraces(std::string_view body, const DecodeOptions& options) {
  return Decode(body, options, &internal::DecodeTracesDocument);
}

}  // namespace goodhart::receivers::otlp
