// JSON form of the delivery entities (model/delivery.h), field names as in the structs. The store
// keeps delivery records in this form, `goodhart store export` writes it, and the API returns it.
// Reading is lenient about missing fields (they keep their defaults) so that records written by
// an older goodhart still load.
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/model/delivery.h"

namespace goodhart::model {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SourceRef, source, raw_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AiMarker, tool, model, kind, raw)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Trailer, key, value)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FileDiff, path, old_path, added, deleted, binary,
                                                exclusion, meaningful, copied, added_line_hashes,
                                                removed_line_hashes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Commit, ref, repo, sha, parents, author_name,
                                                author_email, committer_name, committer_email,
                                                authored_unix_ms, committed_unix_ms, subject,
                                                trailers, co_authors, files, patch_id,
                                                meaningful_lines, reverts_sha, ai_markers)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Release, ref, repo, tag, sha, created_unix_ms,
                                                prerelease)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PipelineRun, ref, id, attempt, repo, name, head_sha,
                                                head_branch, status, conclusion, started_unix_ms,
                                                finished_unix_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Change, ref, id, repo, number, author, author_type,
                                                co_authors, title, state, base_ref, head_ref,
                                                head_sha, merge_sha, created_unix_ms,
                                                first_commit_unix_ms, merged_unix_ms,
                                                closed_unix_ms, merged, merged_by, files, labels,
                                                additions, deletions, commit_count, ai_markers)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Review, ref, change_id, reviewer, state, commit_sha,
                                                submitted_unix_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Deployment, ref, id, service, environment,
                                                artifact_digest, commit_sha, pipeline_id, pipeline,
                                                repo, ref_name, environment_tier, status,
                                                rollout_fraction, started_unix_ms, finished_unix_ms,
                                                triggered_by)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Incident, ref, id, service, environment, severity,
                                                caused_by_deployment, title, status,
                                                started_unix_ms, detected_unix_ms, resolved_unix_ms,
                                                initial_severity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RawDelivery, dedupe_key, source, event,
                                                received_unix_ms, body)

}  // namespace goodhart::model
