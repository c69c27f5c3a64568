// Writes a world's deployments (wire_records.h) as the requests a CD system sends to goodhart's
// deployment API, `POST /api/v1/deployments` in Apache DevLake's webhook shape with goodhart's
// `service` field: `<n>.json` (the body) and `<n>.headers`, numbered by finish time. One request
// per deployment: id, result SUCCESS, environment production, service, started and finished
// dates, and the one commit it deployed (repoUrl https://github.com/<repo>, commitSha, refName).
#pragma once

#include <string>

#include "goodhart/base/status.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {

// Writes into `dir` (created); returns how many requests.
Result<int64_t> WriteDeploymentRequests(const WireRecords& records, const std::string& dir);

}  // namespace goodhart::simulate::emit
