#include "goodhart/processors/pricing/pricing_processor.h"

#include <span>
#include <string_view>
#include <vector>

namespace goodhart::processors {
namespace {

bool IsPriceable(const model::UsageEvent& e) {
  if (e.kind != model::UsageKind::kModelCall && e.kind != model::UsageKind::kUsageAggregate)
    return false;
  const auto& t = e.tokens;  // buckets one by one: summing untrusted counts could overflow
  return t.input_uncached > 0 || t.cache_read > 0 || t.cache_write > 0 || t.output > 0;
}

}  // namespace

PricingProcessor::PricingProcessor(const PriceTable& table, pipeline::Consumer& next)
    : table_(table), next_(next) {}

Result<model::AppendStats> PricingProcessor::Consume(model::EventBatch& batch) {
  // A batch rarely names more than a few models, so a linear cache beats hashing the strings.
  struct Resolved {
    std::string_view provider;
    std::string_view model;
    std::span<const ModelPrice> history;
  };
  std::vector<Resolved> cache;
  int64_t priced = 0;
  int64_t unpriced = 0;
  for (auto& event : batch.usage) {
    if (!IsPriceable(event))
      continue;
    const Resolved* resolved = nullptr;
    for (const auto& r : cache) {
      if (r.provider == event.provider && r.model == event.model) {
        resolved = &r;
        break;
      }
    }
    if (resolved == nullptr) {
      cache.push_back({event.provider, event.model, table_.History(event.provider, event.model)});
      resolved = &cache.back();
    }
    const ModelPrice* price = PriceTable::PriceAt(resolved->history, event.time_unix_ms);
    if (price == nullptr) {
      ++unpriced;
      continue;
    }
    event.computed_cost_micros = CostMicros(*price, event.tokens);
    ++priced;
  }
  priced_.fetch_add(priced, std::memory_order_relaxed);
  unpriced_.fetch_add(unpriced, std::memory_order_relaxed);
  return next_.Consume(batch);
}

}  // namespace goodhart::processors
