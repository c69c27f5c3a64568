// Consumer: the next stage a receiver or processor hands its batches to (OpenTelemetry Collector
// style). The last consumer of a pipeline is a StoreConsumer, so an OK from Consume means stored.
#pragma once

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::pipeline {

class Consumer {
 public:
  virtual ~Consumer() = default;
  // May modify `batch` (processors enrich in place) before passing it on.
  virtual Result<model::AppendStats> Consume(model::EventBatch& batch) = 0;
};

}  // namespace goodhart::pipeline
