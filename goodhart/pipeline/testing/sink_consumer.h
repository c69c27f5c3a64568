// SinkConsumer records every batch it is given; tests inspect what a receiver produced.
#pragma once

#include <mutex>
#include <vector>

#include "goodhart/pipeline/consumer.h"

namespace goodhart::pipeline::testing {

class SinkConsumer final : public Consumer {
 public:
  Result<model::AppendStats> Consume(model::EventBatch& batch) override {
    std::lock_guard lock(mu_);
    batches_.push_back(batch);
    return model::AppendStats{.inserted = static_cast<int64_t>(batch.size())};
  }
  std::vector<model::UsageEvent> AllUsage() const {
    std::lock_guard lock(mu_);
    std::vector<model::UsageEvent> out;
    for (const auto& b : batches_)
      out.insert(out.end(), b.usage.begin(), b.usage.end());
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<model::EventBatch> batches_;
};

}  // namespace goodhart::pipeline::testing
