#include "goodhart/api/grpc_message.h"

#include <fmt/format.h>
#include <grpc/slice.h>
#include <grpcpp/support/byte_buffer.h>
#include <zlib.h>

#include <string_view>

namespace grpc::internal {
// Declared by grpcpp as a friend of ByteBuffer (for gRPC's tests) and defined by no library:
// the one public way to the grpc_byte_buffer, whose compression field says whether the message
// came compressed. ByteBuffer's own readers (Dump, ByteBufferReader) would inflate it unbounded.
class GrpcByteBufferPeer {
 public:
  explicit GrpcByteBufferPeer(const ByteBuffer& b) : b_(b) {}
  grpc_byte_buffer* c_buffer() const { return b_.buffer_; }

 private:
  const ByteBuffer& b_;
};
}  // namespace grpc::internal

namespace goodhart::api {
namespace {

Status TooLarge(int64_t limit) {
  return Status::ResourceExhausted(
      fmt::format("otlp_grpc: request: larger than {} bytes after decompression", limit));
}

// Inflates the slices in order, appending to `out`; gzip or zlib framing. gzip members may follow
// one another (RFC 1952); anything after a zlib stream is refused.
Status Inflate(const grpc_slice_buffer& in, bool gzip, int64_t limit, std::string& out) {
  const char* name = gzip ? "gzip" : "deflate";
  z_stream z{};
  if (inflateInit2(&z, gzip ? 15 + 16 : 15) != Z_OK)
    return Status::Internal("otlp_grpc: request: cannot start zlib");
  struct End {
    z_stream& z;
    ~End() { inflateEnd(&z); }
  } end{z};
  char chunk[64 * 1024];
  bool ended = false;  // the last stream (or member) is complete
  for (size_t i = 0; i < in.count; ++i) {
    z.next_in = const_cast<Bytef*>(GRPC_SLICE_START_PTR(in.slices[i]));
    z.avail_in = static_cast<uInt>(GRPC_SLICE_LENGTH(in.slices[i]));
    while (z.avail_in > 0) {
      if (ended) {
        if (!gzip) {
          return Status::InvalidArgument(
              "otlp_grpc: request: data after the end of the deflate stream");
        }
        inflateReset(&z);  // the next gzip member
        ended = false;
      }
      z.next_out = reinterpret_cast<Bytef*>(chunk);
      z.avail_out = sizeof chunk;
      const int ret = inflate(&z, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END) {
        return Status::InvalidArgument(fmt::format("otlp_grpc: request: bad {} stream ({})", name,
                                                   z.msg != nullptr ? z.msg : "corrupt data"));
      }
      const size_t produced = sizeof chunk - z.avail_out;
      if (out.size() + produced > static_cast<size_t>(limit))
        return TooLarge(limit);
      out.append(chunk, produced);
      ended = ret == Z_STREAM_END;
    }
  }
  while (!ended) {  // output zlib may still hold when the input ran out with the buffer full
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    const int ret = inflate(&z, Z_NO_FLUSH);
    const size_t produced = sizeof chunk - z.avail_out;
    if (ret != Z_STREAM_END && (ret != Z_OK || produced == 0))
      break;
    if (out.size() + produced > static_cast<size_t>(limit))
      return TooLarge(limit);
    out.append(chunk, produced);
    ended = ret == Z_STREAM_END;
  }
  if (!ended)
    return Status::InvalidArgument(fmt::format("otlp_grpc: request: truncated {} stream", name));
  return Status::Ok();
}

}  // namespace

Status ReadGrpcMessage(const grpc::ByteBuffer& message, int64_t decompressed_limit,
                       std::string& out) {
  return ReadGrpcMessage(grpc::internal::GrpcByteBufferPeer(message).c_buffer(), decompressed_limit,
                         out);
}

Status ReadGrpcMessage(const grpc_byte_buffer* buffer, int64_t decompressed_limit,
                       std::string& out) {
  out.clear();
  if (buffer == nullptr)
    return Status::Ok();  // an empty message
  if (buffer->type != GRPC_BB_RAW)
    return Status::InvalidArgument("otlp_grpc: request: unreadable message");
  const grpc_slice_buffer& slices = buffer->data.raw.slice_buffer;
  switch (buffer->data.raw.compression) {
    case GRPC_COMPRESS_NONE:
      if (slices.length > static_cast<size_t>(decompressed_limit))
        return TooLarge(decompressed_limit);
      out.reserve(slices.length);
      for (size_t i = 0; i < slices.count; ++i) {
        out.append(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slices.slices[i])),
                   GRPC_SLICE_LENGTH(slices.slices[i]));
      }
      return Status::Ok();
    case GRPC_COMPRESS_GZIP:
      return Inflate(slices, /*gzip=*/true, decompressed_limit, out);
    case GRPC_COMPRESS_DEFLATE:
      return Inflate(slices, /*gzip=*/false, decompressed_limit, out);
    default:
      return Status::InvalidArgument(
          "otlp_grpc: request: compressed with an encoding other than gzip or deflate");
  }
}

}  // namespace goodhart::api
