#include "goodhart/receivers/file/delivery_jsonl.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/model/json_numbers.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file {
namespace {

using nlohmann::json;

template <typename T>
void AppendLines(std::string& out, const char* kind, const std::vector<T>& records) {
  for (const T& r : records) {
    out += JsonText(json{{"kind", kind}, {"record", r}});
    out += '\n';
  }
}

// The fields that make up a record's identity (store/delivery_merge.h DeliveryKey) must be there.
std::string MissingIdentity(const model::Commit& r) {
  return r.repo.empty() ? "repo" : r.sha.empty() ? "sha" : "";
}
std::string MissingIdentity(const model::Change& r) { return r.id.empty() ? "id" : ""; }
std::string MissingIdentity(const model::Review& r) {
  return r.change_id.empty() ? "change_id" : r.reviewer.empty() ? "reviewer" : "";
}
std::string MissingIdentity(const model::Release& r) {
  return r.repo.empty() ? "repo" : r.tag.empty() ? "tag" : "";
}
std::string MissingIdentity(const model::PipelineRun& r) { return r.id.empty() ? "id" : ""; }
std::string MissingIdentity(const model::Deployment& r) { return r.id.empty() ? "id" : ""; }
std::string MissingIdentity(const model::Incident& r) { return r.id.empty() ? "id" : ""; }

template <typename T>
Status Take(const json& record, std::vector<T>& into) {
  GOODHART_RETURN_IF_ERROR(model::CheckJsonNumbersFit(record));
  T value = record.get<T>();
  if (std::string missing = MissingIdentity(value); !missing.empty())
    return Status::InvalidArgument(fmt::format("record.{}: missing", missing));
  into.push_back(std::move(value));
  return Status::Ok();
}

Status DecodeLine(std::string_view line, model::EventBatch& batch) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Status::InvalidArgument("not a JSON object");
  auto kind = j.find("kind");
  auto record = j.find("record");
  if (kind == j.end() || !kind->is_string())
    return Status::InvalidArgument("kind: missing or not a string");
  if (record == j.end() || !record->is_object())
    return Status::InvalidArgument("record: missing or not an object");
  const std::string& k = kind->get_ref<const std::string&>();
  try {
    if (k == "commit")
      return Take(*record, batch.commits);
    if (k == "change")
      return Take(*record, batch.changes);
    if (k == "review")
      return Take(*record, batch.reviews);
    if (k == "release")
      return Take(*record, batch.releases);
    if (k == "pipeline_run")
      return Take(*record, batch.pipeline_runs);
    if (k == "deployment")
      return Take(*record, batch.deployments);
    if (k == "incident")
      return Take(*record, batch.incidents);
  } catch (const json::exception& e) {
    // nlohmann names the offending type, e.g. "type must be number, but is string".
    return Status::InvalidArgument(fmt::format("record: {}", e.what()));
  }
  return Status::InvalidArgument(fmt::format(
      "kind: '{}' is not commit|change|review|release|pipeline_run|deployment|incident", k));
}

}  // namespace

std::string EncodeDeliveryJsonl(const model::EventBatch& batch) {
  std::string out;
  AppendLines(out, "commit", batch.commits);
  AppendLines(out, "change", batch.changes);
  AppendLines(out, "review", batch.reviews);
  AppendLines(out, "release", batch.releases);
  AppendLines(out, "pipeline_run", batch.pipeline_runs);
  AppendLines(out, "deployment", batch.deployments);
  AppendLines(out, "incident", batch.incidents);
  return out;
}

Status DecodeDeliveryJsonl(std::string_view content, FileDecodeResult* out) {
  internal::RecordSink sink("delivery", out);
  internal::ForEachJsonLine(content, [&](int64_t line_number, std::string_view line) {
    if (Status s = DecodeLine(line, out->batch); !s.ok())
      sink.Reject(fmt::format("line {}", line_number), s);
  });
  return Status::Ok();
}

}  // namespace goodhart::receivers::file
