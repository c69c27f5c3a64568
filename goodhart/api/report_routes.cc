#include "goodhart/api/report_routes.h"

#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/api/http_status.h"
#include "goodhart/base/time.h"

namespace goodhart::api {
void AddReportRoutes(HttpServer& server, const store::Store& store,
                     const analytics::nd::NdParams& params, const Clock* clock) {
  server.routes().Get("/api/v1/report", [&store, params, clock](const httplib::Request& req,
                                                                httplib::Response& res) {
    auto period =
        analytics::report::ParsePeriod(req.get_param_value("from"), req.get_param_value("to"));
    if (!period.ok())
      return ReplyError(res, period.status());
    analytics::report::ReportRequest request;
    request.from_unix_ms = period->first;
    request.to_unix_ms = period->second;
    request.team = req.get_param_value("team");
    if (req.has_param("dora_mode"))
      request.dora_mode = req.get_param_value("dora_mode");
    request.params = params;
    request.as_of_unix_ms = (clock ? *clock : SystemClock::Get()).NowMillis();
    if (req.has_param("as_of")) {
      auto as_of = ParseTimestampMillis(req.get_param_value("as_of"));
      if (!as_of.ok())
        return ReplyError(res, as_of.status().WithPrefix("report: as_of"));
      request.as_of_unix_ms = *as_of;
    }
    if (req.has_param("baseline_from") || req.has_param("baseline_to")) {
      auto baseline = analytics::report::ParsePeriod(req.get_param_value("baseline_from"),
                                                     req.get_param_value("baseline_to"),
                                                     "baseline_from", "baseline_to");
      if (!baseline.ok())
        return ReplyError(res, baseline.status());
      request.baseline_from_unix_ms = baseline->first;
      request.baseline_to_unix_ms = baseline->second;
    }
    auto data = analytics::report::LoadReportData(store, request);
    if (!data.ok())
      return ReplyError(res, data.status());
    auto report = analytics::report::BuildReport(request, *data);
    if (!report.ok())
      return ReplyError(res, report.status());
    res.set_content(report->dump(), "application/json");
  });
}

}  // namespace goodhart::api
