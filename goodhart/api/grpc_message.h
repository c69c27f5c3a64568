// The bytes of one received gRPC message, decompressed by goodhart within a limit. gRPC's own
// per-message decompression inflates a whole message before any size check (a small gzip
// message can inflate to gigabytes), so the OTLP/gRPC server turns it off
// (GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION = 0) and inflates here, stopping at the limit.
#pragma once

#include <cstdint>
#include <string>

#include "goodhart/base/status.h"

struct grpc_byte_buffer;
namespace grpc {
class ByteBuffer;
}

namespace goodhart::api {

// Replaces `out` with the message in `message`: its bytes as sent, or inflated when the sender
// compressed it (grpc-encoding gzip or deflate). Errors: ResourceExhausted when the message
// passes `decompressed_limit` bytes, InvalidArgument for a bad compressed stream or an encoding
// goodhart does not read. Messages start "otlp_grpc: request: ".
Status ReadGrpcMessage(const grpc::ByteBuffer& message, int64_t decompressed_limit,
                       std::string& out);
// The same for gRPC's C buffer (nullptr: an empty message).
Status ReadGrpcMessage(const grpc_byte_buffer* buffer, int64_t decompressed_limit,
                       std::string& out);

}  // namespace goodhart::api
