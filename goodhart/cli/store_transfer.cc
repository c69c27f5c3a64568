#include "goodhart/cli/store_transfer.h"

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
#include "goodhart/base/time.h"
#include "goodhart/cli/review_transfer.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/store/delivery_merge.h"

namespace goodhart::cli {
namespace {

namespace fs = std::filesystem;
namespace file = receivers::file;
using nlohmann::json;

constexpr char kFormat[] = "goodhart-store-export";
// 2 added review.jsonl; a version 1 export imports as before (it has no review records).
constexpr int kFormatVersion = 2;
constexpr char kManifest[] = "manifest.json";
constexpr char kDirectoryFile[] = "directory.jsonl";
constexpr char kUsageFile[] = "usage.jsonl";
constexpr char kDeliveryFile[] = "delivery.jsonl";
constexpr char kRawFile[] = "raw_deliveries.jsonl";
constexpr char kGitHeadsFile[] = "git_heads.jsonl";
constexpr char kReviewFile[] = "review.jsonl";

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
constexpr int64_t kRawPage = 1'000;

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

std::string DumpLine(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string HexBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> UnhexBytes(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0)
    return Status::DataLoss("body_hex has an odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return Status::DataLoss("body_hex is not lowercase hex");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// ---- export ----

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
        line = j.dump();
      } catch (const json::type_error&) {  // a body that is not UTF-8 goes as hex
        j.erase("body");
        j["body_hex"] = HexBytes(d.body);
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

// ---- import ----

// Reads a file line by line, counting lines; blank lines are skipped.
class LineReader {
 public:
  explicit LineReader(fs::path path) : path_(std::move(path)), in_(path_, std::ios::binary) {}
  Status Check() const {
    if (!in_)
      return Status::NotFound(fmt::format("store import: {}: cannot open", path_.string()));
    return Status::Ok();
  }
  bool Next(std::string* line) {
    while (std::getline(in_, *line)) {
      ++line_number_;
      if (!line->empty() && line->back() == '\r')
        line->pop_back();
      if (line->find_first_not_of(" \t") != std::string::npos) {
        ++records_;
        return true;
      }
    }
    return false;
  }
  Status Finish() const {
    if (in_.bad())
      return Status::Unavailable(fmt::format("store import: {}: read error", path_.string()));
    return Status::Ok();
  }
  std::string Where() const { return fmt::format("{}:{}", path_.string(), line_number_); }
  int64_t line_number() const { return line_number_; }
  int64_t records() const { return records_; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  std::ifstream in_;
  int64_t line_number_ = 0, records_ = 0;
};

Status AppendCounted(store::Store& store, const model::EventBatch& batch, std::string_view where,
                     ImportPart* part) {
  Result<model::AppendStats> stats = store.Append(batch);
  if (!stats.ok())
    return stats.status().WithPrefix(fmt::format("store import: {}", where));
  part->stored += stats->inserted;
  part->duplicates += stats->duplicates;
  return Status::Ok();
}

Status ImportUsage(store::Store& store, LineReader& in, Progress& progress, ImportPart* part) {
  model::EventBatch slice;
  int64_t first_line = 1;
  auto flush = [&]() -> Status {
    if (slice.usage.empty())
      return Status::Ok();
    GOODHART_RETURN_IF_ERROR(AppendCounted(
        store, slice, fmt::format("{}:{}-{}", in.path().string(), first_line, in.line_number()),
        part));
    progress.Add(static_cast<int64_t>(slice.usage.size()));
    slice.usage.clear();
    first_line = in.line_number() + 1;
    return Status::Ok();
  };
  std::string line;
  while (in.Next(&line)) {
    Result<model::UsageEvent> event = file::DecodeCanonicalJsonLine(line);
    if (!event.ok())
      return Status::DataLoss(
          fmt::format("store import: {}: {}", in.Where(), event.status().message()));
    slice.usage.push_back(std::move(event).value());
    if (slice.usage.size() >= kImportUsageSlice)
      GOODHART_RETURN_IF_ERROR(flush());
  }
  GOODHART_RETURN_IF_ERROR(in.Finish());
  return flush();
}

Status ImportDelivery(store::Store& store, LineReader& in, Progress& progress, ImportPart* part) {
  std::string chunk;
  size_t lines = 0;
  int64_t first_line = 1;
  auto flush = [&]() -> Status {
    if (lines == 0)
      return Status::Ok();
    std::string where = fmt::format("{}:{}-{}", in.path().string(), first_line, in.line_number());
    file::FileDecodeResult decoded;
    Status s = file::DecodeDeliveryJsonl(chunk, &decoded);
    if (!s.ok() || decoded.rejected > 0) {
      return Status::DataLoss(fmt::format("store import: {}: {}", where,
                                          s.ok() ? decoded.errors.front() : s.message()));
    }
    GOODHART_RETURN_IF_ERROR(AppendCounted(store, decoded.batch, where, part));
    progress.Add(static_cast<int64_t>(lines));
    chunk.clear();
    lines = 0;
    first_line = in.line_number() + 1;
    return Status::Ok();
  };
  std::string line;
  while (in.Next(&line)) {
    chunk += line;
    chunk += '\n';
    if (++lines >= kImportDeliverySlice)
      GOODHART_RETURN_IF_ERROR(flush());
  }
  GOODHART_RETURN_IF_ERROR(in.Finish());
  return flush();
}

// A page of raw deliveries, minus those the store has: a batch with a stored dedupe_key would be
// skipped whole (store.h), so the stored ones are looked up first, by their received times.
Status AppendRawPage(store::Store& store, std::vector<model::RawDelivery>& page,
                     std::string_view where, ImportPart* part) {
  if (page.empty())
    return Status::Ok();
  std::unordered_set<std::string> wanted;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const model::RawDelivery& d : page) {
    wanted.insert(d.dedupe_key);
    lo = std::min(lo, d.received_unix_ms);
    hi = std::max(hi, d.received_unix_ms);
  }
  std::unordered_set<std::string> stored;
  store::RawDeliveryQuery query{
      .from_unix_ms = lo, .to_unix_ms = hi == INT64_MAX ? hi : hi + 1, .limit = kRawPage};
  while (true) {
    Result<std::vector<model::RawDelivery>> found = store.QueryRawDeliveries(query);
    if (!found.ok())
      return found.status().WithPrefix(fmt::format("store import: {}", where));
    for (const model::RawDelivery& d : *found) {
      if (wanted.count(d.dedupe_key) != 0)
        stored.insert(d.dedupe_key);
    }
    if (static_cast<int64_t>(found->size()) < kRawPage)
      break;
    query.after_received_unix_ms = found->back().received_unix_ms;
    query.after_dedupe_key = found->back().dedupe_key;
  }
  model::EventBatch batch;
  for (model::RawDelivery& d : page) {
    if (stored.insert(d.dedupe_key).second) {  // also skips a key repeated in the file
      batch.raw_deliveries.push_back(std::move(d));
    } else {
      ++part->duplicates;
    }
  }
  page.clear();
  if (batch.raw_deliveries.empty())
    return Status::Ok();
  Result<model::AppendStats> appended = store.Append(batch);
  if (!appended.ok())
    return appended.status().WithPrefix(fmt::format("store import: {}", where));
  part->stored += static_cast<int64_t>(batch.raw_deliveries.size());
  return Status::Ok();
}

Status ImportRawDeliveries(store::Store& store, LineReader& in, Progress& progress,
                           ImportPart* part) {
  std::vector<model::RawDelivery> page;
  int64_t first_line = 1;
  auto flush = [&]() -> Status {
    size_t n = page.size();
    GOODHART_RETURN_IF_ERROR(AppendRawPage(
        store, page, fmt::format("{}:{}-{}", in.path().string(), first_line, in.line_number()),
        part));
    progress.Add(static_cast<int64_t>(n));
    first_line = in.line_number() + 1;
    return Status::Ok();
  };
  std::string line;
  while (in.Next(&line)) {
    model::RawDelivery d;
    try {
      json j = json::parse(line);
      d = j.get<model::RawDelivery>();
      if (auto hex = j.find("body_hex"); hex != j.end()) {
        Result<std::string> body = UnhexBytes(hex->get<std::string>());
        if (!body.ok())
          return Status::DataLoss(
              fmt::format("store import: {}: {}", in.Where(), body.status().message()));
        d.body = std::move(body).value();
      }
    } catch (const json::exception& e) {
      return Status::DataLoss(fmt::format("store import: {}: {}", in.Where(), e.what()));
    }
    if (d.dedupe_key.empty())
      return Status::DataLoss(fmt::format("store import: {}: no dedupe_key", in.Where()));
    page.push_back(std::move(d));
    if (page.size() >= kImportRawSlice)
      GOODHART_RETURN_IF_ERROR(flush());
  }
  GOODHART_RETURN_IF_ERROR(in.Finish());
  return flush();
}

struct ExportedVersion {
  int64_t version = 0, imported_unix_ms = 0;
  std::string content_hash, yaml;
};

Status ImportDirectoryVersions(store::Store& store, LineReader& in, ImportPart* part) {
  std::vector<ExportedVersion> versions;  // a few texts of a few hundred kB at most
  std::string line;
  while (in.Next(&line)) {
    try {
      json j = json::parse(line);
      versions.push_back({j.at("version").get<int64_t>(), j.at("imported_unix_ms").get<int64_t>(),
                          j.at("content_hash").get<std::string>(),
                          j.at("yaml").get<std::string>()});
    } catch (const json::exception& e) {
      return Status::DataLoss(fmt::format("store import: {}: {}", in.Where(), e.what()));
    }
  }
  GOODHART_RETURN_IF_ERROR(in.Finish());
  GOODHART_ASSIGN_OR_RETURN(std::vector<store::DirectoryVersion> history, store.DirectoryHistory());
  for (size_t i = 0; i < history.size() && i < versions.size(); ++i) {
    if (history[i].content_hash != versions[i].content_hash) {
      return Status::FailedPrecondition(fmt::format(
          "store import: {}: version {}: the store's directory history differs from the export's "
          "(the store's version {} has another text); import into a store without a directory, or "
          "with the same history",
          in.path().string(), versions[i].version, history[i].version));
    }
  }
  part->duplicates += static_cast<int64_t>(std::min(history.size(), versions.size()));
  for (size_t i = history.size(); i < versions.size(); ++i) {
    Result<directory::ImportedDirectory> imported =
        directory::ImportDirectory(store, versions[i].yaml, versions[i].imported_unix_ms);
    if (!imported.ok()) {
      return imported.status().WithPrefix(
          fmt::format("store import: {}: version {}", in.path().string(), versions[i].version));
    }
    ++part->stored;
  }
  return Status::Ok();
}

Status ImportGitHeads(store::Store& store, LineReader& in, ImportPart* part) {
  std::string line;
  while (in.Next(&line)) {
    std::string repo;
    std::vector<std::string> heads;
    try {
      json j = json::parse(line);
      repo = j.at("repo").get<std::string>();
      heads = j.at("heads").get<std::vector<std::string>>();
    } catch (const json::exception& e) {
      return Status::DataLoss(fmt::format("store import: {}: {}", in.Where(), e.what()));
    }
    GOODHART_ASSIGN_OR_RETURN(std::vector<std::string> current, store.GetGitHeads(repo));
    if (current == heads) {
      ++part->duplicates;
    } else if (!current.empty()) {
      ++part->kept;  // the store's own cursor: the importer merges whatever it re-reads
    } else {
      Status put = store.PutGitHeads(repo, heads);
      if (!put.ok())
        return put.WithPrefix(fmt::format("store import: {}", in.Where()));
      ++part->stored;
    }
  }
  return in.Finish();
}

Status ImportReview(store::Store& store, LineReader& in, Progress& progress, ImportPart* part) {
  std::string line;
  while (in.Next(&line)) {
    bool added = false;
    GOODHART_RETURN_IF_ERROR(ImportReviewRecord(store, line, in.Where(), &added));
    ++(added ? part->stored : part->duplicates);
    progress.Add(1);
  }
  return in.Finish();
}

Result<json> ReadManifest(const fs::path& dir) {
  fs::path path = dir / kManifest;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::FailedPrecondition(fmt::format(
        "store import: {}: no {} (not an export directory, or an export that did not finish)",
        dir.string(), kManifest));
  }
  json manifest;
  try {
    manifest = json::parse(in);
    if (manifest.at("format").get<std::string>() != kFormat)
      return Status::DataLoss(
          fmt::format("store import: {}: format is not {}", path.string(), kFormat));
    int version = manifest.at("version").get<int>();
    if (version > kFormatVersion) {
      return Status::FailedPrecondition(
          fmt::format("store import: {}: format version {} is newer than this goodhart's ({})",
                      path.string(), version, kFormatVersion));
    }
    for (const auto& [name, summary] : manifest.at("files").items()) {
      std::error_code ec;
      auto size = fs::file_size(dir / name, ec);
      if (ec) {
        return Status::DataLoss(
            fmt::format("store import: {}: {}", (dir / name).string(), ec.message()));
      }
      if (static_cast<int64_t>(size) != summary.at("bytes").get<int64_t>()) {
        return Status::DataLoss(
            fmt::format("store import: {}: {} bytes, the manifest says {} (an incomplete copy?)",
                        (dir / name).string(), size, summary.at("bytes").get<int64_t>()));
      }
    }
  } catch (const json::exception& e) {
    return Status::DataLoss(fmt::format("store import: {}: {}", path.string(), e.what()));
  }
  return manifest;
}

Result<std::vector<ImportPart>> ImportDirectoryExport(store::Store& store, const fs::path& dir,
                                                      Progress& progress) {
  GOODHART_ASSIGN_OR_RETURN(json manifest, ReadManifest(dir));
  const json& files = manifest.at("files");
  std::vector<ImportPart> parts;
  using Importer = Status (*)(store::Store&, LineReader&, Progress&, ImportPart*);
  struct Step {
    const char* file;
    const char* part;
    Importer run;
  };
  // The directory first (refused before anything is written when the histories differ), the git
  // heads last (a cursor: the commits must be in before it).
  const Step steps[] = {
      {kDirectoryFile, "directory_versions",
       [](store::Store& s, LineReader& in, Progress&, ImportPart* p) {
         return ImportDirectoryVersions(s, in, p);
       }},
      {kUsageFile, "usage_events", ImportUsage},
      {kDeliveryFile, "delivery_records", ImportDelivery},
      {kRawFile, "raw_deliveries", ImportRawDeliveries},
      {kGitHeadsFile, "git_heads",
       [](store::Store& s, LineReader& in, Progress&, ImportPart* p) {
         return ImportGitHeads(s, in, p);
       }},
      {kReviewFile, "flags", ImportReview},
  };
  for (const Step& step : steps) {
    ImportPart part{.name = step.part};
    if (!files.contains(step.file)) {
      parts.push_back(part);
      continue;
    }
    progress.StartItem(step.file);
    LineReader in(dir / step.file);
    GOODHART_RETURN_IF_ERROR(in.Check());
    GOODHART_RETURN_IF_ERROR(step.run(store, in, progress, &part));
    int64_t expected = files.at(step.file).value("records", int64_t{-1});
    if (in.records() != expected) {
      return Status::DataLoss(fmt::format("store import: {}: {} records, the manifest says {}",
                                          in.path().string(), in.records(), expected));
    }
    parts.push_back(part);
  }
  return parts;
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
    GOODHART_RETURN_IF_ERROR(out.Line(manifest.dump(2)));
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

Result<std::vector<ImportPart>> ImportIntoStore(store::Store& store, const std::string& path,
                                                Progress& progress) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return ImportDirectoryExport(store, path, progress);
  LineReader probe(path);
  GOODHART_RETURN_IF_ERROR(probe.Check());
  std::string first;
  bool delivery = false;
  if (probe.Next(&first)) {
    try {
      json j = json::parse(first);
      delivery = j.is_object() && j.contains("kind") && j.contains("record");
    } catch (const json::exception& e) {
      return Status::DataLoss(fmt::format("store import: {}: {}", probe.Where(), e.what()));
    }
  }
  progress.StartItem(path);
  LineReader in(path);
  GOODHART_RETURN_IF_ERROR(in.Check());
  ImportPart part{.name = delivery ? "delivery_records" : "usage_events"};
  GOODHART_RETURN_IF_ERROR(delivery ? ImportDelivery(store, in, progress, &part)
                                    : ImportUsage(store, in, progress, &part));
  return std::vector<ImportPart>{part};
}

}  // namespace goodhart::cli
