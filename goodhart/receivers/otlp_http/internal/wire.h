// The protobuf wire format (protobuf.dev/programming-guides/encoding): reading the fields of one
// message from its bytes, and writing the few messages goodhart answers with.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

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
// input; then error() is "" at a clean end, else what was wrong. Groups (the deprecated wire
// types 3 and 4, which OTLP never uses) are skipped as unknown fields, as protobuf readers do.
class WireReader {
 public:
  explicit WireReader(std::string_view message) : p_(message.data()), end_(p_ + message.size()) {}

  bool Next(WireField* field) {
    while (p_ != end_) {
      int type = 0;
      if (!Tag(&field->number, &type))
        return false;
      if (type == 3) {  // a group: skipped
        if (!SkipGroup(field->number, 1))
          return false;
        continue;
      }
      if (type == 4)
        return Fail("a group ends that did not start");
      return Value(type, field);
    }
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr int kMaxGroupDepth = 32;

  bool Tag(uint32_t* number, int* type) {
    uint64_t tag = 0;
    if (!Varint(&tag, "a field tag"))
      return false;
    const uint64_t n = tag >> 3;
    if (n == 0 || n > 0x1FFFFFFF)
      return Fail("a field number is out of range");
    *number = static_cast<uint32_t>(n);
    *type = static_cast<int>(tag & 7);
    return true;
  }

  // The value of a field of wire type 0, 1, 2 or 5 into `field`; wire types 6 and 7 are errors.
  bool Value(int type, WireField* field) {
    switch (type) {
      case 0:
        field->type = WireType::kVarint;
        return Varint(&field->bits, "a varint");
      case 1:
        field->type = WireType::kFixed64;
        return Fixed(8, &field->bits) || Fail("a 64-bit value is truncated");
      case 2: {
        field->type = WireType::kLen;
        uint64_t length = 0;
        if (!Varint(&length, "a length"))
          return false;
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
        return Fail("a field has wire type 6 or 7, which protobuf does not define");
    }
  }

  // Skips to the end-group tag of group `number`, nested groups included.
  bool SkipGroup(uint32_t number, int depth) {
    if (depth > kMaxGroupDepth)
      return Fail("groups are nested deeper than 32");
    WireField inner;
    while (p_ != end_) {
      int type = 0;
      if (!Tag(&inner.number, &type))
        return false;
      if (type == 4)
        return inner.number == number || Fail("a group ends with another group's number");
      if (!(type == 3 ? SkipGroup(inner.number, depth + 1) : Value(type, &inner)))
        return false;
    }
    return Fail("a group does not end");
  }

  // At most 10 bytes, as protobuf writes them; `what` names the value in the error.
  bool Varint(uint64_t* value, const char* what) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) [[unlikely]]
        return BadVarint(what, " is truncated");
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return BadVarint(what, " is longer than 10 bytes");
  }
  // Out of line: keeps Varint small enough to inline.
  [[gnu::cold, gnu::noinline]] bool BadVarint(const char* what, const char* problem) {
    return Fail(std::string(what) + problem);
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
  [[gnu::cold]] bool Fail(std::string what) {
    error_ = std::move(what);
    p_ = end_;
    return false;
  }

  const char* p_;
  const char* end_;
  std::string error_;
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
