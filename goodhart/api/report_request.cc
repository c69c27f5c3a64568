#include "goodhart/api/report_request.h"

#include "goodhart/base/time.h"

namespace goodhart::api {

Result<analytics::report::ReportRequest> ParseReportRequest(const httplib::Request& req,
                                                            const analytics::nd::NdParams& params,
                                                            const Clock& clock) {
  analytics::report::ReportRequest request;
  GOODHART_ASSIGN_OR_RETURN(auto period, analytics::report::ParsePeriod(req.get_param_value("from"),
                                                                        req.get_param_value("to")));
  request.from_unix_ms = period.first;
  request.to_unix_ms = period.second;
  if (req.has_param("dora_mode"))
    request.dora_mode = req.get_param_value("dora_mode");
  request.params = params;
  request.as_of_unix_ms = clock.NowMillis();
  if (req.has_param("as_of")) {
    auto as_of = ParseTimestampMillis(req.get_param_value("as_of"));
    if (!as_of.ok())
      return as_of.status().WithPrefix("report: as_of");
    request.as_of_unix_ms = *as_of;
  }
  if (req.has_param("baseline_from") || req.has_param("baseline_to")) {
    GOODHART_ASSIGN_OR_RETURN(auto baseline,
                              analytics::report::ParsePeriod(req.get_param_value("baseline_from"),
                                                             req.get_param_value("baseline_to"),
                                                             "baseline_from", "baseline_to"));
    request.baseline_from_unix_ms = baseline.first;
    request.baseline_to_unix_ms = baseline.second;
  }
  return request;
}

Result<access::PrivacyOutcome> ReportSuppression(const analytics::report::ReportRequest& request,
                                                 const analytics::report::ReportData& data,
                                                 const access::Principal& who,
                                                 const access::PrivacyRules& rules) {
  analytics::report::ReportRequest all = request;
  all.team.clear();
  all.people = false;
  all.dora_mode = "goodhart";
  GOODHART_ASSIGN_OR_RETURN(nlohmann::json report, analytics::report::BuildReport(all, data));
  return access::ApplyReportPrivacy(report, who, rules, "");
}

}  // namespace goodhart::api
