// goodhart report --from DATE --to DATE [--team T] [--people] [--as-of TIME] [--params FILE]
//                 [--format table|json|csv]
// The outcome report (analytics/report/report.h) from the store; the JSON is the same document
// `GET /api/v1/report` returns. `--people` adds per-person rows: this is a local operator's view
// of the store they already hold.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_format.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/base/clock.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"
#include "goodhart/cli/heap.h"
#include "goodhart/cli/progress.h"
#include "goodhart/review/report_flags.h"

namespace goodhart::cli {
namespace {

struct ReportOptions {
  CommonOptions common;
  std::string from, to, team, as_of, baseline_from, baseline_to, params_file;
  bool people = false;
  std::string format = "table";
  std::string dora_mode = "goodhart";
};

int RunReport(const ReportOptions& options) {
  auto period = analytics::report::ParsePeriod(options.from, options.to, "--from", "--to");
  if (!period.ok())
    return ReportError(period.status());
  ReserveHeap(BatchHeapReservation());  // the delivery history is loaded whole (BENCHMARKS.md #4)
  analytics::report::ReportRequest request;
  request.from_unix_ms = period->first;
  request.to_unix_ms = period->second;
  request.team = options.team;
  request.people = options.people;
  request.dora_mode = options.dora_mode;
  request.as_of_unix_ms = SystemClock::Get().NowMillis();
  if (!options.as_of.empty()) {
    auto as_of = ParseTimestampMillis(options.as_of);
    if (!as_of.ok())
      return ReportError(as_of.status().WithPrefix("report: --as-of"));
    request.as_of_unix_ms = *as_of;
  }
  if (!options.baseline_from.empty() || !options.baseline_to.empty()) {
    auto baseline = analytics::report::ParsePeriod(options.baseline_from, options.baseline_to,
                                                   "--baseline-from", "--baseline-to");
    if (!baseline.ok())
      return ReportError(baseline.status());
    request.baseline_from_unix_ms = baseline->first;
    request.baseline_to_unix_ms = baseline->second;
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  request.params = (*opened)->nd_params();
  if (!options.params_file.empty()) {
    std::ifstream in(options.params_file);
    if (!in) {
      return ReportError(
          Status::NotFound(fmt::format("report: --params: {}: cannot open", options.params_file)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto params = analytics::nd::ParseNdParams(text.str());
    if (!params.ok())
      return ReportError(params.status().WithPrefix(options.params_file));
    request.params = *params;
  }
  std::vector<analytics::report::PersonFlag> person_flags;
  if (request.people) {
    auto flags = (*opened)->flag_store();
    if (!flags.ok())
      return ReportError(flags.status());
    auto loaded = review::LoadPersonFlags(**flags, request.from_unix_ms, request.to_unix_ms,
                                          SystemClock::Get().NowMillis());
    if (!loaded.ok())
      return ReportError(loaded.status());
    person_flags = std::move(loaded).value();
  }
  // A report of a large organisation reads and credits its whole delivery history: a minute or
  // more at 10,000 people (BENCHMARKS.md #4). A terminal sees which phase it is in.
  Progress progress("report", 2, std::chrono::seconds(1));
  progress.StartItem("reading delivery history and usage");
  auto data = analytics::report::LoadReportData((*opened)->store(), request);
  if (!data.ok()) {
    progress.Finish();  // an error starts its own line
    return ReportError(data.status());
  }
  data->person_flags = std::move(person_flags);
  progress.StartItem("crediting changes, computing metrics");
  auto report = analytics::report::BuildReport(request, *data);
  progress.Finish();
  if (!report.ok())
    return ReportError(report.status());
  std::vector<std::string> subjects;
  if (options.people) {
    for (const auto& p : (*report)["people"])
      subjects.push_back(p.value("person", ""));
  }
  if (!subjects.empty()) {  // a local operator reading person rows is audited like an API caller
    const char* user = std::getenv("USER");
    Status s = (*opened)->audit_log().Append(
        {.time_unix_ms = SystemClock::Get().NowMillis(),
         .principal = fmt::format("cli:{}", user != nullptr ? user : "?"),
         .role = "admin",
         .action = "goodhart report --people",
         .subjects = subjects,
         .detail = fmt::format("from={}&to={}&team={}", options.from, options.to, options.team)});
    if (!s.ok())
      return ReportError(s.WithPrefix("report"));
  }
  std::string out;
  if (options.format == "json")
    out = JsonText(*report, 2) + "\n";
  else if (options.format == "csv")
    out = analytics::report::RenderReportCsv(*report);
  else
    out = analytics::report::RenderReportTable(*report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

CommandRunner AddReportCommand(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "ND, DORA and cost per ND for a period, for the organisation and each team");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("--from", options->from, "Period start (date or RFC 3339)")->required();
  cmd->add_option("--to", options->to, "Period end (a date includes that day; RFC 3339 exclusive)")
      ->required();
  cmd->add_option("--team", options->team, "Only this team (directory id)");
  cmd->add_flag("--people", options->people, "Add per-person rows (local operator view)");
  cmd->add_option("--as-of", options->as_of,
                  "Evaluate as of this time (default now): replays what was known then");
  cmd->add_option("--baseline-from", options->baseline_from,
                  "Baseline start for ND index (default: the window before --from)");
  cmd->add_option("--baseline-to", options->baseline_to, "Baseline end");
  cmd->add_option("--params", options->params_file,
                  "YAML file with an `nd:` section of definition parameters (metrics.md §3.10)");
  cmd->add_option("--dora-mode", options->dora_mode,
                  "goodhart, or devlake to add DevLake's deployment frequency and CFR")
      ->check(CLI::IsMember({"goodhart", "devlake"}));
  cmd->add_option("--format", options->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  return [options, cmd]() -> int { return cmd->parsed() ? RunReport(*options) : -1; };
}

}  // namespace goodhart::cli
