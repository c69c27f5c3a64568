// goodhart ingest FILE...: reads usage files (OTLP JSON, canonical JSONL, provider and Copilot
// reports) and delivery JSONL (store export --delivery) into the store; the format is detected
// from the content. Exit 0 means every record of
// every file is committed; exit 1 means something was not ingested (what was accepted is
// committed).
#include <fmt/format.h>
#include <unistd.h>

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

Result<file::FileDecodeResult> Decode(const std::string& path, const std::string& content,
                                      const processors::PromptSketcher& sketcher,
                                      std::string* format_name) {
  file::FileFormat format = file::DetectFormat(path, content);
  *format_name = std::string(file::FileFormatName(format));
  otlp::DecodeOptions options{.sketcher = &sketcher};
  Result<otlp::DecodeResult> decoded = Status::Internal("unset");
  switch (format) {
    case file::FileFormat::kOtlpLogs:
      decoded = otlp::DecodeLogs(content, options);
      break;
    case file::FileFormat::kOtlpMetrics:
      decoded = otlp::DecodeMetrics(content, options);
      break;
    case file::FileFormat::kOtlpTraces:
      decoded = otlp::DecodeTraces(content, options);
      break;
    case file::FileFormat::kUnknown:
      return Status::InvalidArgument(fmt::format("ingest: {}: format not recognised", path));
    default:
      return file::DecodeFile(format, content);
  }
  if (!decoded.ok())
    return decoded.status();
  file::FileDecodeResult out;
  out.batch = std::move(decoded->batch);
  out.rejected = decoded->rejected;
  if (!decoded->error_message.empty())
    out.errors.push_back(decoded->error_message);
  return out;
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
