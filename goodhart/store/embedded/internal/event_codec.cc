#include "goodhart/store/embedded/internal/event_codec.h"

#include <cstring>

namespace goodhart::store::internal {
namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr uint8_t kFlagReportedCost = 1;
constexpr uint8_t kFlagSketch = 2;
constexpr uint8_t kFlagToolStep = 4;

void PutVarint(uint64_t v, std::string* out) {
  char bytes[10];
  size_t n = 0;
  while (v >= 0x80) {
    bytes[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  bytes[n++] = static_cast<char>(v);
  out->append(bytes, n);
}
void PutSigned(int64_t v, std::string* out) {
  PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}
void PutFixed64(uint64_t v, std::string* out) {
  char bytes[8];
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out->append(bytes, 8);
}
void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Reads from a blob; any overrun sets `ok` false and yields zeros.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == data_.size(); }

  uint8_t Byte() {
    if (pos_ >= data_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<uint8_t>(data_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = Byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t Signed() {
    uint64_t v = Varint();
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  uint64_t Fixed64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v |= static_cast<uint64_t>(Byte()) << (8 * i);
    return v;
  }
  std::string String() { return std::string(View()); }
  std::string_view View() {
    uint64_t n = Varint();
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

const std::string& DictFieldValue(const model::UsageEvent& event, int field) {
  return *MutableDictField(const_cast<model::UsageEvent*>(&event), field);
}

std::string* MutableDictField(model::UsageEvent* e, int field) {
  switch (field) {
    case kSource:
      return &e->source;
    case kEventName:
      return &e->event_name;
    case kActorKind:
      return &e->actor_kind;
    case kOrganization:
      return &e->organization;
    case kSession:
      return &e->session_id;
    case kTool:
      return &e->tool;
    case kToolVersion:
      return &e->tool_version;
    case kAgent:
      return &e->agent;
    case kQuerySource:
      return &e->query_source;
    case kProvider:
      return &e->provider;
    case kModel:
      return &e->model;
    default:
      return &e->series_key;
  }
}

// Writes into a string sized for the worst case, then trims it: one allocation check per event
// instead of one per field.
class BufferWriter {
 public:
  BufferWriter(std::string* out, size_t max_size) : out_(out) {
    out->resize(max_size);
    p_ = out->data();
  }
  ~BufferWriter() { out_->resize(static_cast<size_t>(p_ - out_->data())); }
  BufferWriter(const BufferWriter&) = delete;
  BufferWriter& operator=(const BufferWriter&) = delete;

  void Byte(uint8_t b) { *p_++ = static_cast<char>(b); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      *p_++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *p_++ = static_cast<char>(v);
  }
  void Signed(int64_t v) {
    Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i)
      *p_++ = static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void String(std::string_view s) {
    Varint(s.size());
    if (!s.empty())
      std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }

 private:
  std::string* out_;
  char* p_;
};

void EncodeEventBody(const model::UsageEvent& e, const DictIds& ids, bool inline_sketch,
                     std::string* out) {
  bool sketch = inline_sketch && e.prompt_sketch.has_value();
  bool tool_step = !e.tool_name.empty() || e.tool_step_fingerprint != 0;
  uint8_t flags =
      static_cast<uint8_t>((e.reported_cost_micros ? kFlagReportedCost : 0) |
                           (sketch ? kFlagSketch : 0) | (tool_step ? kFlagToolStep : 0));
  constexpr size_t kMaxVarint = 10;
  size_t max_size = 5 + kDictFieldCount * kMaxVarint + 4 * kMaxVarint + e.raw_id.size() +
                    e.prompt_id.size() + e.request_id.size() + e.git_commit_id.size() +
                    13 * kMaxVarint + (sketch ? 8 + 8 * model::kMinHashSize + kMaxVarint : 0) +
                    (tool_step ? kMaxVarint + e.tool_name.size() + 8 : 0);
  BufferWriter w(out, max_size);
  w.Byte(kFormatVersion);
  w.Byte(static_cast<uint8_t>(e.kind));
  w.Byte(static_cast<uint8_t>(e.signal));
  w.Byte(static_cast<uint8_t>(e.temporality));
  w.Byte(flags);
  for (int64_t id : ids)
    w.Varint(static_cast<uint64_t>(id));
  w.String(e.raw_id);
  w.String(e.prompt_id);
  w.String(e.request_id);
  w.String(e.git_commit_id);
  w.Signed(e.end_unix_ms);
  w.Signed(e.tokens.input_uncached);
  w.Signed(e.tokens.cache_read);
  w.Signed(e.tokens.cache_write);
  w.Signed(e.tokens.output);
  w.Signed(e.tokens.reasoning);
  w.Signed(e.request_count);
  if (e.reported_cost_micros)
    w.Signed(*e.reported_cost_micros);
  w.Signed(e.computed_cost_micros);
  w.Signed(e.duration_ms);
  w.Signed(e.prompt_length);
  w.Signed(e.series_start_unix_ms);
  if (sketch) {
    w.Fixed64(e.prompt_sketch->simhash);
    for (uint64_t h : e.prompt_sketch->minhash)
      w.Fixed64(h);
    w.Signed(e.prompt_sketch->token_estimate);
  }
  if (tool_step) {
    w.String(e.tool_name);
    w.Fixed64(e.tool_step_fingerprint);
  }
}

Status DecodeEventBody(std::string_view body, model::UsageEvent* e, DictIds* ids) {
  Reader r(body);
  uint8_t version = r.Byte();
  if (!r.ok() || version != kFormatVersion) {
    return Status::DataLoss("embedded_store: event body: unknown format version");
  }
  uint8_t kind = r.Byte(), signal = r.Byte(), temporality = r.Byte(), flags = r.Byte();
  if (kind > static_cast<uint8_t>(model::UsageKind::kOther) ||
      signal > static_cast<uint8_t>(model::Signal::kMetric) ||
      temporality > static_cast<uint8_t>(model::Temporality::kCumulative)) {
    return Status::DataLoss("embedded_store: event body: enum out of range");
  }
  e->kind = static_cast<model::UsageKind>(kind);
  e->signal = static_cast<model::Signal>(signal);
  e->temporality = static_cast<model::Temporality>(temporality);
  for (int64_t& id : *ids)
    id = static_cast<int64_t>(r.Varint());
  e->raw_id = r.String();
  e->prompt_id = r.String();
  e->request_id = r.String();
  e->git_commit_id = r.String();
  e->end_unix_ms = r.Signed();
  e->tokens.input_uncached = r.Signed();
  e->tokens.cache_read = r.Signed();
  e->tokens.cache_write = r.Signed();
  e->tokens.output = r.Signed();
  e->tokens.reasoning = r.Signed();
  e->request_count = r.Signed();
  e->reported_cost_micros.reset();
  if (flags & kFlagReportedCost)
    e->reported_cost_micros = r.Signed();
  e->computed_cost_micros = r.Signed();
  e->duration_ms = r.Signed();
  e->prompt_length = r.Signed();
  e->series_start_unix_ms = r.Signed();
  e->prompt_sketch.reset();
  if (flags & kFlagSketch) {
    model::PromptSketch sketch;
    sketch.simhash = r.Fixed64();
    for (uint64_t& h : sketch.minhash)
      h = r.Fixed64();
    sketch.token_estimate = static_cast<int32_t>(r.Signed());
    e->prompt_sketch = sketch;
  }
  e->tool_name.clear();
  e->tool_step_fingerprint = 0;
  if (flags & kFlagToolStep) {
    e->tool_name = r.String();
    e->tool_step_fingerprint = r.Fixed64();
  }
  if (!r.ok() || !r.done()) {
    return Status::DataLoss("embedded_store: event body: truncated or trailing bytes");
  }
  return Status::Ok();
}

}  // namespace goodhart::store::internal

namespace goodhart::store::internal {
namespace {

uint64_t LoadLe64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

}  // namespace

std::string EncodeMinhash(const std::array<uint64_t, model::kMinHashSize>& minhash) {
  std::string out;
  out.reserve(minhash.size() * 8);
  for (uint64_t h : minhash)
    PutFixed64(h, &out);
  return out;
}

bool DecodeMinhash(std::string_view blob, std::array<uint64_t, model::kMinHashSize>* minhash) {
  if (blob.size() != minhash->size() * 8)
    return false;
  for (size_t i = 0; i < minhash->size(); ++i)
    (*minhash)[i] = LoadLe64(blob.data() + 8 * i);
  return true;
}

std::string EncodeTimes(const std::vector<int64_t>& times) {
  std::string out;
  out.reserve(times.size() * 8);
  for (int64_t t : times)
    PutFixed64(static_cast<uint64_t>(t), &out);
  return out;
}

bool DecodeTimes(std::string_view blob, std::vector<int64_t>* times) {
  if (blob.size() % 8 != 0)
    return false;
  times->resize(blob.size() / 8);
  for (size_t i = 0; i < times->size(); ++i)
    (*times)[i] = static_cast<int64_t>(LoadLe64(blob.data() + 8 * i));
  return true;
}

}  // namespace goodhart::store::internal

namespace goodhart::store::internal {

void AppendChunkEntry(std::string_view event_key, int64_t time_unix_ms, int64_t actor,
                      std::string_view body, std::string* chunk) {
  PutString(event_key, chunk);
  PutSigned(time_unix_ms, chunk);
  PutVarint(static_cast<uint64_t>(actor), chunk);
  PutString(body, chunk);
}

Result<bool> ChunkReader::Next(ChunkEntry* entry) {
  if (pos_ == chunk_.size())
    return false;
  Reader r(chunk_.substr(pos_));
  entry->event_key = r.View();
  entry->time_unix_ms = r.Signed();
  entry->actor = static_cast<int64_t>(r.Varint());
  entry->body = r.View();
  if (!r.ok())
    return Status::DataLoss("embedded_store: event chunk: truncated entry");
  pos_ += r.pos();
  return true;
}

}  // namespace goodhart::store::internal
