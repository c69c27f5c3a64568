// Received gRPC messages, plain and compressed, read within the decompressed limit.
#include "goodhart/api/grpc_message.h"

#include <grpc/byte_buffer.h>
#include <grpc/slice.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <vector>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::api {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

std::string Compress(const std::string& text, bool gzip) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A received buffer holding `bytes` cut into slices of `slice_size` bytes.
struct Buffer {
  Buffer(const std::string& bytes, grpc_compression_algorithm compression, size_t slice_size) {
    std::vector<grpc_slice> slices;
    for (size_t at = 0; at < bytes.size(); at += slice_size) {
      std::string piece = bytes.substr(at, slice_size);
      slices.push_back(grpc_slice_from_copied_buffer(piece.data(), piece.size()));
    }
    buffer = grpc_raw_compressed_byte_buffer_create(slices.data(), slices.size(), compression);
    for (grpc_slice& s : slices)
      grpc_slice_unref(s);
  }
  ~Buffer() { grpc_byte_buffer_destroy(buffer); }
  grpc_byte_buffer* buffer;
};

std::string Text(size_t n) {
  std::string text;
  for (size_t i = 0; text.size() < n; ++i)
    text += "resourceLogs " + std::to_string(i * 7919 % 1000) + " ";
  text.resize(n);
  return text;
}

TEST(GrpcMessageTest, PlainAndCompressedMessagesReadTheSame) {
  const std::string text = Text(300'000);
  std::string out;
  for (size_t slice_size : {size_t{1} << 20, size_t{4096}, size_t{7}}) {
    ASSERT_TRUE(
        ReadGrpcMessage(Buffer(text, GRPC_COMPRESS_NONE, slice_size).buffer, 1 << 20, out).ok());
    EXPECT_EQ(out, text);
    for (bool gzip : {true, false}) {
      Buffer b(Compress(text, gzip), gzip ? GRPC_COMPRESS_GZIP : GRPC_COMPRESS_DEFLATE, slice_size);
      Status s = ReadGrpcMessage(b.buffer, 1 << 20, out);
      ASSERT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(out, text) << "gzip " << gzip << ", slices of " << slice_size;
    }
  }
  // Exactly at the limit is read; one byte over is not.
  Buffer zeros(Compress(std::string(100'000, '\0'), true), GRPC_COMPRESS_GZIP, 1 << 20);
  EXPECT_TRUE(ReadGrpcMessage(zeros.buffer, 100'000, out).ok());
  EXPECT_EQ(out.size(), 100'000u);
  EXPECT_THAT(ReadGrpcMessage(zeros.buffer, 99'999, out),
              StatusIs(StatusCode::kResourceExhausted,
                       HasSubstr("otlp_grpc: request: larger than 99999 bytes after "
                                 "decompression")));
  EXPECT_THAT(ReadGrpcMessage(Buffer(text, GRPC_COMPRESS_NONE, 4096).buffer, 1000, out),
              StatusIs(StatusCode::kResourceExhausted));
  EXPECT_TRUE(ReadGrpcMessage(nullptr, 10, out).ok());
  EXPECT_EQ(out, "");
}

TEST(GrpcMessageTest, GzipMembersFollowOneAnotherAndNothingElseDoes) {
  std::string out;
  Buffer members(Compress("hello ", true) + Compress("world", true), GRPC_COMPRESS_GZIP, 5);
  ASSERT_TRUE(ReadGrpcMessage(members.buffer, 1000, out).ok());
  EXPECT_EQ(out, "hello world");
  Buffer gzip_garbage(Compress("hello", true) + "GARBAGE", GRPC_COMPRESS_GZIP, 1000);
  EXPECT_THAT(ReadGrpcMessage(gzip_garbage.buffer, 1000, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad gzip stream")));
  Buffer deflate_garbage(Compress("hello", false) + "GARBAGE", GRPC_COMPRESS_DEFLATE, 1000);
  EXPECT_THAT(ReadGrpcMessage(deflate_garbage.buffer, 1000, out),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("data after the end of the deflate stream")));
  const std::string whole = Compress(Text(5000), true);
  Buffer truncated(whole.substr(0, whole.size() - 3), GRPC_COMPRESS_GZIP, 1000);
  EXPECT_THAT(ReadGrpcMessage(truncated.buffer, 100'000, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("truncated gzip stream")));
  Buffer not_gzip("plain text", GRPC_COMPRESS_GZIP, 1000);
  EXPECT_THAT(ReadGrpcMessage(not_gzip.buffer, 1000, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad gzip stream")));
}

}  // namespace
}  // namespace goodhart::api
