// EventBatch: what receivers hand to the next consumer and what Store::Append commits atomically.
#pragma once

#include <vector>

#include "goodhart/model/delivery.h"
#include "goodhart/model/usage_event.h"

namespace goodhart::model {

struct EventBatch {
  std::vector<UsageEvent> usage;
  std::vector<Change> changes;  // filled by issue #3's receivers
  std::vector<Review> reviews;
  std::vector<Deployment> deployments;
  std::vector<Incident> incidents;

  bool empty() const {
    return usage.empty() && changes.empty() && reviews.empty() && deployments.empty() &&
           incidents.empty();
  }
  size_t size() const {
    return usage.size() + changes.size() + reviews.size() + deployments.size() + incidents.size();
  }
};

}  // namespace goodhart::model

namespace goodhart::model {

// What a consumer did with a batch: newly stored records and records it already had.
struct AppendStats {
  int64_t inserted = 0;
  int64_t duplicates = 0;
  AppendStats& operator+=(const AppendStats& o) {
    inserted += o.inserted;
    duplicates += o.duplicates;
    return *this;
  }
};

}  // namespace goodhart::model
