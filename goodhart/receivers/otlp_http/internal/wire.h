// The protobuf wire format (protobuf.dev/programming-guides/encoding): reading the fields of one
// message from its bytes, and writing the few messages goodhart answers with. Only what OTLP
// uses: varints, 64- and 32-bit fixed values and length-delimited values; the deprecated group
// wire types are errors.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace goodhart::receivers::otlp::internal {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// One field as it appears on the wire. `bits` holds a varint or fixed value; `bytes` a
// length-delimited one (pointing into the message).
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t bits = 0;
  std::string_view bytes;
};

// Walks the fields of one message in wire order. Next() returns false at the end or on malformed
// input; then error() is "" at a clean end, else what was wrong.
class WireReader {
 public:
  explicit WireReader(std::string_view message) : p_(message.data()), end_(p_ + message.size()) {}

  bool Next(WireField* field) {
    if (p_ == end_)
      return false;
    uint64_t tag = 0;
    if (!Varint(&tag))
      return Fail("a field tag is truncated");
    const uint64_t number = tag >> 3;
    if (number == 0 || number > 0x1FFFFFFF)
      return Fail("a field number is out of range");
    field->number = static_cast<uint32_t>(number);
    switch (tag & 7) {
      case 0:
        field->type = WireType::kVarint;
        return Varint(&field->bits) || Fail("a varint is truncated");
      case 1:
        field->type = WireType::kFixed64;
        return Fixed(8, &field->bits) || Fail("a 64-bit value is truncated");
      case 2: {
        field->type = WireType::kLen;
        uint64_t length = 0;
        if (!Varint(&length))
          return Fail("a length is truncated");
        if (length > static_cast<uint64_t>(end_ - p_))
          return Fail("a length-delimited value runs past the end of its message");
        field->bytes = std::string_view(p_, static_cast<size_t>(length));
        p_ += length;
        return true;
      }
      case 5:
        field->type = WireType::kFixed32;
        return Fixed(4, &field->bits) || Fail("a 32-bit value is truncated");
      default:
        return Fail("a field uses a wire type OTLP does not (group or reserved)");
    }
  }

  const char* error() const { return error_; }

 private:
  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;  // truncated, or longer than 10 bytes
  }
  bool Fixed(int size, uint64_t* value) {
    if (end_ - p_ < size)
      return false;
    uint64_t result = 0;
    for (int i = size - 1; i >= 0; --i)
      result = (result << 8) | static_cast<uint8_t>(p_[i]);
    p_ += size;
    *value = result;
    return true;
  }
  bool Fail(const char* what) {
    error_ = what;
    p_ = end_;
    return false;
  }

  const char* p_;
  const char* end_;
  const char* error_ = "";
};

// Appends fields to a message under construction.
class WireWriter {
 public:
  void Varint(uint32_t number, uint64_t value) {
    Tag(number, WireType::kVarint);
    RawVarint(value);
  }
  void Fixed64(uint32_t number, uint64_t value) {
    Tag(number, WireType::kFixed64);
    for (int i = 0; i < 8; ++i)
      out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
  void Fixed32(uint32_t number, uint32_t value) {
    Tag(number, WireType::kFixed32);
    for (int i = 0; i < 4; ++i)
      out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
  void Double(uint32_t number, double value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    Fixed64(number, bits);
  }
  // A string, bytes or an embedded message already encoded.
  void Bytes(uint32_t number, std::string_view bytes) {
    Tag(number, WireType::kLen);
    RawVarint(bytes.size());
    out_.append(bytes);
  }

  const std::string& data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Tag(uint32_t number, WireType type) {
    RawVarint((uint64_t{number} << 3) | static_cast<uint64_t>(type));
  }
  void RawVarint(uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }

  std::string out_;
};

}  // namespace goodhart::receivers::otlp::internal
