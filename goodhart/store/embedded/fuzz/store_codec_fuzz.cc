// Fuzz target: an input as a damaged row of the embedded store: a delivery record of each kind,
// an event chunk and each event body in it, a MinHash and a prompt-times blob. A damaged store
// must give kDataLoss (or false), never a crash. A delivery record that decodes must also come
// back unchanged through the JSON the writer stores (model/delivery_json.h). docs/fuzzing.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/json_text.h"
#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/store/embedded/internal/delivery_decode.h"
#include "goodhart/store/embedded/internal/event_codec.h"

namespace {

using goodhart::Status;
using goodhart::StatusCode;
using goodhart::testing::FuzzFailure;

void RequireDataLoss(const Status& status, std::string_view what) {
  if (!status.ok() && status.code() != StatusCode::kDataLoss) {
    FuzzFailure(what, status);
  }
}

template <typename Record>
void CheckDelivery(goodhart::store::internal::DeliveryDecoder& decoder, std::string_view json) {
  Record record;
  Status status = decoder.Decode(json, "fuzz", &record);
  RequireDataLoss(status, "a damaged delivery record is not kDataLoss");
  if (!status.ok()) {
    return;
  }
  // What the writer would store for it (strings the decoder produced may be any bytes).
  const std::string stored = goodhart::JsonText(nlohmann::json(record));
  Record again;
  Status reread = decoder.Decode(stored, "fuzz", &again);
  if (!reread.ok()) {
    FuzzFailure("a record as the writer stores it does not decode", reread);
  }
  const std::string restored = goodhart::JsonText(nlohmann::json(again));
  if (restored != stored) {
    FuzzFailure("a stored record changes when read back",
                Status::Internal(stored + " became " + restored));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace internal = goodhart::store::internal;
  namespace model = goodhart::model;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  internal::DeliveryDecoder decoder;
  CheckDelivery<model::Commit>(decoder, bytes);
  CheckDelivery<model::Change>(decoder, bytes);
  CheckDelivery<model::Review>(decoder, bytes);
  CheckDelivery<model::Release>(decoder, bytes);
  CheckDelivery<model::PipelineRun>(decoder, bytes);
  CheckDelivery<model::Deployment>(decoder, bytes);
  CheckDelivery<model::Incident>(decoder, bytes);

  internal::ChunkReader chunk(bytes);
  internal::ChunkEntry entry;
  for (size_t n = 0; n <= size; ++n) {  // each entry takes at least one byte
    auto next = chunk.Next(&entry);
    RequireDataLoss(next.status(), "a damaged event chunk is not kDataLoss");
    if (!next.ok() || !*next) {
      break;
    }
    model::UsageEvent event;
    internal::DictIds ids{};
    RequireDataLoss(internal::DecodeEventBody(entry.body, &event, &ids),
                    "a damaged event body is not kDataLoss");
  }
  model::UsageEvent event;
  internal::DictIds ids{};
  RequireDataLoss(internal::DecodeEventBody(bytes, &event, &ids),
                  "a damaged event body is not kDataLoss");
  std::array<uint64_t, model::kMinHashSize> minhash{};
  (void)internal::DecodeMinhash(bytes, &minhash);
  std::vector<int64_t> times;
  (void)internal::DecodeTimes(bytes, &times);
  return 0;
}
