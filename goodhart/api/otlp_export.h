// One OTLP export request, whichever transport brought it (the OTLP/HTTP routes, the OTLP/gRPC
// server): decoded from OTLP JSON or protobuf, its records stored, the receiver's counters kept.
// Both transports share this, so a record is mapped, validated and deduplicated the same way
// whichever way it came.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/api/ingest_counters.h"
#include "goodhart/base/status.h"
#include "goodhart/pipeline/consumer.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/otlp_http/protobuf.h"

namespace goodhart::api {

enum class OtlpEncoding { kJson, kProtobuf };

struct OtlpExportOptions {
  int64_t decompressed_limit_bytes = 64 << 20;
  const processors::PromptSketcher* sketcher = nullptr;
};

// What a stored export answers: the records rejected (OTLP partial success) and the first
// rejection's message.
struct OtlpExported {
  int64_t rejected = 0;
  std::string error_message;
};

// The receiver whose counters a signal's requests count in.
Receiver ReceiverOf(receivers::otlp::OtlpSignal signal);

// Decodes `body` and hands its records to `next`; OK means they are committed. `body` must be
// followed by receivers::otlp::kBodyPaddingBytes readable zero bytes (it is parsed in place).
// Errors: InvalidArgument for a body that is not OTLP, ResourceExhausted when a protobuf body's
// JSON form would pass 4x the decompressed limit, the store's status when it cannot commit.
// Counts the records (stored, duplicate, rejected) in `count`; the caller counts the request,
// its bytes and its failure.
Result<OtlpExported> ExportOtlp(receivers::otlp::OtlpSignal signal, OtlpEncoding encoding,
                                std::string_view body, const OtlpExportOptions& options,
                                pipeline::Consumer& next, IngestCounters::PerReceiver& count);

// The google.rpc.Code of a status (google/rpc/code.proto): what OTLP's Status.code carries and
// what a gRPC status is.
int RpcCode(StatusCode code);

}  // namespace goodhart::api
