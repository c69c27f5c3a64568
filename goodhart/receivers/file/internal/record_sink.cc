#include "goodhart/receivers/file/internal/record_sink.h"

#include <fmt/format.h>

#include "goodhart/base/hash.h"

namespace goodhart::receivers::file::internal {

std::string HashKey(std::initializer_list<std::string_view> fields) {
  Hasher128 hasher;
  for (std::string_view field : fields)
    hasher.AddField(field);
  return "hash:" + hasher.FinishHex();
}

RecordId& RecordId::Add(std::string_view value) { return Add("", value); }

RecordId& RecordId::Add(std::string_view name, std::string_view value) {
  fields_.emplace_back(name);
  fields_.emplace_back(value);
  if (!value.empty()) {
    if (!raw_id_.empty())
      raw_id_ += '|';
    if (!name.empty())
      raw_id_ += fmt::format("{}=", name);
    raw_id_ += value;
  }
  return *this;
}

std::string RecordId::Key(std::string_view source) const {
  Hasher128 hasher;
  hasher.AddField(source);
  for (const auto& field : fields_)
    hasher.AddField(field);
  return "hash:" + hasher.FinishHex();
}

void RecordSink::Add(std::string_view where, model::UsageEvent event) {
  event.source = component_;
  int64_t repeat = seen_keys_[event.event_key]++;
  if (repeat > 0)
    event.event_key = HashKey({event.event_key, fmt::format("#{}", repeat)});
  if (Status s = event.Validate(); !s.ok()) {
    Reject(where, s);
    return;
  }
  out_->batch.usage.push_back(std::move(event));
}

void RecordSink::Add(std::string_view where, Result<model::UsageEvent> event) {
  if (!event.ok()) {
    Reject(where, event.status());
    return;
  }
  Add(where, std::move(event).value());
}

void RecordSink::Reject(std::string_view where, const Status& status, int64_t count) {
  out_->rejected += count;
  if (out_->errors.size() < kMaxKeptErrors) {
    out_->errors.push_back(where.empty()
                               ? fmt::format("{}: {}", component_, status.message())
                               : fmt::format("{}: {}: {}", component_, where, status.message()));
  }
}

}  // namespace goodhart::receivers::file::internal
