// What the report-shaped read routes share: the period parameters (`from`, `to`, `as_of`,
// `baseline_from`, `baseline_to`, `dora_mode`) parsed once for `GET /api/v1/report` and the
// dashboard's drill-down and cost routes, and the privacy decision the report makes for a caller,
// so that a route showing team-level detail publishes exactly the teams the report publishes.
#pragma once

#include <httplib.h>

#include "goodhart/access/principal.h"
#include "goodhart/access/report_privacy.h"
#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/analytics/report/report.h"
#include "goodhart/base/clock.h"
#include "goodhart/base/status.h"

namespace goodhart::api {

// Errors name the parameter: "report: from: both from and to are required".
Result<analytics::report::ReportRequest> ParseReportRequest(const httplib::Request& req,
                                                            const analytics::nd::NdParams& params,
                                                            const Clock& clock);

// The report's privacy outcome for `who` over `data` (every team, no person rows): which team
// aggregates are suppressed and whether the organisation is.
Result<access::PrivacyOutcome> ReportSuppression(const analytics::report::ReportRequest& request,
                                                 const analytics::report::ReportData& data,
                                                 const access::Principal& who,
                                                 const access::PrivacyRules& rules);

}  // namespace goodhart::api
