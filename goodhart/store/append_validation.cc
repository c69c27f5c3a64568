#include "goodhart/store/append_validation.h"

#include <fmt/format.h>

namespace goodhart::store {

Status ValidateAppendBatch(const model::EventBatch& batch, std::string_view component) {
  if (!batch.usage.empty() && (batch.delivery_size() != 0 || !batch.raw_deliveries.empty())) {
    return Status::InvalidArgument(fmt::format(
        "{}: append: a batch holds usage records or delivery records, not both", component));
  }
  for (const model::RawDelivery& d : batch.raw_deliveries) {
    if (d.dedupe_key.empty())
      return Status::InvalidArgument(
          fmt::format("{}: append: raw delivery without dedupe_key", component));
  }
  for (size_t i = 0; i < batch.usage.size(); ++i) {
    const model::UsageEvent& e = batch.usage[i];
    Status status = e.Validate();
    if (status.ok() && e.signal == model::Signal::kMetric &&
        e.temporality == model::Temporality::kNone) {
      status = Status::InvalidArgument("temporality: a metric point must be delta or cumulative");
    }
    if (!status.ok())
      return status.WithPrefix(fmt::format("{}: usage[{}]", component, i));
  }
  return Status::Ok();
}

}  // namespace goodhart::store
