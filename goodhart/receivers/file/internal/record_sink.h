// RecordSink: where a file decoder puts what it made of each record. It finishes events (source,
// an event_key unique within the file), validates them, and turns every problem into a counted
// rejection with a "component: where: what" message, keeping the first kMaxKeptErrors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file::internal {

// "hash:<xxh3-128 hex>" of `fields`, each length-prefixed so ("ab","c") and ("a","bc") differ.
std::string HashKey(std::initializer_list<std::string_view> fields);

// The identifying fields of one record, in order: its event_key hashes all of them (empty ones
// too, so a field's position never shifts), its raw_id shows the non-empty ones, e.g.
// "2025-08-01T00:00:00Z|model=claude-opus-4-6|account_id=user_01WC...".
class RecordId {
 public:
  // A field shown without its name in raw_id (the bucket start, the date).
  RecordId& Add(std::string_view value);
  RecordId& Add(std::string_view name, std::string_view value);
  // HashKey(source, name1, value1, name2, value2, ...).
  std::string Key(std::string_view source) const;
  const std::string& raw_id() const { return raw_id_; }

 private:
  std::vector<std::string> fields_;
  std::string raw_id_;
};

// Not thread-safe; one per decoded file.
class RecordSink {
 public:
  // `component` is both the message prefix and the events' `source`.
  RecordSink(std::string_view component, FileDecodeResult* out)
      : component_(component), out_(out) {}

  std::string_view component() const { return component_; }

  // Sets event.source, makes event.event_key (a HashKey of the record's identifying fields)
  // unique within the file: the n-th repeat of a key gets "#n" hashed in, so a file that lists
  // the same row twice keeps both and re-importing it still yields the same keys. An event that
  // fails UsageEvent::Validate() is rejected instead.
  void Add(std::string_view where, model::UsageEvent event);
  // Adds the event, or rejects the record with the Result's error.
  void Add(std::string_view where, Result<model::UsageEvent> event);

  // Counts `count` rejected records under one message "component: where: <status message>".
  void Reject(std::string_view where, const Status& status, int64_t count = 1);

  void Ignore(int64_t count = 1) { out_->ignored += count; }

 private:
  std::string component_;
  FileDecodeResult* out_;
  std::unordered_map<std::string, int64_t> seen_keys_;
};

}  // namespace goodhart::receivers::file::internal
