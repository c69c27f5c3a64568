// goodhart detect [--period-end DATE]: runs the gaming detectors over the four-week period ending
// at DATE (default: today, 00:00 UTC) and the two before it, records the flags, queues alerts for
// new Tier A flags and cost anomalies and, with alerts.webhook_url set, posts what is due.
//
// goodhart flags list|show|resolve|annotate: the review workflow for a local operator (an admin).
// Listing or showing flags about people is audited like an API read.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "goodhart/analytics/report/usage_sources.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"
#include "goodhart/cli/heap.h"
#include "goodhart/cli/progress.h"
#include "goodhart/detect/flag_json.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/review/alerts.h"
#include "goodhart/review/detection_run.h"
#include "goodhart/review/flag_record_json.h"

namespace goodhart::cli {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;

std::string CliPrincipal() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr ? user : "?");
}

Status AuditPersonReads(Runtime& rt, const std::vector<review::FlagRecord>& records,
                        const std::string& action) {
  std::vector<std::string> subjects;
  for (const auto& r : records) {
    if (r.flag.subject.kind == detect::SubjectKind::kPerson)
      subjects.push_back(r.flag.subject.id);
  }
  if (subjects.empty())
    return Status::Ok();
  return rt.audit_log().Append({.time_unix_ms = SystemClock::Get().NowMillis(),
                                .principal = CliPrincipal(),
                                .role = "admin",
                                .action = action,
                                .subjects = subjects});
}

// ---- goodhart detect ----

struct DetectOptions {
  CommonOptions common;
  std::string period_end, format = "table";
};

int RunDetect(const DetectOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return ReportError(Status::InvalidArgument(
        fmt::format("detect: --format: '{}' is not table|json", options.format)));
  }
  ReserveHeap(BatchHeapReservation());  // the delivery history is loaded whole (BENCHMARKS.md #5)
  int64_t now = SystemClock::Get().NowMillis();
  int64_t end = now / kDayMs * kDayMs;
  if (!options.period_end.empty()) {
    auto parsed = ParseTimestampMillis(options.period_end);
    if (!parsed.ok())
      return ReportError(parsed.status().WithPrefix("detect: --period-end"));
    end = *parsed;
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  Runtime& rt = **opened;
  auto flags = rt.flag_store();
  if (!flags.ok())
    return ReportError(flags.status());
  Progress progress("detect", std::size(review::kDetectionSteps), std::chrono::seconds(1));
  auto run = review::RunDetection(
      rt.store(), **flags, rt.nd_params(), rt.detect_params(), end, std::max(now, end),
      [&](std::string_view step) { progress.StartItem(std::string(step)); });
  progress.Finish();
  if (!run.ok())
    return ReportError(run.status());

  // Cost anomalies of the period's last day.
  int64_t last_day = (end - 1) / kDayMs;
  int64_t cost_alerts = 0;
  auto dir = directory::LoadDirectory(rt.store(), std::nullopt);
  if (dir.ok() && dir->has_value()) {
    auto rollups = rt.store().QueryUsageRollups({.from_day = last_day - 28, .to_day = last_day});
    if (!rollups.ok())
      return ReportError(rollups.status());
    // As in reports: a daily usage report covered by telemetry is not counted a second time.
    analytics::report::SetAsideReportsCoveredByTelemetry(
        *rollups, analytics::report::PersonResolver(&(*dir)->directory));
    auto queued = review::QueueCostAlerts(
        **flags, review::FindCostAnomalies(*rollups, (*dir)->directory, last_day), now);
    if (!queued.ok())
      return ReportError(queued.status());
    cost_alerts = *queued;
  }
  int64_t sent = 0, failed = 0;
  if (!rt.config().alerts.webhook_url.empty()) {
    review::AlertSender sender(**flags, rt.config().alerts.webhook_url);
    auto delivered = sender.DeliverDue();
    if (!delivered.ok())
      return ReportError(delivered.status());
    sent = delivered->sent;
    failed = delivered->failed;
  }

  const detect::DetectOutput& out = run->output;
  int64_t shown = std::count_if(out.flags.begin(), out.flags.end(),
                                [](const detect::Flag& f) { return f.shown; });
  if (options.format == "json") {
    json j = {{"period",
               {{"from", FormatMillis(out.period.from_unix_ms)},
                {"to", FormatMillis(out.period.to_unix_ms)}}},
              {"own_baseline",
               {{"from", FormatMillis(run->own_baseline.from_unix_ms)},
                {"to", FormatMillis(run->own_baseline.to_unix_ms)}}},
              {"params_version", out.params_version},
              {"flags", out.flags.size()},
              {"shown", shown},
              {"new", run->new_flag_ids},
              {"suppressed_candidates", out.suppressed.size()},
              {"tier_b_tests", out.tier_b_tests},
              {"alerts_queued", run->alerts_queued + cost_alerts},
              {"alerts_sent", sent},
              {"alerts_failed", failed},
              {"warnings", out.warnings}};
    fmt::print("{}\n", JsonText(j, 2));
  } else {
    fmt::print(
        "period {} to {} ({}): {} flags ({} shown, {} logged silently), {} new; {} "
        "candidates not raised\n",
        FormatMillis(out.period.from_unix_ms), FormatMillis(out.period.to_unix_ms),
        out.params_version, out.flags.size(), shown, out.flags.size() - shown,
        run->new_flag_ids.size(), out.suppressed.size());
    fmt::print("own baseline of D10 and D12 (the previous quarter): {} to {}\n",
               FormatMillis(run->own_baseline.from_unix_ms),
               FormatMillis(run->own_baseline.to_unix_ms));
    fmt::print("alerts: {} queued, {} sent, {} failed (retried later)\n",
               run->alerts_queued + cost_alerts, sent, failed);
    for (const auto& w : out.warnings)
      fmt::print(stderr, "  note: {}\n", w);
    fmt::print("`goodhart flags list` shows them; nothing happens to anyone automatically.\n");
  }
  return kExitOk;
}

// ---- goodhart flags ----

struct FlagsOptions {
  CommonOptions common;
  std::string id, person, team, detector, format = "table";
  bool all = false;
  std::string disposition, note, author;
};

int RunFlagsList(const FlagsOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto flags = (*opened)->flag_store();
  if (!flags.ok())
    return ReportError(flags.status());
  review::FlagFilter filter{.include_silent = options.all};
  if (!options.person.empty())
    filter.subject_id = options.person;
  if (!options.team.empty())
    filter.team = options.team;
  if (!options.detector.empty())
    filter.detector_id = options.detector;
  auto records = (*flags)->List(filter);
  if (!records.ok())
    return ReportError(records.status());
  if (Status s = AuditPersonReads(**opened, *records, "goodhart flags list"); !s.ok())
    return ReportError(s.WithPrefix("flags"));
  int64_t now = SystemClock::Get().NowMillis();
  if (options.format == "json") {
    json out = json::array();
    for (const auto& r : *records)
      out.push_back(review::FlagRecordJson(r, now));
    fmt::print("{}\n", JsonText(out, 2));
    return kExitOk;
  }
  fmt::print("{:<36} {:<5} {:<4} {:<22} {:<12} {:<10} {:<17} {}\n", "id", "det", "tier", "subject",
             "team", "period", "status", "disposition");
  for (const auto& r : *records) {
    const auto* d = r.disposition();
    fmt::print(
        "{:<36} {:<5} {:<4} {:<22} {:<12} {:<10} {:<17} {}\n", r.flag.id, r.flag.detector_id,
        detect::TierName(r.flag.tier),
        fmt::format("{}:{}", detect::SubjectKindName(r.flag.subject.kind), r.flag.subject.id),
        r.flag.team, FormatMillis(r.flag.period.from_unix_ms).substr(0, 10), r.Status(now),
        d ? d->disposition : "-");
  }
  return kExitOk;
}

int RunFlagsShow(const FlagsOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto flags = (*opened)->flag_store();
  if (!flags.ok())
    return ReportError(flags.status());
  auto record = (*flags)->Get(options.id);
  if (!record.ok())
    return ReportError(record.status());
  if (!record->has_value())
    return ReportError(Status::NotFound(fmt::format("flags: {}: no such flag", options.id)));
  if (Status s = AuditPersonReads(**opened, {**record}, "goodhart flags show"); !s.ok())
    return ReportError(s.WithPrefix("flags"));
  const review::FlagRecord& r = **record;
  int64_t now = SystemClock::Get().NowMillis();
  if (options.format == "json") {
    fmt::print("{}\n", JsonText(review::FlagRecordJson(r, now), 2));
    return kExitOk;
  }
  const detect::Flag& f = r.flag;
  fmt::print("{}  {} (tier {}), {} {}, team {}\n", f.id, f.detector_id, detect::TierName(f.tier),
             detect::SubjectKindName(f.subject.kind), f.subject.id, f.team);
  fmt::print("period {} to {}; status {}; review opens {}\n\n", FormatMillis(f.period.from_unix_ms),
             FormatMillis(f.period.to_unix_ms), r.Status(now),
             FormatMillis(r.review_opens_unix_ms));
  fmt::print("{}\n\n", f.explanation);
  fmt::print("score {} = {:.3g} (threshold {:.3g}); peers: {}; gate: {}\n", f.score_name, f.score,
             f.threshold, f.peer_group, f.gate);
  fmt::print("materiality: {}\n", f.materiality.reason);
  fmt::print("evidence:\n");
  for (const auto& e : f.evidence)
    fmt::print("  - {} {} {}\n", e.id, e.value, e.note);
  fmt::print("benign explanations the reviewer will consider:\n");
  for (const auto& b : f.benign_explanations)
    fmt::print("  - {}\n", b);
  fmt::print("recommended action: {}\n", f.recommended_action);
  for (const auto& n : r.notes) {
    fmt::print("{} {} by {}: {}{}\n", FormatMillis(n.at_unix_ms), n.kind, n.author,
               n.disposition.empty() ? "" : n.disposition + ": ", n.note);
  }
  return kExitOk;
}

int RunFlagsResolve(const FlagsOptions& options, bool annotate) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto flags = (*opened)->flag_store();
  if (!flags.ok())
    return ReportError(flags.status());
  std::string author = options.author.empty() ? CliPrincipal() : options.author;
  int64_t now = SystemClock::Get().NowMillis();
  Status s = annotate
                 ? (*flags)->Annotate(options.id, author, options.note, now)
                 : (*flags)->Dispose(options.id, options.disposition, options.note, author, now);
  if (!s.ok())
    return ReportError(s);
  fmt::print("{} {}: {}\n", options.id, annotate ? "annotated" : "resolved",
             annotate ? options.note : options.disposition);
  return kExitOk;
}

}  // namespace

CommandRunner AddDetectCommand(CLI::App& app) {
  auto options = std::make_shared<DetectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "detect", "Run the gaming detectors over a four-week period and record the flags");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("--period-end", options->period_end,
                  "End of the four-week period (date or RFC 3339; default today 00:00 UTC)");
  cmd->add_option("--format", options->format, "table | json");
  return [options, cmd]() -> int { return cmd->parsed() ? RunDetect(*options) : -1; };
}

CommandRunner AddFlagsCommand(CLI::App& app) {
  auto options = std::make_shared<FlagsOptions>();
  CLI::App* flags = app.add_subcommand("flags", "List, show and resolve gaming flags");
  flags->require_subcommand(1);
  CLI::App* list = flags->add_subcommand("list", "Flags, newest period first");
  AddCommonOptions(*list, options->common);
  list->add_option("--person", options->person, "Only flags about this person (or subject id)");
  list->add_option("--team", options->team, "Only flags of this team");
  list->add_option("--detector", options->detector, "Only this detector (D1 ... D13)");
  list->add_flag("--all", options->all, "Include flags logged silently (below materiality)");
  list->add_option("--format", options->format, "table | json");
  CLI::App* show = flags->add_subcommand("show", "One flag with its evidence and explanation");
  AddCommonOptions(*show, options->common);
  show->add_option("ID", options->id, "Flag id")->required();
  show->add_option("--format", options->format, "table | json");
  CLI::App* resolve = flags->add_subcommand(
      "resolve", "Record a reviewer's disposition (after the subject's turn)");
  AddCommonOptions(*resolve, options->common);
  resolve->add_option("ID", options->id, "Flag id")->required();
  resolve
      ->add_option("--disposition", options->disposition,
                   "benign | process_issue | confirmed_gaming")
      ->required();
  resolve->add_option("--note", options->note, "The reviewer's reasons")->required();
  resolve->add_option("--reviewer", options->author, "Reviewer name (default cli:$USER)");
  CLI::App* annotate = flags->add_subcommand("annotate", "Add the subject's comment to a flag");
  AddCommonOptions(*annotate, options->common);
  annotate->add_option("ID", options->id, "Flag id")->required();
  annotate->add_option("--note", options->note, "The comment")->required();
  annotate->add_option("--author", options->author, "Author name (default cli:$USER)");
  return [options, list, show, resolve, annotate]() -> int {
    if (list->parsed())
      return RunFlagsList(*options);
    if (show->parsed())
      return RunFlagsShow(*options);
    if (resolve->parsed())
      return RunFlagsResolve(*options, /*annotate=*/false);
    if (annotate->parsed())
      return RunFlagsResolve(*options, /*annotate=*/true);
    return -1;
  };
}

}  // namespace goodhart::cli
