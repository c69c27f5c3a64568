#include "goodhart/simulate/emit/in_process.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>

#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/base/clock.h"
#include "goodhart/base/time.h"
#include "goodhart/detect/detect_params.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/pipeline/store_consumer.h"
#include "goodhart/processors/pricing/price_table.h"
#include "goodhart/processors/pricing/pricing_processor.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/git/git_importer.h"
#include "goodhart/review/detection_run.h"
#include "goodhart/review/flag_record_json.h"
#include "goodhart/review/maintenance.h"
#include "goodhart/review/report_flags.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::simulate::emit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kUsagePerBatch = 20'000;

// A temporary directory removed at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "goodhart-emit-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr)
      path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty())
      fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status AppendGit(const GitWriteResult& git, store::Store& store) {
  for (const GitRepository& repo : git.repositories) {
    receivers::git::GitImportOptions options{.repo_path = repo.path, .repo_name = repo.name};
    GOODHART_ASSIGN_OR_RETURN(receivers::git::GitImportResult imported,
                              receivers::git::ImportGit(options));
    model::EventBatch batch;
    batch.commits = std::move(imported.commits);
    GOODHART_RETURN_IF_ERROR(store.Append(batch).status());
    GOODHART_RETURN_IF_ERROR(store.PutGitHeads(imported.repo_name, imported.heads));
  }
  return Status::Ok();
}

Status AppendDelivery(const WireRecords& records, store::Store& store) {
  model::EventBatch batch;
  for (const WireChange& c : records.changes)
    batch.changes.push_back(c.change);
  batch.reviews = records.reviews;
  batch.deployments = records.deployments;
  return store.Append(batch).status();
}

Status AppendUsage(const WireRecords& records, const std::string& sketch_key, store::Store& store) {
  const processors::PriceTable prices = processors::PriceTable::Builtin();
  pipeline::StoreConsumer to_store(store);
  processors::PricingProcessor pricing(prices, to_store);
  const processors::PromptSketcher sketcher(sketch_key);
  model::EventBatch batch;
  auto flush = [&]() -> Status {
    if (batch.usage.empty())
      return Status::Ok();
    GOODHART_RETURN_IF_ERROR(pricing.Consume(batch).status());
    batch.usage.clear();
    return Status::Ok();
  };
  for (const WireUsage& u : records.usage) {
    batch.usage.push_back(u.event);
    if (u.event.kind == model::UsageKind::kPrompt)
      batch.usage.back().prompt_sketch = sketcher.Sketch(u.prompt);
    if (batch.usage.size() >= kUsagePerBatch)
      GOODHART_RETURN_IF_ERROR(flush());
  }
  return flush();
}

}  // namespace

json WithoutRunTimes(json flag) {
  for (const char* key : {"created", "review_opens", "status"})
    flag.erase(key);
  return flag;
}

Result<json> InProcessOutcome(const WireRecords& records, const GitWriteResult& git,
                              const OutcomeRequest& request) {
  if (request.sketch_key.empty())
    return Status::InvalidArgument("simulate: in-process outcome: the sketch key is empty");
  ScratchDir scratch;
  if (scratch.path().empty())
    return Status::Unavailable("simulate: in-process outcome: cannot create a temporary directory");
  GOODHART_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Store> store,
      store::OpenEmbeddedStore({.data_dir = scratch.path(), .synchronous_full = false}));
  const int64_t now = SystemClock::Get().NowMillis();
  GOODHART_RETURN_IF_ERROR(
      directory::ImportDirectory(*store, records.directory_yaml, now).status());
  GOODHART_RETURN_IF_ERROR(AppendGit(git, *store));
  GOODHART_RETURN_IF_ERROR(AppendDelivery(records, *store));
  GOODHART_RETURN_IF_ERROR(AppendUsage(records, request.sketch_key, *store));

  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<review::FlagStore> flags,
                            review::FlagStore::Open(scratch.path() + "/flags.db"));
  // The server's retention pass (every minute and at start): prompt sketches older than 30 days
  // are deleted, which for a world dated in the past is all of them.
  GOODHART_RETURN_IF_ERROR(review::Maintenance(*store, *flags, "").RunOnce().status());
  GOODHART_ASSIGN_OR_RETURN(store::StoreStats stats, store->Stats());
  const analytics::nd::NdParams nd_params;
  const detect::DetectParams detect_params;
  json out = {{"prompt_sketches_after_retention", stats.prompt_sketches},
              {"detect", json::array()}};
  for (int64_t end : request.period_ends_unix_ms) {
    GOODHART_ASSIGN_OR_RETURN(
        review::DetectionRun run,
        review::RunDetection(*store, *flags, nd_params, detect_params, end, std::max(now, end)));
    int64_t shown = std::count_if(run.output.flags.begin(), run.output.flags.end(),
                                  [](const detect::Flag& f) { return f.shown; });
    out["detect"].push_back({{"period_end", FormatMillis(end)},
                             {"flags", run.output.flags.size()},
                             {"shown", shown},
                             {"new", run.new_flag_ids},
                             {"suppressed_candidates", run.output.suppressed.size()}});
  }

  analytics::report::ReportRequest report;
  report.from_unix_ms = request.report_from_unix_ms;
  report.to_unix_ms = request.report_to_unix_ms;
  report.as_of_unix_ms = request.as_of_unix_ms;
  report.people = true;
  report.params = nd_params;
  GOODHART_ASSIGN_OR_RETURN(analytics::report::ReportData data,
                            analytics::report::LoadReportData(*store, report));
  GOODHART_ASSIGN_OR_RETURN(data.person_flags, review::LoadPersonFlags(*flags, report.from_unix_ms,
                                                                       report.to_unix_ms, now));
  GOODHART_ASSIGN_OR_RETURN(out["report"], analytics::report::BuildReport(report, data));

  GOODHART_ASSIGN_OR_RETURN(std::vector<review::FlagRecord> all,
                            flags->List({.include_silent = true}));
  out["flags"] = json::array();
  for (const review::FlagRecord& r : all)
    out["flags"].push_back(WithoutRunTimes(review::FlagRecordJson(r, now)));
  return out;
}

}  // namespace goodhart::simulate::emit
