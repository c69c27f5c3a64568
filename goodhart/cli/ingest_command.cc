// goodhart ingest FILE...: reads usage files (OTLP JSON, canonical JSONL, provider and Copilot
// reports) and delivery JSONL (store export --delivery) into the store; the format is detected
// from the content. Exit 0 means every record of
// every file is committed; exit 1 means something was not ingested (what was accepted is
// committed).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goodhart/base/json_text.h"
#include "goodhart/cli/command.h"
#include "goodhart/cli/progress.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/receivers/otlp_http/decode.h"

namespace goodhart::cli {
namespace {

namespace file = receivers::file;
namespace otlp = receivers::otlp;

struct IngestOptions {
  CommonOptions common;
  std::vector<std::string> files;
  std::string format = "table";
};

struct FileOutcome {
  std::string path;
  std::string format;
  int64_t stored = 0, duplicates = 0, rejected = 0;
  std::vector<std::string> errors;
};

// Commits in slices so a huge file never becomes one giant transaction.
constexpr size_t kSliceEvents = 20'000;

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::InvalidArgument(fmt::format("ingest: {}: cannot open", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<otlp::DecodeResult> DecodeOtlp(file::FileFormat format, std::string_view content,
                                      const otlp::DecodeOptions& options) {
  switch (format) {
    case file::FileFormat::kOtlpLogs:
      return otlp::DecodeLogs(content, options);
    case file::FileFormat::kOtlpMetrics:
      return otlp::DecodeMetrics(content, options);
    default:
      return otlp::DecodeTraces(content, options);
  }
}

bool IsOtlp(file::FileFormat format) {
  return format == file::FileFormat::kOtlpLogs || format == file::FileFormat::kOtlpMetrics ||
         format == file::FileFormat::kOtlpTraces;
}

// An OTLP JSON file: one export request (an OTLP/HTTP body), or one request per line (what the
// OpenTelemetry Collector's file exporter writes; each line may be another signal). A line that
// is not an OTLP request is rejected alone, named by its number. A file is read as lines only
// when it fails as one request and its first line is on its own a complete JSON object, so a
// pretty-printed or truncated request fails as a whole, with the decoder's message.
Result<file::FileDecodeResult> DecodeOtlpFile(const std::string& path, file::FileFormat format,
                                              std::string_view content,
                                              const otlp::DecodeOptions& options) {
  if (content.starts_with("\xEF\xBB\xBF"))
    content.remove_prefix(3);  // a UTF-8 byte order mark (some editors write one): not JSON
  file::FileDecodeResult out;
  auto add = [&](otlp::DecodeResult decoded, std::string_view where) {
    for (auto& e : decoded.batch.usage)
      out.batch.usage.push_back(std::move(e));
    out.rejected += decoded.rejected;
    if (!decoded.error_message.empty() && out.errors.size() < file::kMaxKeptErrors)
      out.errors.push_back(fmt::format("{}{}", where, decoded.error_message));
  };
  Result<otlp::DecodeResult> whole = DecodeOtlp(format, content, options);
  if (whole.ok()) {
    add(std::move(whole).value(), "");
    return out;
  }
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < content.size();) {
    size_t end = std::min(content.find('\n', at), content.size());
    lines.push_back(content.substr(at, end - at));
    at = end + 1;
  }
  auto blank = [](std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
  };
  if (std::count_if(lines.begin(), lines.end(), [&](auto l) { return !blank(l); }) < 2)
    return whole.status();  // one request, and it is not OTLP: the whole file fails
  const auto first = std::find_if_not(lines.begin(), lines.end(), blank);
  const size_t open = first->find_first_not_of(" \t\r");
  if ((*first)[open] != '{' || !nlohmann::json::accept(*first))
    return whole.status();  // not one request per line: one request that fails
  for (size_t i = 0; i < lines.size(); ++i) {
    if (blank(lines[i]))
      continue;
    const std::string where = fmt::format("line {}: ", i + 1);
    const file::FileFormat line_format = file::DetectFormat(path, lines[i]);
    Result<otlp::DecodeResult> decoded = IsOtlp(line_format)
                                             ? DecodeOtlp(line_format, lines[i], options)
                                             : Status::InvalidArgument(
                                                   "not an OTLP export request (resourceLogs, "
                                                   "resourceMetrics or resourceSpans)");
    if (!decoded.ok()) {
      out.rejected += 1;
      if (out.errors.size() < file::kMaxKeptErrors)
        out.errors.push_back(where + std::string(decoded.status().message()));
      continue;
    }
    add(std::move(decoded).value(), where);
  }
  return out;
}

Result<file::FileDecodeResult> Decode(const std::string& path, const std::string& content,
                                      const processors::PromptSketcher& sketcher,
                                      std::string* format_name) {
  file::FileFormat format = file::DetectFormat(path, content);
  *format_name = std::string(file::FileFormatName(format));
  if (format == file::FileFormat::kUnknown)
    return Status::InvalidArgument(fmt::format("ingest: {}: format not recognised", path));
  if (IsOtlp(format))
    return DecodeOtlpFile(path, format, content, {.sketcher = &sketcher});
  return file::DecodeFile(format, content);
}

Status IngestOne(Runtime& rt, const std::string& path, FileOutcome& outcome, Progress& progress) {
  GOODHART_ASSIGN_OR_RETURN(std::string content, ReadWholeFile(path));
  GOODHART_ASSIGN_OR_RETURN(auto decoded, Decode(path, content, rt.sketcher(), &outcome.format));
  outcome.rejected = decoded.rejected;
  outcome.errors = decoded.errors;
  auto& usage = decoded.batch.usage;
  // A batch holds usage or delivery records, never both (store.h): usage goes in slices so a huge
  // file never becomes one giant transaction, delivery records after it in one batch of their own.
  for (size_t begin = 0; begin < usage.size(); begin += kSliceEvents) {
    model::EventBatch slice;
    size_t end = std::min(usage.size(), begin + kSliceEvents);
    slice.usage.assign(std::make_move_iterator(usage.begin() + static_cast<ptrdiff_t>(begin)),
                       std::make_move_iterator(usage.begin() + static_cast<ptrdiff_t>(end)));
    GOODHART_ASSIGN_OR_RETURN(auto stats, rt.ingest().Consume(slice));
    outcome.stored += stats.inserted;
    outcome.duplicates += stats.duplicates;
    progress.Add(static_cast<int64_t>(end - begin));
  }
  usage.clear();
  if (decoded.batch.delivery_size() > 0) {
    GOODHART_ASSIGN_OR_RETURN(auto stats, rt.ingest().Consume(decoded.batch));
    outcome.stored += stats.inserted;
    outcome.duplicates += stats.duplicates;
    progress.Add(static_cast<int64_t>(decoded.batch.delivery_size()));
  }
  return Status::Ok();
}

int RunIngest(const IngestOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return ReportError(Status::InvalidArgument(
        fmt::format("ingest: --format: '{}' is not table|json", options.format)));
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  Runtime& rt = **opened;
  Progress progress("ingest", static_cast<int64_t>(options.files.size()));
  std::vector<FileOutcome> outcomes;
  bool failed = false;
  for (const auto& path : options.files) {
    FileOutcome outcome{.path = path};
    progress.StartItem(path);
    if (Status s = IngestOne(rt, path, outcome, progress); !s.ok()) {
      outcome.errors.insert(outcome.errors.begin(), s.message());
      failed = true;
    }
    if (outcome.rejected > 0)
      failed = true;
    outcomes.push_back(std::move(outcome));
  }
  progress.Finish();
  if (options.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outcomes) {
      out.push_back({{"file", o.path},
                     {"format", o.format},
                     {"stored", o.stored},
                     {"duplicates", o.duplicates},
                     {"rejected", o.rejected},
                     {"errors", o.errors}});
    }
    fmt::print("{}\n", JsonText(out, 2));
  } else {
    for (const auto& o : outcomes) {
      fmt::print("{}: {}: {} stored, {} duplicate, {} rejected\n", o.path,
                 o.format.empty() ? "?" : o.format, o.stored, o.duplicates, o.rejected);
      for (const auto& e : o.errors)
        fmt::print(stderr, "  error: {}\n", e);
    }
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

CommandRunner AddIngestCommand(CLI::App& app) {
  auto options = std::make_shared<IngestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Ingest files: OTLP JSON, canonical JSONL, Anthropic/OpenAI/Copilot reports, delivery JSONL");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("FILE", options->files, "Files to ingest")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", options->format, "Summary format: table|json");
  return [options, cmd]() -> int { return cmd->parsed() ? RunIngest(*options) : -1; };
}

}  // namespace goodhart::cli
