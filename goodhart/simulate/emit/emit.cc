#include "goodhart/simulate/emit/emit.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "goodhart/base/time.h"
#include "goodhart/simulate/emit/deployment_writer.h"
#include "goodhart/simulate/emit/git_writer.h"
#include "goodhart/simulate/emit/github_writer.h"
#include "goodhart/simulate/emit/otlp_writer.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush())
    return Status::Unavailable(fmt::format("simulate: emit: {}: cannot write", path.string()));
  return Status::Ok();
}

std::string Date(int64_t unix_ms) { return FormatMillis(unix_ms).substr(0, 10); }

}  // namespace

OutcomeRequest EmittedCalendar() {
  OutcomeRequest r;
  r.report_from_unix_ms = PeriodFromMillis(1);
  r.report_to_unix_ms = PeriodFromMillis(kPeriods);
  r.as_of_unix_ms = EvaluationMillis();
  for (int k = 1; k <= kPeriods; ++k)
    r.period_ends_unix_ms.push_back(PeriodFromMillis(k));
  return r;
}

Result<json> EmitWorld(const EmitOptions& options) {
  const fs::path dir(options.dir);
  std::error_code ec;
  for (const char* part : {"git", "otlp", "webhooks"})
    fs::remove_all(dir / part, ec);
  fs::remove(dir / "expected.json", ec);
  fs::create_directories(dir, ec);
  if (ec)
    return Status::Unavailable(fmt::format("simulate: emit: {}: {}", options.dir, ec.message()));

  const World world = SimulateWorld(options.world);
  GOODHART_ASSIGN_OR_RETURN(GitWriteResult git,
                            WriteGitRepositories(world, (dir / "git").string()));
  const WireRecords records = BuildWireRecords(world, git.shas);
  GOODHART_RETURN_IF_ERROR(WriteText(dir / "directory.yaml", records.directory_yaml));
  GOODHART_ASSIGN_OR_RETURN(OtlpWriteStats otlp, WriteOtlpBodies(records, (dir / "otlp").string()));
  GOODHART_ASSIGN_OR_RETURN(GithubWriteStats github,
                            WriteGithubDeliveries(records, (dir / "webhooks" / "github").string(),
                                                  options.github_secret));
  GOODHART_ASSIGN_OR_RETURN(
      int64_t deployment_requests,
      WriteDeploymentRequests(records, (dir / "webhooks" / "deployments").string()));

  const OutcomeRequest calendar = EmittedCalendar();
  json manifest;
  manifest["format"] = "goodhart-emit/1";
  manifest["command"] = options.command;
  manifest["seed"] = options.world.seed;
  manifest["teams"] = options.world.org.teams;
  manifest["engineers_per_team"] = options.world.org.engineers_per_team;
  manifest["changes_per_day"] = options.world.org.changes_per_day;
  manifest["gamers"] = json::array();
  for (const Gamer& g : world.gamers) {
    const Engineer& e = world.org.engineers[static_cast<size_t>(g.engineer)];
    const StrategyInfo& info = InfoOf(g.strategy);
    manifest["gamers"].push_back({{"person", e.id},
                                  {"team", world.org.teams[static_cast<size_t>(e.team)]},
                                  {"strategy", info.id},
                                  {"name", info.name}});
  }
  json ends = json::array();
  for (int64_t end : calendar.period_ends_unix_ms)
    ends.push_back(Date(end));
  manifest["calendar"] = {
      {"baseline", {{"from", Date(PeriodFromMillis(0))}, {"to", Date(PeriodFromMillis(1))}}},
      {"report",
       {{"from", Date(calendar.report_from_unix_ms)},
        {"to", Date(calendar.report_to_unix_ms - kMillisPerDay)}}},
      {"as_of", FormatMillis(calendar.as_of_unix_ms)},
      {"detect_period_ends", ends}};
  manifest["git"] = json::array();
  int64_t commits = 0;
  for (const GitRepository& r : git.repositories) {
    manifest["git"].push_back(
        {{"name", r.name}, {"path", fs::relative(r.path, dir).string()}, {"commits", r.commits}});
    commits += r.commits;
  }
  manifest["counts"] = {
      {"people", world.org.engineers.size()},      {"commits", commits},
      {"pull_requests", records.changes.size()},   {"reviews", records.reviews.size()},
      {"deployments", records.deployments.size()}, {"usage_events", records.usage.size()},
      {"otlp_log_bodies", otlp.log_bodies},        {"otlp_metric_bodies", otlp.metric_bodies},
      {"otlp_metric_points", otlp.metric_points},  {"github_deliveries", github.deliveries},
      {"deployment_requests", deployment_requests}};
  manifest["signed"] = !options.github_secret.empty();
  GOODHART_RETURN_IF_ERROR(WriteText(dir / "manifest.json", manifest.dump(2) + "\n"));

  if (!options.expect_sketch_key.empty()) {
    OutcomeRequest request = calendar;
    request.sketch_key = options.expect_sketch_key;
    GOODHART_ASSIGN_OR_RETURN(json expected, InProcessOutcome(records, git, request));
    GOODHART_RETURN_IF_ERROR(WriteText(dir / "expected.json", expected.dump(2) + "\n"));
  }
  return manifest;
}

}  // namespace goodhart::simulate::emit
