#include "goodhart/analytics/report/report_loader.h"

#include <algorithm>

#include "goodhart/analytics/linking/deployment_services.h"
#include "goodhart/directory/directory_versions.h"

namespace goodhart::analytics::report {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDay(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kDayMs : -((-unix_ms + kDayMs - 1) / kDayMs);
}

}  // namespace

Result<ReportData> LoadReportData(const store::Store& store, const ReportRequest& request) {
  ReportData data;
  auto [baseline_from, baseline_to] = BaselineWindow(request);
  const nd::NdParams& p = request.params;
  // S_ref of the earliest quarter reads lag + window before it; one more quarter covers the
  // quarter start, and rollback lookback reaches back further still.
  int64_t history =
      std::max(p.s_ref_lag_ms() + p.s_ref_window_ms() + 92 * kDayMs, p.rollback_lookback_ms());
  int64_t start = std::min(request.from_unix_ms, baseline_from) - history;
  int64_t end = std::max({request.to_unix_ms, baseline_to, request.as_of_unix_ms}) + 1;
  GOODHART_ASSIGN_OR_RETURN(data.delivery,
                            store.QueryDelivery({.from_unix_ms = start, .to_unix_ms = end}));
  GOODHART_ASSIGN_OR_RETURN(data.rollups,
                            store.QueryUsageRollups({.from_day = FloorDay(request.from_unix_ms),
                                                     .to_day = FloorDay(request.to_unix_ms - 1)}));
  GOODHART_ASSIGN_OR_RETURN(std::optional<directory::LoadedDirectory> dir,
                            directory::LoadDirectory(store, request.to_unix_ms));
  if (!dir) {  // imported after the period: the current one is the best there is
    GOODHART_ASSIGN_OR_RETURN(dir, directory::LoadDirectory(store, std::nullopt));
  }
  if (dir) {
    data.directory_version = dir->version.version;
    data.directory = std::move(dir->directory);
    // GitHub deployments name a repository, not a service: the directory's service of it.
    AssignDeploymentServices(data.delivery.deployments, data.directory->services());
  }
  data.usage_set_aside = SetAsideReportsCoveredByTelemetry(
      data.rollups, PersonResolver(data.directory ? &*data.directory : nullptr));
  return data;
}

}  // namespace goodhart::analytics::report
