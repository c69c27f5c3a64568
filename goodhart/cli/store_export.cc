// `goodhart store export --out DIR` (store_transfer.h): pages through a store and writes the
// export directory, manifest last.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_set>

#include "goodhart/base/clock.h"
#include "goodhart/base/hex.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/review_transfer.h"
#include "goodhart/cli/store_transfer.h"
#include "goodhart/cli/store_transfer_format.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/store/delivery_merge.h"

namespace goodhart::cli {
namespace {

namespace fs = std::filesystem;
namespace file = receivers::file;
using nlohmann::json;
using namespace transfer;

constexpr int64_t kDayMs = 86'400'000;
// Usage events are read in time windows of at most about one page, so an embedded store scans one
// window per page (not the whole store) and an import's slices touch few person-days (a ClickHouse
// store recomputes every person-day an append touches).
constexpr int64_t kUsagePage = 10'000;
constexpr int64_t kMaxUsageWindowMs = 64 * kDayMs;
// Delivery queries are not paged: a window holding more records than this is halved.
constexpr size_t kMaxDeliveryWindow = 20'000;
constexpr int64_t kMaxDeliveryWindowMs = 366 * kDayMs;
// Before any real time, so the first delivery window holds records of unknown time (0) and the
// odd commit dated before 1970; a literal ClickHouse 18.16 parses as Int64.
constexpr int64_t kEarliestMs = -(int64_t{1} << 62);

constexpr size_t kImportUsageSlice = 20'000;  // as `goodhart ingest`
constexpr size_t kImportDeliverySlice = 5'000;
constexpr size_t kImportRawSlice = 500;

int64_t Widen(int64_t width) { return width > INT64_MAX / 2 ? INT64_MAX : width * 2; }

// REQUIRES: from >= 0.
int64_t WindowEnd(int64_t from, int64_t width) {
  return width >= INT64_MAX - from ? INT64_MAX : from + width;
}

std::string ErrnoText() { return std::strerror(errno); }

// One file of the export, written line by line and synced on Close.
class JsonlWriter {
 public:
  JsonlWriter(const fs::path& dir, std::string name) : name_(std::move(name)), path_(dir / name_) {}
  ~JsonlWriter() {
    if (f_ != nullptr)
      std::fclose(f_);
  }
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  Status Open() {
    f_ = std::fopen(path_.c_str(), "wbx");
    if (f_ == nullptr)
      return Status::Unavailable(
          fmt::format("store export: {}: cannot create: {}", path_.string(), ErrnoText()));
    return Status::Ok();
  }
  Status Line(std::string_view line) {
    GOODHART_RETURN_IF_ERROR(Write(line));
    GOODHART_RETURN_IF_ERROR(Write("\n"));
    ++records_;
    return Status::Ok();
  }
  // `text` holds `records` whole lines, each ending in '\n'.
  Status Lines(std::string_view text, int64_t records) {
    GOODHART_RETURN_IF_ERROR(Write(text));
    records_ += records;
    return Status::Ok();
  }
  Status Close() {
    bool ok = std::fflush(f_) == 0 && ::fsync(::fileno(f_)) == 0;
    ok = (std::fclose(f_) == 0) && ok;
    f_ = nullptr;
    if (!ok)
      return Status::Unavailable(
          fmt::format("store export: {}: cannot write: {}", path_.string(), ErrnoText()));
    return Status::Ok();
  }
  const std::string& name() const { return name_; }
  json Summary() const { return {{"records", records_}, {"bytes", bytes_}}; }

 private:
  Status Write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), f_) != text.size())
      return Status::Unavailable(
          fmt::format("store export: {}: cannot write: {}", path_.string(), ErrnoText()));
    bytes_ += static_cast<int64_t>(text.size());
    return Status::Ok();
  }
  std::string name_;
  fs::path path_;
  std::FILE* f_ = nullptr;
  int64_t records_ = 0, bytes_ = 0;
};

std::string DumpLine(const json& j) { return JsonText(j); }

Status ExportDirectory(const store::Store& store, JsonlWriter& out, Progress& progress) {
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::DirectoryVersion> history, store.DirectoryHistory());
  for (const store::DirectoryVersion& v : history) {
    // The interface reads a version's text by time: the one current at its import time.
    GOODHART_ASSIGN_OR_RETURN(std::optional<store::DirectoryVersion> full,
                              store.QueryDirectory(v.imported_unix_ms));
    if (!full || full->version != v.version || full->content_hash != v.content_hash) {
      return Status::FailedPrecondition(fmt::format(
          "store export: directory: version {}: its text cannot be read (another version was "
          "imported at the same millisecond)",
          v.version));
    }
    GOODHART_RETURN_IF_ERROR(out.Line(DumpLine({{"version", full->version},
                                                {"imported_unix_ms", full->imported_unix_ms},
                                                {"content_hash", full->content_hash},
                                                {"yaml", full->yaml}})));
    progress.Add(1);
  }
  return Status::Ok();
}

Result<int64_t> ExportUsage(const store::Store& store, JsonlWriter& out, Progress& progress) {
  int64_t exported = 0, from = 0, width = kDayMs;
  while (true) {
    int64_t to = WindowEnd(from, width);
    store::EventQuery query{.from_unix_ms = from, .to_unix_ms = to, .limit = kUsagePage};
    GOODHART_ASSIGN_OR_RETURN(std::vector<model::UsageEvent> page, store.QueryUsageEvents(query));
    if (static_cast<int64_t>(page.size()) == kUsagePage && width > kDayMs) {
      width /= 2;  // more than a page: narrow the window before writing any of it
      continue;
    }
    int64_t in_window = 0;
    while (true) {
      for (const model::UsageEvent& e : page)
        GOODHART_RETURN_IF_ERROR(out.Line(file::EncodeCanonicalJsonLine(e)));
      in_window += static_cast<int64_t>(page.size());
      progress.Add(static_cast<int64_t>(page.size()));
      if (static_cast<int64_t>(page.size()) < kUsagePage)
        break;
      query.after_event_key = page.back().event_key;
      GOODHART_ASSIGN_OR_RETURN(page, store.QueryUsageEvents(query));
    }
    exported += in_window;
    if (to == INT64_MAX)
      return exported;
    from = to;
    if (in_window == 0) {
      width = Widen(width);  // nothing here: stride over empty years quickly
    } else if (in_window < kUsagePage / 2) {
      width = std::min(Widen(width), kMaxUsageWindowMs);
    }
  }
}

struct DeliveryCounts {
  int64_t commits = 0, changes = 0, reviews = 0, releases = 0, pipeline_runs = 0, deployments = 0,
          incidents = 0;
  std::set<std::string> repos;  // of commits and releases: where the git importer has heads
};

// Moves the records of `all` whose time lies in [from, to) into `out`: a query also answers
// records of unknown time, which belong to the first window only.
template <typename T>
size_t TakeWindow(std::vector<T>& all, int64_t from, int64_t to, std::vector<T>* out) {
  for (T& r : all) {
    int64_t t = store::DeliveryTimeMillis(r);
    if (t >= from && t < to)
      out->push_back(std::move(r));
  }
  return out->size();
}

Result<DeliveryCounts> ExportDelivery(const store::Store& store, JsonlWriter& out,
                                      Progress& progress) {
  DeliveryCounts counts;
  int64_t from = kEarliestMs, to = 1;  // the first window: unknown time (0) and before 1970
  int64_t width = 30 * kDayMs;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(store::DeliveryRecords records,
                              store.QueryDelivery({.from_unix_ms = from, .to_unix_ms = to}));
    model::EventBatch batch;
    size_t n = TakeWindow(records.commits, from, to, &batch.commits) +
               TakeWindow(records.changes, from, to, &batch.changes) +
               TakeWindow(records.reviews, from, to, &batch.reviews) +
               TakeWindow(records.releases, from, to, &batch.releases) +
               TakeWindow(records.pipeline_runs, from, to, &batch.pipeline_runs) +
               TakeWindow(records.deployments, from, to, &batch.deployments) +
               TakeWindow(records.incidents, from, to, &batch.incidents);
    if (n > kMaxDeliveryWindow && from > 0 && to - from > kDayMs) {
      width = (to - from) / 2;
      to = from + width;
      continue;
    }
    for (const model::Commit& c : batch.commits)
      counts.repos.insert(c.repo);
    for (const model::Release& r : batch.releases)
      counts.repos.insert(r.repo);
    counts.commits += static_cast<int64_t>(batch.commits.size());
    counts.changes += static_cast<int64_t>(batch.changes.size());
    counts.reviews += static_cast<int64_t>(batch.reviews.size());
    counts.releases += static_cast<int64_t>(batch.releases.size());
    counts.pipeline_runs += static_cast<int64_t>(batch.pipeline_runs.size());
    counts.deployments += static_cast<int64_t>(batch.deployments.size());
    counts.incidents += static_cast<int64_t>(batch.incidents.size());
    if (n > 0)
      GOODHART_RETURN_IF_ERROR(
          out.Lines(file::EncodeDeliveryJsonl(batch), static_cast<int64_t>(n)));
    progress.Add(static_cast<int64_t>(n));
    if (to == INT64_MAX)
      return counts;
    if (n == 0) {
      width = Widen(width);
    } else if (n < kMaxDeliveryWindow / 4) {
      width = std::min(Widen(width), kMaxDeliveryWindowMs);
    }
    from = to;
    to = WindowEnd(from, width);
  }
}

Result<int64_t> ExportRawDeliveries(const store::Store& store, JsonlWriter& out,
                                    Progress& progress) {
  store::RawDeliveryQuery query{.limit = kRawPage};
  int64_t exported = 0;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(std::vector<model::RawDelivery> page,
                              store.QueryRawDeliveries(query));
    for (const model::RawDelivery& d : page) {
      json j = d;
      std::string line;
      try {
        line = JsonText(j);
      } catch (const json::type_error&) {  // a body that is not UTF-8 goes as hex
        j.erase("body");
        j["body_hex"] = LowerHex(d.body);
        line = DumpLine(j);
      }
      GOODHART_RETURN_IF_ERROR(out.Line(line));
    }
    exported += static_cast<int64_t>(page.size());
    progress.Add(static_cast<int64_t>(page.size()));
    if (static_cast<int64_t>(page.size()) < kRawPage)
      return exported;
    query.after_received_unix_ms = page.back().received_unix_ms;
    query.after_dedupe_key = page.back().dedupe_key;
  }
}

Status ExportGitHeads(const store::Store& store, const std::set<std::string>& repos,
                      JsonlWriter& out) {
  for (const std::string& repo : repos) {
    GOODHART_ASSIGN_OR_RETURN(std::vector<std::string> heads, store.GetGitHeads(repo));
    if (!heads.empty())
      GOODHART_RETURN_IF_ERROR(out.Line(DumpLine({{"repo", repo}, {"heads", heads}})));
  }
  return Status::Ok();
}

json StatsJson(const store::StoreStats& s) {
  return {{"usage_events", s.usage_events},
          {"commits", s.commits},
          {"changes", s.changes},
          {"reviews", s.reviews},
          {"releases", s.releases},
          {"pipeline_runs", s.pipeline_runs},
          {"deployments", s.deployments},
          {"incidents", s.incidents},
          {"raw_deliveries", s.raw_deliveries},
          {"directory_versions", s.directory_versions},
          {"schema_version", s.schema_version}};
}

Status CheckAtLeast(std::string_view what, int64_t exported, int64_t counted) {
  if (exported >= counted)
    return Status::Ok();
  return Status::DataLoss(
      fmt::format("store export: {}: exported {}, but the store counted {} before the export began",
                  what, exported, counted));
}

Status SyncDirectory(const fs::path& dir) {
  std::FILE* f = std::fopen(dir.c_str(), "r");
  if (f == nullptr)
    return Status::Unavailable(
        fmt::format("store export: {}: cannot open: {}", dir.string(), ErrnoText()));
  int rc = ::fsync(::fileno(f));
  std::fclose(f);
  if (rc != 0)
    return Status::Unavailable(
        fmt::format("store export: {}: cannot sync: {}", dir.string(), ErrnoText()));
  return Status::Ok();
}

}  // namespace

Result<json> ExportStoreToDirectory(store::Store& store, const std::string& kind,
                                    const std::string& dir, Progress& progress) {
  const fs::path root(dir);
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_empty(root, ec)) {
    return Status::FailedPrecondition(
        fmt::format("store export: --out: {}: exists and is not empty", dir));
  }
  fs::create_directories(root, ec);
  if (ec) {
    return Status::Unavailable(
        fmt::format("store export: --out: {}: cannot create: {}", dir, ec.message()));
  }
  GOODHART_ASSIGN_OR_RETURN(store::StoreStats before, store.Stats());
  json files = json::object();
  auto run = [&](const char* name, auto&& body) -> Status {
    JsonlWriter out(root, name);
    GOODHART_RETURN_IF_ERROR(out.Open());
    progress.StartItem(name);
    GOODHART_RETURN_IF_ERROR(body(out));
    GOODHART_RETURN_IF_ERROR(out.Close());
    files[name] = out.Summary();
    return Status::Ok();
  };
  int64_t usage = 0, raw = 0;
  DeliveryCounts delivery;
  GOODHART_RETURN_IF_ERROR(
      run(kDirectoryFile, [&](JsonlWriter& out) { return ExportDirectory(store, out, progress); }));
  GOODHART_RETURN_IF_ERROR(run(kUsageFile, [&](JsonlWriter& out) -> Status {
    GOODHART_ASSIGN_OR_RETURN(usage, ExportUsage(store, out, progress));
    return Status::Ok();
  }));
  GOODHART_RETURN_IF_ERROR(run(kDeliveryFile, [&](JsonlWriter& out) -> Status {
    GOODHART_ASSIGN_OR_RETURN(delivery, ExportDelivery(store, out, progress));
    return Status::Ok();
  }));
  GOODHART_RETURN_IF_ERROR(run(kRawFile, [&](JsonlWriter& out) -> Status {
    GOODHART_ASSIGN_OR_RETURN(raw, ExportRawDeliveries(store, out, progress));
    return Status::Ok();
  }));
  GOODHART_RETURN_IF_ERROR(run(
      kGitHeadsFile, [&](JsonlWriter& out) { return ExportGitHeads(store, delivery.repos, out); }));
  GOODHART_RETURN_IF_ERROR(run(kReviewFile, [&](JsonlWriter& out) -> Status {
    return ExportReviewRecords(store, [&](std::string_view line) { return out.Line(line); })
        .status();
  }));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("usage events", usage, before.usage_events));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("commits", delivery.commits, before.commits));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("changes", delivery.changes, before.changes));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("reviews", delivery.reviews, before.reviews));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("releases", delivery.releases, before.releases));
  GOODHART_RETURN_IF_ERROR(
      CheckAtLeast("pipeline runs", delivery.pipeline_runs, before.pipeline_runs));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("deployments", delivery.deployments, before.deployments));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("incidents", delivery.incidents, before.incidents));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("raw deliveries", raw, before.raw_deliveries));
  GOODHART_RETURN_IF_ERROR(CheckAtLeast("directory versions",
                                        files[kDirectoryFile]["records"].get<int64_t>(),
                                        before.directory_versions));

  json manifest = {{"format", kFormat},
                   {"version", kFormatVersion},
                   {"exported_at", FormatMillis(SystemClock::Get().NowMillis())},
                   {"source", {{"kind", kind}, {"stats_before", StatsJson(before)}}},
                   {"files", files}};
  // Last, and atomically: an import refuses a directory without it.
  {
    JsonlWriter out(root, std::string(kManifest) + ".tmp");
    GOODHART_RETURN_IF_ERROR(out.Open());
    GOODHART_RETURN_IF_ERROR(out.Line(JsonText(manifest, 2)));
    GOODHART_RETURN_IF_ERROR(out.Close());
  }
  fs::rename(root / (std::string(kManifest) + ".tmp"), root / kManifest, ec);
  if (ec) {
    return Status::Unavailable(
        fmt::format("store export: {}: {}", (root / kManifest).string(), ec.message()));
  }
  GOODHART_RETURN_IF_ERROR(SyncDirectory(root));
  return manifest;
}

}  // namespace goodhart::cli
