#include "goodhart/simulate/emit/deployment_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goodhart/simulate/emit/wire_ids.h"

namespace goodhart::simulate::emit {

Result<int64_t> WriteDeploymentRequests(const WireRecords& records, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Status::Unavailable(fmt::format("simulate: emit: {}: {}", dir, ec.message()));
  std::vector<const model::Deployment*> order;
  for (const model::Deployment& d : records.deployments)
    order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->finished_unix_ms < b->finished_unix_ms;
  });
  int64_t n = 0;
  for (const model::Deployment* d : order) {
    nlohmann::json body = {
        {"id", d->ref.raw_id},
        {"result", "SUCCESS"},
        {"environment", d->environment},
        {"service", d->service},
        {"displayTitle", fmt::format("deploy {} to {}", d->service, d->environment)},
        {"startedDate", GithubTime(d->started_unix_ms)},
        {"finishedDate", GithubTime(d->finished_unix_ms)},
        {"deploymentCommits",
         {{{"repoUrl", fmt::format("https://github.com/{}", d->repo)},
           {"commitSha", d->commit_sha},
           {"refName", d->ref_name}}}}};
    const std::string stem = (fs::path(dir) / fmt::format("{:06d}", ++n)).string();
    std::ofstream(stem + ".headers", std::ios::binary | std::ios::trunc)
        << "Content-Type: application/json\n";
    std::ofstream out(stem + ".json", std::ios::binary | std::ios::trunc);
    out << body.dump();
    if (!out.flush())
      return Status::Unavailable(fmt::format("simulate: emit: {}.json: cannot write", stem));
  }
  return n;
}

}  // namespace goodhart::simulate::emit
