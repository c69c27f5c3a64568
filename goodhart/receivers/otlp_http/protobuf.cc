#include "goodhart/receivers/otlp_http/protobuf.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <vector>

#include "goodhart/base/hex.h"
#include "goodhart/base/utf8.h"
#include "goodhart/receivers/otlp_http/internal/otlp_schema.h"
#include "goodhart/receivers/otlp_http/internal/wire.h"

namespace goodhart::receivers::otlp {
namespace {

using internal::FieldKind;
using internal::FieldSpec;
using internal::MessageSpec;
using internal::WireField;
using internal::WireReader;
using internal::WireType;
using internal::WireWriter;

constexpr int kMaxDepth = 100;  // libprotobuf's default recursion limit

WireType WireTypeOf(FieldKind kind) {
  switch (kind) {
    case FieldKind::kMessage:
    case FieldKind::kString:
    case FieldKind::kBytesHex:
    case FieldKind::kBytesBase64:
      return WireType::kLen;
    case FieldKind::kFixed64:
    case FieldKind::kSfixed64:
    case FieldKind::kDouble:
      return WireType::kFixed64;
    case FieldKind::kFixed32:
      return WireType::kFixed32;
    case FieldKind::kInt64:
    case FieldKind::kUint32:
    case FieldKind::kEnum:
    case FieldKind::kBool:
      break;
  }
  return WireType::kVarint;
}

// The JSON being written: a buffer grown rarely and written through inline calls (the transcoder
// appends a few bytes at a time, tens of times per attribute).
class JsonOut {
 public:
  explicit JsonOut(size_t expected) : buffer_(expected, '\0') {}
  // Room for `n` more bytes; write them, then Advance(n).
  char* Reserve(size_t n) {
    if (size_ + n > buffer_.size()) [[unlikely]]
      Grow(n);
    return buffer_.data() + size_;
  }
  void Advance(size_t n) { size_ += n; }
  void push_back(char c) {
    *Reserve(1) = c;
    ++size_;
  }
  void append(const char* data, size_t n) {
    std::memcpy(Reserve(n), data, n);
    size_ += n;
  }
  void append(std::string_view text) { append(text.data(), text.size()); }
  size_t size() const { return size_; }
  std::string Take() {
    buffer_.resize(size_);
    return std::move(buffer_);
  }

 private:
  [[gnu::noinline]] void Grow(size_t n) { buffer_.resize(std::max(2 * buffer_.size(), size_ + n)); }

  std::string buffer_;
  size_t size_ = 0;
};

// Whether a byte can be copied into a JSON string as it is: printable ASCII but the quote and
// the backslash. Strings from exporters nearly always consist only of these.
constexpr bool IsPlainJsonByte(unsigned char byte) {
  return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
}

// Whether eight bytes are all plain (SWAR: no byte below 0x20, at or above 0x80, '"' or '\\').
bool IsPlainJsonWord(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
  const uint64_t below_space = (word - kOnes * 0x20) & ~word;
  const uint64_t is_quote = (quote - kOnes) & ~quote,
                 is_backslash = (backslash - kOnes) & ~backslash;
  return ((word | below_space | is_quote | is_backslash) & kHighs) == 0;
}

// `text` (UTF-8, already checked) as a JSON string.
void AppendJsonString(std::string_view text, JsonOut* out) {
  size_t plain = 0;
  for (uint64_t word = 0; plain + 8 <= text.size(); plain += 8) {
    std::memcpy(&word, text.data() + plain, 8);
    if (!IsPlainJsonWord(word))
      break;
  }
  while (plain < text.size() && IsPlainJsonByte(static_cast<unsigned char>(text[plain])))
    ++plain;
  out->push_back('"');
  out->append(text.data(), plain);
  for (size_t i = plain; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (byte < 0x20) {
      char* escape = out->Reserve(6);
      std::memcpy(escape, "\\u00", 4);
      WriteLowerHex(text.substr(i, 1), escape + 4);
      out->Advance(6);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

template <typename Integer>
void AppendInteger(Integer value, bool quoted, JsonOut* out) {
  char digits[24];
  auto [end, unused] = std::to_chars(digits, digits + sizeof digits, value);
  if (quoted)
    out->push_back('"');
  out->append(digits, static_cast<size_t>(end - digits));
  if (quoted)
    out->push_back('"');
}

void AppendHex(std::string_view bytes, JsonOut* out) {
  out->push_back('"');
  WriteLowerHex(bytes, out->Reserve(2 * bytes.size()));
  out->Advance(2 * bytes.size());
  out->push_back('"');
}

void AppendBase64(std::string_view bytes, JsonOut* out) {
  out->push_back('"');
  char* start = out->Reserve(4 * ((bytes.size() + 2) / 3) + 1);  // EVP_EncodeBlock adds a NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(start),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out->Advance(static_cast<size_t>(written));
  out->push_back('"');
}

void AppendDouble(uint64_t bits, JsonOut* out) {
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  if (std::isnan(value)) {
    out->append("\"NaN\"");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char digits[32];
    auto [end, unused] = std::to_chars(digits, digits + sizeof digits, value);
    out->append(digits, static_cast<size_t>(end - digits));
  }
}

// Walks one request message by its schema and writes its JSON form. The walk returns false on
// malformed input: the failing level records what was wrong, and each level it unwinds through
// adds its step of the path, so the path costs nothing while the input is well formed.
class Transcoder {
 public:
  // The JSON form of an OTLP request is about twice its protobuf size.
  Transcoder(size_t body_size, size_t max_json_bytes)
      : out_(std::min(2 * body_size, max_json_bytes) + 64),
        max_json_bytes_(max_json_bytes),
        scratch_(kMaxDepth + 1) {}

  bool Message(std::string_view bytes, const MessageSpec& spec, int depth) {
    if (depth > kMaxDepth)
      return Fail("messages are nested more than 100 deep");
    if (out_.size() > max_json_bytes_)
      return TooLarge();
    if (IsSingular(spec))
      return SingularMessage(bytes, spec, depth);
    // The known fields in wire order; then grouped by field number (a stable sort keeps the wire
    // order of repeated fields, and encoders write fields in number order, so it rarely moves).
    std::vector<Occurrence>& fields = scratch_[static_cast<size_t>(depth)];
    fields.clear();
    WireReader reader(bytes);
    WireField field;
    while (reader.Next(&field)) {
      const FieldSpec* known = spec.Find(field.number);
      // Unknown fields are skipped, as protobuf requires; so is a known field on the wire with
      // another wire type (libprotobuf treats it as unknown too).
      if (known == nullptr || field.type != WireTypeOf(known->kind))
        continue;
      fields.push_back({known, field, fields.size()});
    }
    if (!reader.error().empty())
      return Fail(fmt::format("{} (in {})", reader.error(), spec.name));
    if (!std::is_sorted(fields.begin(), fields.end(), ByNumber))
      std::stable_sort(fields.begin(), fields.end(), ByNumber);
    // Of a oneof's members only the last one on the wire counts (no OTLP message has two
    // oneofs).
    const FieldSpec* chosen = nullptr;
    size_t chosen_at = 0;
    for (const Occurrence& o : fields) {
      if (o.spec->oneof != 0 && (chosen == nullptr || o.wire_index > chosen_at)) {
        chosen = o.spec;
        chosen_at = o.wire_index;
      }
    }

    out_.push_back('{');
    bool first = true;
    // Deeper messages use their own scratch vectors, so `fields` stays valid below. Singular
    // fields first: the JSON decoder reads a list in one pass when what qualifies it (a metric's
    // temporality, a scope) comes before it.
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < fields.size();) {
        const FieldSpec& s = *fields[i].spec;
        size_t end = i + 1;
        while (end < fields.size() && fields[end].spec == &s)
          ++end;
        if ((s.oneof != 0 && &s != chosen) || s.repeated != (pass == 1)) {
          i = end;
          continue;
        }
        AppendName(s.json_name, first);
        first = false;
        if (s.repeated) {
          out_.push_back('[');
          for (size_t k = i; k < end; ++k) {
            if (k > i)
              out_.push_back(',');
            if (!Value(s, fields[k].field, static_cast<int64_t>(k - i), depth))
              return false;
          }
          out_.push_back(']');
        } else if (!Value(s, fields[end - 1].field, -1, depth)) {
          return false;
        }
        i = end;
      }
    }
    out_.push_back('}');
    return true;
  }

  std::string Take() { return out_.Take(); }

  // The failure, as InvalidArgument "otlp_http: protobuf: <path>: <what>" (ResourceExhausted when
  // the JSON would pass its limit).
  Status Failure() const {
    std::string where;
    for (auto part = failed_path_.rbegin(); part != failed_path_.rend(); ++part) {
      if (!where.empty())
        where.push_back('.');
      where.append(part->name);
      if (part->index >= 0)
        fmt::format_to(std::back_inserter(where), "[{}]", part->index);
    }
    std::string message =
        fmt::format("otlp_http: protobuf: {}: {}", where.empty() ? "body" : where, failure_);
    return too_large_ ? Status::ResourceExhausted(std::move(message))
                      : Status::InvalidArgument(std::move(message));
  }

 private:
  static constexpr size_t kMaxSingularFields = 8;

  struct Occurrence {
    const FieldSpec* spec;
    WireField field;
    size_t wire_index = 0;
  };
  struct PathPart {
    std::string_view name;
    int64_t index;  // -1: not an array element
  };

  static bool ByNumber(const Occurrence& a, const Occurrence& b) {
    return a.spec->number < b.spec->number;
  }

  // A message without repeated fields (KeyValue, AnyValue: most messages of a request) keeps the
  // last occurrence of each field in place: no list, no sort. (Its field loop repeats Message's on
  // purpose: shared through a callback, the transcoder measured 50% slower.)
  static bool IsSingular(const MessageSpec& spec) {
    if (spec.fields.size() > kMaxSingularFields)
      return false;
    for (const FieldSpec& f : spec.fields) {
      if (f.repeated)
        return false;
    }
    return true;
  }

  bool SingularMessage(std::string_view bytes, const MessageSpec& spec, int depth) {
    // Only the slots of fields seen are written and read: left uninitialised (zeroing them all
    // showed up as a fifth of the transcoder's time).
    union Slot {
      Slot() {}
      WireField field;
    };
    std::array<Slot, kMaxSingularFields> last;
    std::array<bool, kMaxSingularFields> seen{};
    size_t chosen = kMaxSingularFields;  // the oneof member seen last
    WireReader reader(bytes);
    WireField field;
    while (reader.Next(&field)) {
      const FieldSpec* known = spec.Find(field.number);
      if (known == nullptr || field.type != WireTypeOf(known->kind))
        continue;
      const auto at = static_cast<size_t>(known - spec.fields.data());
      last[at].field = field;
      seen[at] = true;
      if (known->oneof != 0)
        chosen = at;
    }
    if (!reader.error().empty())
      return Fail(fmt::format("{} (in {})", reader.error(), spec.name));
    out_.push_back('{');
    bool first = true;
    for (size_t at = 0; at < spec.fields.size(); ++at) {
      const FieldSpec& s = spec.fields[at];
      if (!seen[at] || (s.oneof != 0 && at != chosen))
        continue;
      AppendName(s.json_name, first);
      first = false;
      if (!Value(s, last[at].field, -1, depth))
        return false;
    }
    out_.push_back('}');
    return true;
  }

  void AppendName(std::string_view name, bool first) {
    out_.append(first ? "\"" : ",\"", first ? 1 : 2);  // names need no escaping
    out_.append(name);
    out_.append("\":", 2);
  }

  bool Value(const FieldSpec& s, const WireField& field, int64_t index, int depth) {
    switch (s.kind) {
      case FieldKind::kMessage:
        if (!Message(field.bytes, *s.message, depth + 1)) {
          failed_path_.push_back({s.json_name, index});
          return false;
        }
        break;
      case FieldKind::kString:
        // 6 bytes per byte at most (\u00XX), checked before the buffer grows that far.
        if (out_.size() + 6 * field.bytes.size() > max_json_bytes_)
          return TooLarge();
        if (IsUtf8(field.bytes)) {
          AppendJsonString(field.bytes, &out_);
        } else {
          // proto3 requires UTF-8; libprotobuf would refuse the whole request, the Collector
          // keeps the bytes. One bad attribute should not lose a batch: U+FFFD, as JsonText does.
          AppendJsonString(ToUtf8Lossy(field.bytes), &out_);
        }
        break;
      case FieldKind::kBytesHex:
        if (out_.size() + 2 * field.bytes.size() > max_json_bytes_)
          return TooLarge();
        AppendHex(field.bytes, &out_);
        break;
      case FieldKind::kBytesBase64:
        if (field.bytes.size() > (size_t{1} << 30))
          return Fail("a bytes value is larger than 1 GiB");  // EVP_EncodeBlock takes an int
        if (out_.size() + 2 * field.bytes.size() > max_json_bytes_)
          return TooLarge();
        AppendBase64(field.bytes, &out_);
        break;
      case FieldKind::kInt64:
      case FieldKind::kSfixed64:
        AppendInteger(static_cast<int64_t>(field.bits), true, &out_);
        break;
      case FieldKind::kFixed64:
        AppendInteger(field.bits, true, &out_);
        break;
      case FieldKind::kUint32:
      case FieldKind::kFixed32:
        AppendInteger(static_cast<uint32_t>(field.bits), false, &out_);
        break;
      case FieldKind::kEnum:
        AppendInteger(static_cast<int32_t>(field.bits), false, &out_);
        break;
      case FieldKind::kBool:
        out_.append(field.bits != 0 ? std::string_view("true") : std::string_view("false"));
        break;
      case FieldKind::kDouble:
        AppendDouble(field.bits, &out_);
        break;
    }
    return true;
  }

  bool TooLarge() {
    too_large_ = true;
    return Fail(fmt::format("its JSON form is larger than {} bytes", max_json_bytes_));
  }

  bool Fail(std::string what) {
    failure_ = std::move(what);
    failed_path_.clear();
    return false;
  }

  JsonOut out_;
  const size_t max_json_bytes_;
  std::vector<std::vector<Occurrence>> scratch_;  // one per nesting depth
  bool too_large_ = false;
  std::string failure_;
  std::vector<PathPart> failed_path_;  // innermost step first
};

}  // namespace

Result<std::string> ProtobufToJson(std::string_view body, OtlpSignal signal,
                                   size_t max_json_bytes) {
  const MessageSpec& spec = signal == OtlpSignal::kLogs      ? internal::kExportLogsRequest
                            : signal == OtlpSignal::kMetrics ? internal::kExportMetricsRequest
                                                             : internal::kExportTraceRequest;
  Transcoder transcoder(body.size(), max_json_bytes);
  if (!transcoder.Message(body, spec, 0))
    return transcoder.Failure();
  return transcoder.Take();
}

std::string EncodeExportResponse(int64_t rejected, std::string_view error_message) {
  if (rejected == 0 && error_message.empty())
    return {};
  WireWriter partial;
  if (rejected != 0)
    partial.Varint(1, static_cast<uint64_t>(rejected));
  if (!error_message.empty())
    partial.Bytes(2, error_message);
  WireWriter response;
  response.Bytes(1, partial.data());
  return response.Take();
}

std::string EncodeRpcStatus(int code, std::string_view message) {
  WireWriter status;
  if (code != 0)
    status.Varint(1, static_cast<uint64_t>(static_cast<int64_t>(code)));
  if (!message.empty())
    status.Bytes(2, message);
  return status.Take();
}

}  // namespace goodhart::receivers::otlp
