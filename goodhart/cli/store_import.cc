// `goodhart store import PATH` (store_transfer.h): appends an export directory, or one exported
// JSONL file, to a store exactly once.

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

constexpr size_t kImportUsageSlice = 20'000;  // as `goodhart ingest`
constexpr size_t kImportDeliverySlice = 5'000;
constexpr size_t kImportRawSlice = 500;

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
