// DeliveryDecoder: reads a stored delivery record (the JSON of model/delivery_json.h) into its
// model struct with simdjson's on-demand API instead of nlohmann's DOM. A report reads every
// record of its history window (a million commits with their line fingerprints at the scale of
// issue #4), and this is where nlohmann spent most of the loader's time. Same leniency as
// delivery_json.h: a missing field keeps its default, an unknown field is skipped; a field of the
// wrong type makes the record unreadable (kDataLoss).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/delivery.h"

namespace goodhart::store::internal {

// Not thread-safe: one decoder per thread. Reuses its parser and buffer across records.
class DeliveryDecoder {
 public:
  // `key` names the record in errors.
  Status Decode(std::string_view json, std::string_view key, model::Commit* out);
  Status Decode(std::string_view json, std::string_view key, model::Change* out);
  Status Decode(std::string_view json, std::string_view key, model::Review* out);
  Status Decode(std::string_view json, std::string_view key, model::Release* out);
  Status Decode(std::string_view json, std::string_view key, model::PipelineRun* out);
  Status Decode(std::string_view json, std::string_view key, model::Deployment* out);
  Status Decode(std::string_view json, std::string_view key, model::Incident* out);

 private:
  template <typename T>
  Status DecodeAny(std::string_view json, std::string_view key, T* out);

  simdjson::ondemand::parser parser_;
  std::string buffer_;  // the record followed by SIMDJSON_PADDING bytes
};

}  // namespace goodhart::store::internal
