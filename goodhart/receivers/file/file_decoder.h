// Decoding usage files that are not OTLP: vendor usage and cost reports (Anthropic Admin and
// Analytics APIs, OpenAI organization usage and costs), GitHub Copilot usage-metrics and billing
// exports, and goodhart's canonical JSONL. Each record becomes a model::UsageEvent with a
// deterministic event_key ("hash:<xxh3-128 of the record's identifying fields>"), so importing the
// same file twice stores nothing new. Pure functions, no I/O; README.md has the field mapping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"
#include "goodhart/receivers/file/canonical_jsonl.h"
#include "goodhart/receivers/file/delivery_jsonl.h"
#include "goodhart/receivers/file/file_format.h"

namespace goodhart::receivers::file {

inline constexpr size_t kMaxKeptErrors = 20;

struct FileDecodeResult {
  model::EventBatch batch;
  int64_t rejected = 0;             // records dropped as invalid
  std::vector<std::string> errors;  // the first kMaxKeptErrors rejections, "component: where: what"
  int64_t ignored = 0;  // valid records that carry no usage goodhart keeps (legacy Copilot days,
                        // org activity without tokens, actor-days with no model rows, ...)
};

// Decodes one file of a non-OTLP `format` (as found by DetectFormat). Record-level problems
// (a negative count, an amount that is not a number, a bad date) reject that record only: it is
// counted in `rejected`, its message kept among the first 20 in `errors`, and the rest is decoded.
// Whole-file problems (not JSON, `data` not an array, a CSV without the needed columns) are an
// InvalidArgument Result. kOtlp* formats are InvalidArgument ("use the OTLP decoder"); so is
// kUnknown. Every event in the batch passes UsageEvent::Validate().
Result<FileDecodeResult> DecodeFile(FileFormat format, std::string_view content);

}  // namespace goodhart::receivers::file
