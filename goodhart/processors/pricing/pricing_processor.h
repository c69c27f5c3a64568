// PricingProcessor fills UsageEvent::computed_cost_micros from a PriceTable, so every priced call
// carries a computed cost next to whatever cost its source reported (which is left untouched).
#pragma once

#include <atomic>
#include <cstdint>

#include "goodhart/pipeline/consumer.h"
#include "goodhart/processors/pricing/price_table.h"

namespace goodhart::processors {

// Thread-safe: Consume may be called concurrently; `table` and `next` must outlive the processor.
class PricingProcessor final : public pipeline::Consumer {
 public:
  PricingProcessor(const PriceTable& table, pipeline::Consumer& next);

  // For each usage event of kind kModelCall or kUsageAggregate with a positive token bucket, sets
  // computed_cost_micros to the cost of its tokens at the price in effect at time_unix_ms when the
  // (provider, model) pair is priced, and leaves it unchanged otherwise. Then passes the batch on
  // and returns what `next` returns. Names are resolved once per distinct pair in a batch.
  Result<model::AppendStats> Consume(model::EventBatch& batch) override;

  // Events priced, and events that had tokens but no price, since construction.
  int64_t priced_events() const { return priced_.load(std::memory_order_relaxed); }
  int64_t unpriced_events() const { return unpriced_.load(std::memory_order_relaxed); }

 private:
  const PriceTable& table_;
  pipeline::Consumer& next_;
  std::atomic<int64_t> priced_{0};
  std::atomic<int64_t> unpriced_{0};
};

}  // namespace goodhart::processors
