#include "goodhart/store/stats_json.h"

#include <string>

namespace goodhart::store {

std::vector<std::pair<std::string_view, int64_t>> StoreCounts(const StoreStats& stats) {
  return {{"usage_events", stats.usage_events},
          {"rollup_rows", stats.rollup_rows},
          {"prompt_sketches", stats.prompt_sketches},
          {"commits", stats.commits},
          {"changes", stats.changes},
          {"reviews", stats.reviews},
          {"releases", stats.releases},
          {"pipeline_runs", stats.pipeline_runs},
          {"deployments", stats.deployments},
          {"incidents", stats.incidents},
          {"raw_deliveries", stats.raw_deliveries},
          {"directory_versions", stats.directory_versions}};
}

nlohmann::json StatsJson(const StoreStats& stats) {
  nlohmann::json j = {{"bytes_on_disk", stats.bytes_on_disk},
                      {"schema_version", stats.schema_version}};
  for (const auto& [kind, n] : StoreCounts(stats))
    j[std::string(kind)] = n;
  return j;
}

}  // namespace goodhart::store
