// Writes the GitHub webhook deliveries of a world (wire_records.h) as files a replay can post
// unchanged: for each delivery a body (<n>-<event>.json, the exact bytes to send) and its headers
// (<n>-<event>.headers, one "Name: value" per line: X-GitHub-Event, X-GitHub-Delivery, the hook
// ids, and X-Hub-Signature-256 when a secret is given). Deliveries are numbered in the order GitHub
// would have sent them (event time). Per merged pull request: `pull_request` closed (merged);
// per approval: `pull_request_review` submitted. Deployments go through deployment_writer.h.
#pragma once

#include <string>

#include "goodhart/base/status.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {

struct GithubWriteStats {
  int64_t deliveries = 0;
  int64_t bytes = 0;
};

// Writes into `dir` (created). `secret` empty: no signature header.
Result<GithubWriteStats> WriteGithubDeliveries(const WireRecords& records, const std::string& dir,
                                               const std::string& secret);

// "sha256=" + hex HMAC-SHA256(secret, body), GitHub's X-Hub-Signature-256.
std::string GithubSignature(const std::string& secret, const std::string& body);

}  // namespace goodhart::simulate::emit
