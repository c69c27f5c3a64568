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

constexpr int kMaxDepth = 64;

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
    if (size_ + n > buffer_.size())
      buffer_.resize(std::max(2 * buffer_.size(), size_ + n));
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
  std::string Take() {
    buffer_.resize(size_);
    return std::move(buffer_);
  }

 private:
  std::string buffer_;
  size_t size_ = 0;
};

// Whether a byte can be copied into a JSON string as it is: printable ASCII but the quote and
// the backslash. Strings from exporters nearly always consist only of these.
constexpr bool IsPlainJsonByte(unsigned char byte) {
  return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
}

// `text` (UTF-8, already checked) as a JSON string.
void AppendJsonString(std::string_view text, JsonOut* out) {
  size_t plain = 0;
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
      static constexpr char kDigits[] = "0123456789abcdef";
      const char escape[] = {'\\', 'u', '0', '0', kDigits[byte >> 4], kDigits[byte & 15]};
      out->append(escape, sizeof escape);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Whether every byte is ASCII, eight at a time (most strings), else the full UTF-8 check.
bool IsUtf8Fast(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0)
      return IsUtf8(text);
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80)
      return IsUtf8(text);
  }
  return true;
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
  static constexpr char kDigits[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out->push_back(kDigits[byte >> 4]);
    out->push_back(kDigits[byte & 15]);
  }
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

// Walks one request message by its schema and writes its JSON form.
class Transcoder {
 public:
  // The JSON form of an OTLP request is about twice its protobuf size.
  explicit Transcoder(size_t body_size) : out_(2 * body_size + 64), scratch_(kMaxDepth + 1) {}

  Status Message(std::string_view bytes, const MessageSpec& spec, int depth) {
    if (depth > kMaxDepth)
      return Error("messages are nested deeper than 64");
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
      if (known == nullptr)
        continue;  // unknown fields are skipped, as protobuf requires
      if (field.type != WireTypeOf(known->kind))
        return WrongWireType(field, *known, spec);
      fields.push_back({known, field, fields.size()});
    }
    if (*reader.error() != '\0')
      return Error(fmt::format("{} of {}", reader.error(), spec.name));
    if (!std::is_sorted(fields.begin(), fields.end(), ByNumber)) {
      std::stable_sort(fields.begin(), fields.end(), ByNumber);
    }
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
    // Deeper messages use their own scratch vectors, so `fields` stays valid below.
    for (size_t i = 0; i < fields.size();) {
      const FieldSpec& s = *fields[i].spec;
      size_t end = i + 1;
      while (end < fields.size() && fields[end].spec == &s)
        ++end;
      if (s.oneof != 0 && &s != chosen) {
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
          GOODHART_RETURN_IF_ERROR(Value(s, fields[k].field, static_cast<int64_t>(k - i), depth));
        }
        out_.push_back(']');
      } else {
        GOODHART_RETURN_IF_ERROR(Value(s, fields[end - 1].field, -1, depth));
      }
      i = end;
    }
    out_.push_back('}');
    return Status::Ok();
  }

  std::string Take() { return out_.Take(); }

 private:
  static constexpr size_t kMaxSingularFields = 8;

  // A message without repeated fields (KeyValue, AnyValue: most messages of a request) keeps the
  // last occurrence of each field in place: no list, no sort.
  static bool IsSingular(const MessageSpec& spec) {
    if (spec.fields.size() > kMaxSingularFields)
      return false;
    for (const FieldSpec& f : spec.fields) {
      if (f.repeated)
        return false;
    }
    return true;
  }

  Status SingularMessage(std::string_view bytes, const MessageSpec& spec, int depth) {
    std::array<WireField, kMaxSingularFields> last;
    std::array<bool, kMaxSingularFields> seen{};
    size_t chosen = kMaxSingularFields;  // the oneof member seen last
    WireReader reader(bytes);
    WireField field;
    while (reader.Next(&field)) {
      const FieldSpec* known = spec.Find(field.number);
      if (known == nullptr)
        continue;
      if (field.type != WireTypeOf(known->kind))
        return WrongWireType(field, *known, spec);
      const auto at = static_cast<size_t>(known - spec.fields.data());
      last[at] = field;
      seen[at] = true;
      if (known->oneof != 0)
        chosen = at;
    }
    if (*reader.error() != '\0')
      return Error(fmt::format("{} of {}", reader.error(), spec.name));
    out_.push_back('{');
    bool first = true;
    for (size_t at = 0; at < spec.fields.size(); ++at) {
      const FieldSpec& s = spec.fields[at];
      if (!seen[at] || (s.oneof != 0 && at != chosen))
        continue;
      AppendName(s.json_name, first);
      first = false;
      GOODHART_RETURN_IF_ERROR(Value(s, last[at], -1, depth));
    }
    out_.push_back('}');
    return Status::Ok();
  }

  void AppendName(std::string_view name, bool first) {
    out_.append(first ? "\"" : ",\"", first ? 1 : 2);  // names need no escaping
    out_.append(name);
    out_.append("\":", 2);
  }

  Status WrongWireType(const WireField& field, const FieldSpec& known,
                       const MessageSpec& spec) const {
    return Error(fmt::format("field {} ({}) of {} has wire type {}, not {}", field.number,
                             known.json_name, spec.name, static_cast<int>(field.type),
                             static_cast<int>(WireTypeOf(known.kind))));
  }

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

  Status Value(const FieldSpec& s, const WireField& field, int64_t index, int depth) {
    switch (s.kind) {
      case FieldKind::kMessage: {
        path_.push_back({s.json_name, index});
        Status status = Message(field.bytes, *s.message, depth + 1);
        path_.pop_back();
        return status;
      }
      case FieldKind::kString:
        if (!IsUtf8Fast(field.bytes)) {
          path_.push_back({s.json_name, index});
          Status status = Error("a string is not UTF-8");
          path_.pop_back();
          return status;
        }
        AppendJsonString(field.bytes, &out_);
        break;
      case FieldKind::kBytesHex:
        AppendHex(field.bytes, &out_);
        break;
      case FieldKind::kBytesBase64:
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
    return Status::Ok();
  }

  Status Error(std::string_view what) const {
    std::string where;
    for (const PathPart& part : path_) {
      if (!where.empty())
        where.push_back('.');
      where.append(part.name);
      if (part.index >= 0)
        fmt::format_to(std::back_inserter(where), "[{}]", part.index);
    }
    return Status::InvalidArgument(
        fmt::format("otlp_http: protobuf: {}: {}", where.empty() ? "body" : where, what));
  }

  JsonOut out_;
  std::vector<PathPart> path_;
  std::vector<std::vector<Occurrence>> scratch_;  // one per nesting depth
};

}  // namespace

Result<std::string> ProtobufToJson(std::string_view body, OtlpSignal signal) {
  const MessageSpec& spec = signal == OtlpSignal::kLogs      ? internal::kExportLogsRequest
                            : signal == OtlpSignal::kMetrics ? internal::kExportMetricsRequest
                                                             : internal::kExportTraceRequest;
  Transcoder transcoder(body.size());
  GOODHART_RETURN_IF_ERROR(transcoder.Message(body, spec, 0));
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
