// EventBatch: what receivers hand to the next consumer and what Store::Append commits atomically.
#pragma once

#include <vector>

#include "goodhart/model/delivery.h"
#include "goodhart/model/usage_event.h"

namespace goodhart::model {

struct EventBatch {
  std::vector<UsageEvent> usage;
  // Delivery records (issue #3). A store keeps one record per identity (Commit: repo + sha,
  // Change: id, ...) and merges later states into it; see store/store.h.
  std::vector<Commit> commits;
  std::vector<Change> changes;
  std::vector<Review> reviews;
  std::vector<Release> releases;
  std::vector<PipelineRun> pipeline_runs;
  std::vector<Deployment> deployments;
  std::vector<Incident> incidents;
  // The webhook deliveries these records came from, kept for replay. A batch carrying a delivery
  // whose dedupe_key is already stored is skipped whole (a sender's retry).
  std::vector<RawDelivery> raw_deliveries;

  size_t delivery_size() const {
    return commits.size() + changes.size() + reviews.size() + releases.size() +
           pipeline_runs.size() + deployments.size() + incidents.size();
  }
  bool empty() const { return usage.empty() && delivery_size() == 0 && raw_deliveries.empty(); }
  // Records, not counting raw deliveries.
  size_t size() const { return usage.size() + delivery_size(); }
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
