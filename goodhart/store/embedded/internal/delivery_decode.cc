#include "goodhart/store/embedded/internal/delivery_decode.h"

#include <fmt/format.h>

#include <cstring>

#include "goodhart/base/float_fits.h"

namespace goodhart::store::internal {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::value;

error_code Read(value v, std::string* out) {
  std::string_view s;
  error_code e = v.get_string().get(s);
  if (e == SUCCESS)
    out->assign(s);
  return e;
}

// nlohmann converts between number kinds on read; so does this.
error_code Read(value v, int64_t* out) {
  simdjson::ondemand::number_type type;
  if (error_code e = v.get_number_type().get(type); e != SUCCESS)
    return e;
  if (type == simdjson::ondemand::number_type::signed_integer)
    return v.get_int64().get(*out);
  if (type == simdjson::ondemand::number_type::unsigned_integer) {
    uint64_t u = 0;
    error_code e = v.get_uint64().get(u);
    *out = static_cast<int64_t>(u);
    return e;
  }
  double d = 0;
  if (error_code e = v.get_double().get(d); e != SUCCESS)
    return e;
  // A fraction is truncated as nlohmann does; a value no int64 holds is damage, not a number to
  // convert (the conversion would be undefined).
  if (!TruncatesIntoInt64(d))
    return simdjson::NUMBER_OUT_OF_RANGE;
  *out = static_cast<int64_t>(d);
  return SUCCESS;
}

error_code Read(value v, uint64_t* out) {
  simdjson::ondemand::number_type type;
  if (error_code e = v.get_number_type().get(type); e != SUCCESS)
    return e;
  if (type == simdjson::ondemand::number_type::unsigned_integer)
    return v.get_uint64().get(*out);
  if (type == simdjson::ondemand::number_type::signed_integer) {
    int64_t i = 0;
    error_code e = v.get_int64().get(i);
    *out = static_cast<uint64_t>(i);
    return e;
  }
  double d = 0;
  if (error_code e = v.get_double().get(d); e != SUCCESS)
    return e;
  if (!TruncatesIntoUint64(d))  // as above: truncated, or damage when no uint64 holds it
    return simdjson::NUMBER_OUT_OF_RANGE;
  *out = static_cast<uint64_t>(d);
  return SUCCESS;
}

error_code Read(value v, double* out) { return v.get_double().get(*out); }

error_code Read(value v, bool* out) { return v.get_bool().get(*out); }

template <typename T>
error_code ReadObject(value v, T* out);

error_code Read(value v, model::SourceRef* out) { return ReadObject(v, out); }
error_code Read(value v, model::AiMarker* out) { return ReadObject(v, out); }
error_code Read(value v, model::Trailer* out) { return ReadObject(v, out); }
error_code Read(value v, model::FileDiff* out) { return ReadObject(v, out); }

template <typename T>
error_code Read(value v, std::vector<T>* out) {
  simdjson::ondemand::array array;
  if (error_code e = v.get_array().get(array); e != SUCCESS)
    return e;
  out->clear();
  for (auto element : array) {
    value item;
    if (error_code e = std::move(element).get(item); e != SUCCESS)
      return e;
    T t{};
    if (error_code e = Read(item, &t); e != SUCCESS)
      return e;
    out->push_back(std::move(t));
  }
  return SUCCESS;
}

// Field(key, value, record): reads one field if the type has it; unknown keys are skipped. The
// lists follow delivery_json.h.
error_code Field(std::string_view k, value v, model::SourceRef* r) {
  if (k == "source")
    return Read(v, &r->source);
  if (k == "raw_id")
    return Read(v, &r->raw_id);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::AiMarker* r) {
  if (k == "tool")
    return Read(v, &r->tool);
  if (k == "model")
    return Read(v, &r->model);
  if (k == "kind")
    return Read(v, &r->kind);
  if (k == "raw")
    return Read(v, &r->raw);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Trailer* r) {
  if (k == "key")
    return Read(v, &r->key);
  if (k == "value")
    return Read(v, &r->value);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::FileDiff* r) {
  if (k == "path")
    return Read(v, &r->path);
  if (k == "old_path")
    return Read(v, &r->old_path);
  if (k == "added")
    return Read(v, &r->added);
  if (k == "deleted")
    return Read(v, &r->deleted);
  if (k == "binary")
    return Read(v, &r->binary);
  if (k == "exclusion")
    return Read(v, &r->exclusion);
  if (k == "meaningful")
    return Read(v, &r->meaningful);
  if (k == "copied")
    return Read(v, &r->copied);
  if (k == "added_line_hashes")
    return Read(v, &r->added_line_hashes);
  if (k == "removed_line_hashes")
    return Read(v, &r->removed_line_hashes);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Commit* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "repo")
    return Read(v, &r->repo);
  if (k == "sha")
    return Read(v, &r->sha);
  if (k == "parents")
    return Read(v, &r->parents);
  if (k == "author_name")
    return Read(v, &r->author_name);
  if (k == "author_email")
    return Read(v, &r->author_email);
  if (k == "committer_name")
    return Read(v, &r->committer_name);
  if (k == "committer_email")
    return Read(v, &r->committer_email);
  if (k == "authored_unix_ms")
    return Read(v, &r->authored_unix_ms);
  if (k == "committed_unix_ms")
    return Read(v, &r->committed_unix_ms);
  if (k == "subject")
    return Read(v, &r->subject);
  if (k == "trailers")
    return Read(v, &r->trailers);
  if (k == "co_authors")
    return Read(v, &r->co_authors);
  if (k == "files")
    return Read(v, &r->files);
  if (k == "patch_id")
    return Read(v, &r->patch_id);
  if (k == "meaningful_lines")
    return Read(v, &r->meaningful_lines);
  if (k == "reverts_sha")
    return Read(v, &r->reverts_sha);
  if (k == "ai_markers")
    return Read(v, &r->ai_markers);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Release* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "repo")
    return Read(v, &r->repo);
  if (k == "tag")
    return Read(v, &r->tag);
  if (k == "sha")
    return Read(v, &r->sha);
  if (k == "created_unix_ms")
    return Read(v, &r->created_unix_ms);
  if (k == "prerelease")
    return Read(v, &r->prerelease);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::PipelineRun* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "id")
    return Read(v, &r->id);
  if (k == "attempt")
    return Read(v, &r->attempt);
  if (k == "repo")
    return Read(v, &r->repo);
  if (k == "name")
    return Read(v, &r->name);
  if (k == "head_sha")
    return Read(v, &r->head_sha);
  if (k == "head_branch")
    return Read(v, &r->head_branch);
  if (k == "status")
    return Read(v, &r->status);
  if (k == "conclusion")
    return Read(v, &r->conclusion);
  if (k == "started_unix_ms")
    return Read(v, &r->started_unix_ms);
  if (k == "finished_unix_ms")
    return Read(v, &r->finished_unix_ms);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Change* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "id")
    return Read(v, &r->id);
  if (k == "repo")
    return Read(v, &r->repo);
  if (k == "number")
    return Read(v, &r->number);
  if (k == "author")
    return Read(v, &r->author);
  if (k == "author_type")
    return Read(v, &r->author_type);
  if (k == "co_authors")
    return Read(v, &r->co_authors);
  if (k == "title")
    return Read(v, &r->title);
  if (k == "state")
    return Read(v, &r->state);
  if (k == "base_ref")
    return Read(v, &r->base_ref);
  if (k == "head_ref")
    return Read(v, &r->head_ref);
  if (k == "head_sha")
    return Read(v, &r->head_sha);
  if (k == "merge_sha")
    return Read(v, &r->merge_sha);
  if (k == "created_unix_ms")
    return Read(v, &r->created_unix_ms);
  if (k == "first_commit_unix_ms")
    return Read(v, &r->first_commit_unix_ms);
  if (k == "merged_unix_ms")
    return Read(v, &r->merged_unix_ms);
  if (k == "closed_unix_ms")
    return Read(v, &r->closed_unix_ms);
  if (k == "merged")
    return Read(v, &r->merged);
  if (k == "merged_by")
    return Read(v, &r->merged_by);
  if (k == "files")
    return Read(v, &r->files);
  if (k == "labels")
    return Read(v, &r->labels);
  if (k == "additions")
    return Read(v, &r->additions);
  if (k == "deletions")
    return Read(v, &r->deletions);
  if (k == "commit_count")
    return Read(v, &r->commit_count);
  if (k == "ai_markers")
    return Read(v, &r->ai_markers);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Review* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "change_id")
    return Read(v, &r->change_id);
  if (k == "reviewer")
    return Read(v, &r->reviewer);
  if (k == "state")
    return Read(v, &r->state);
  if (k == "commit_sha")
    return Read(v, &r->commit_sha);
  if (k == "submitted_unix_ms")
    return Read(v, &r->submitted_unix_ms);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Deployment* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "id")
    return Read(v, &r->id);
  if (k == "service")
    return Read(v, &r->service);
  if (k == "environment")
    return Read(v, &r->environment);
  if (k == "artifact_digest")
    return Read(v, &r->artifact_digest);
  if (k == "commit_sha")
    return Read(v, &r->commit_sha);
  if (k == "pipeline_id")
    return Read(v, &r->pipeline_id);
  if (k == "pipeline")
    return Read(v, &r->pipeline);
  if (k == "repo")
    return Read(v, &r->repo);
  if (k == "ref_name")
    return Read(v, &r->ref_name);
  if (k == "environment_tier")
    return Read(v, &r->environment_tier);
  if (k == "status")
    return Read(v, &r->status);
  if (k == "rollout_fraction")
    return Read(v, &r->rollout_fraction);
  if (k == "started_unix_ms")
    return Read(v, &r->started_unix_ms);
  if (k == "finished_unix_ms")
    return Read(v, &r->finished_unix_ms);
  if (k == "triggered_by")
    return Read(v, &r->triggered_by);
  return SUCCESS;
}

error_code Field(std::string_view k, value v, model::Incident* r) {
  if (k == "ref")
    return Read(v, &r->ref);
  if (k == "id")
    return Read(v, &r->id);
  if (k == "service")
    return Read(v, &r->service);
  if (k == "environment")
    return Read(v, &r->environment);
  if (k == "severity")
    return Read(v, &r->severity);
  if (k == "initial_severity")
    return Read(v, &r->initial_severity);
  if (k == "caused_by_deployment")
    return Read(v, &r->caused_by_deployment);
  if (k == "title")
    return Read(v, &r->title);
  if (k == "status")
    return Read(v, &r->status);
  if (k == "started_unix_ms")
    return Read(v, &r->started_unix_ms);
  if (k == "detected_unix_ms")
    return Read(v, &r->detected_unix_ms);
  if (k == "resolved_unix_ms")
    return Read(v, &r->resolved_unix_ms);
  return SUCCESS;
}

template <typename Object, typename T>
error_code ReadFields(Object& object, T* out) {
  for (auto entry : object) {
    simdjson::ondemand::field field;
    if (error_code e = std::move(entry).get(field); e != SUCCESS)
      return e;
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key); e != SUCCESS)
      return e;
    if (error_code e = Field(key, field.value(), out); e != SUCCESS)
      return e;
  }
  return SUCCESS;
}

template <typename T>
error_code ReadObject(value v, T* out) {
  simdjson::ondemand::object object;
  if (error_code e = v.get_object().get(object); e != SUCCESS)
    return e;
  return ReadFields(object, out);
}

}  // namespace

template <typename T>
Status DeliveryDecoder::DecodeAny(std::string_view json, std::string_view key, T* out) {
  buffer_.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  *out = T{};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  error_code e = parser_.iterate(buffer_.data(), json.size(), buffer_.size()).get(doc);
  if (e == SUCCESS)
    e = doc.get_object().get(object);
  if (e == SUCCESS)
    e = ReadFields(object, out);
  // Anything after the object (current_location is OUT_OF_BOUNDS at the end) is an error, as
  // it is for nlohmann.
  if (e == SUCCESS && doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    e = simdjson::TRAILING_CONTENT;
  if (e != SUCCESS) {
    return Status::DataLoss(fmt::format("embedded_store: delivery record {}: unreadable: {}", key,
                                        simdjson::error_message(e)));
  }
  return Status::Ok();
}

Status DeliveryDecoder::Decode(std::string_view json, std::string_view key, model::Commit* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key, model::Change* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key, model::Review* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key, model::Release* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key,
                               model::PipelineRun* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key,
                               model::Deployment* out) {
  return DecodeAny(json, key, out);
}
Status DeliveryDecoder::Decode(std::string_view json, std::string_view key, model::Incident* out) {
  return DecodeAny(json, key, out);
}

}  // namespace goodhart::store::internal
