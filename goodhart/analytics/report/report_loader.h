// Reads what a report needs from the store: delivery records from the start of the history ND
// needs (S_ref's 210 days before the baseline's quarter) to as_of, usage rollups of the period's
// days, and the directory version in effect at the end of the period. Deployments that name no
// service get the directory's service of their repository (linking/deployment_services.h).
#pragma once

#include "goodhart/analytics/report/report.h"
#include "goodhart/store/store.h"

namespace goodhart::analytics::report {

Result<ReportData> LoadReportData(const store::Store& store, const ReportRequest& request);

}  // namespace goodhart::analytics::report
