// StoreConsumer: the end of every pipeline; appends batches to a Store.
#pragma once

#include "goodhart/pipeline/consumer.h"
#include "goodhart/store/store.h"

namespace goodhart::pipeline {

class StoreConsumer final : public Consumer {
 public:
  explicit StoreConsumer(store::Store& store) : store_(store) {}
  Result<model::AppendStats> Consume(model::EventBatch& batch) override {
    if (batch.empty())
      return model::AppendStats{};
    return store_.Append(batch);
  }

 private:
  store::Store& store_;
};

}  // namespace goodhart::pipeline
