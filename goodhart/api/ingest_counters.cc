#include "goodhart/api/ingest_counters.h"

#include <nlohmann/json.hpp>

namespace goodhart::api {

std::string_view ReceiverName(Receiver r) {
  switch (r) {
    case Receiver::kOtlpLogs:
      return "otlp_logs";
    case Receiver::kOtlpMetrics:
      return "otlp_metrics";
    case Receiver::kOtlpTraces:
      return "otlp_traces";
    case Receiver::kGithub:
      return "github";
    case Receiver::kGitlab:
      return "gitlab";
    case Receiver::kCdevents:
      return "cdevents";
    case Receiver::kDeploymentsApi:
      return "deployments_api";
    case Receiver::kIncidentsApi:
      return "incidents_api";
    case Receiver::kCount:
      break;
  }
  return "unknown";
}

nlohmann::json IngestCounters::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < per_.size(); ++i) {
    const auto& p = per_[i];
    out[std::string(ReceiverName(static_cast<Receiver>(i)))] = {
        {"requests", p.requests.load()},
        {"requests_failed", p.requests_failed.load()},
        {"records_stored", p.records_stored.load()},
        {"records_duplicate", p.records_duplicate.load()},
        {"records_rejected", p.records_rejected.load()},
        {"bytes", p.bytes.load()}};
  }
  return out;
}

}  // namespace goodhart::api
