#include "goodhart/api/webhook_routes.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/base/json_text.h"
#include "goodhart/receivers/webhook/cdevents_decoder.h"
#include "goodhart/receivers/webhook/generic_decoder.h"
#include "goodhart/receivers/webhook/github_decoder.h"
#include "goodhart/receivers/webhook/github_signature.h"
#include "goodhart/receivers/webhook/gitlab_decoder.h"

namespace goodhart::api {
namespace {

using receivers::webhook::WebhookResult;

struct Outcome {
  model::AppendStats stats;
  bool ignored = true;
  bool duplicate = true;
  std::string event;
};

void ReplyError(httplib::Response& res, IngestCounters::PerReceiver& count, const Status& status) {
  count.requests_failed++;
  api::ReplyError(res, status);
}

void ReplyOk(httplib::Response& res, IngestCounters::PerReceiver& count, const Outcome& o) {
  count.records_stored += o.stats.inserted;
  count.records_duplicate += o.stats.duplicates;
  res.status = 200;
  nlohmann::json body = {{"stored", o.stats.inserted},
                         {"duplicates", o.stats.duplicates},
                         {"ignored", o.ignored},
                         {"duplicate", o.duplicate},
                         {"event", o.event}};
  res.set_content(JsonText(body), "application/json");
}

// Commits one decoded delivery with its raw body. A delivery the store already holds comes back
// as all duplicates.
Status Store(WebhookResult& result, const std::string& body, int64_t now, pipeline::Consumer& next,
             Outcome* outcome) {
  result.batch.raw_deliveries.push_back(
      {result.dedupe_key, result.source, result.event, now, body});
  GOODHART_ASSIGN_OR_RETURN(model::AppendStats stats, next.Consume(result.batch));
  // The raw delivery is new unless the store skipped the batch as a retry, which it reports
  // as no insert and every record a duplicate; a new delivery of an ignored event has neither.
  bool retry = stats.inserted == 0 && stats.duplicates == static_cast<int64_t>(result.batch.size());
  outcome->duplicate = outcome->duplicate && retry && result.batch.size() > 0;
  outcome->ignored = outcome->ignored && result.ignored;
  outcome->stats += stats;
  if (!outcome->event.empty())
    outcome->event += ",";
  outcome->event += result.event;
  return Status::Ok();
}

int64_t Now(const WebhookRouteOptions& options) {
  return (options.clock ? *options.clock : SystemClock::Get()).NowMillis();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using Handler = std::function<Result<std::vector<WebhookResult>>(const httplib::Request&)>;

// The common part of every route: counts, decodes, stores, answers.
void Route(HttpServer& server, const char* path, Receiver receiver,
           const WebhookRouteOptions& options, pipeline::Consumer& next, IngestCounters& counters,
           Handler decode) {
  server.routes().Post(
      path, [&, options, receiver, decode](const httplib::Request& req, httplib::Response& res) {
        auto& count = counters.of(receiver);
        count.requests++;
        count.bytes += static_cast<int64_t>(req.body.size());
        Result<std::vector<WebhookResult>> decoded = decode(req);
        if (!decoded.ok())
          return ReplyError(res, count, decoded.status());
        Outcome outcome;
        int64_t now = Now(options);
        for (WebhookResult& r : *decoded) {
          if (Status s = Store(r, req.body, now, next, &outcome); !s.ok())
            return ReplyError(res, count, s);
        }
        ReplyOk(res, count, outcome);
      });
}

Result<std::vector<WebhookResult>> One(Result<WebhookResult> r) {
  if (!r.ok())
    return r.status();
  std::vector<WebhookResult> out;
  out.push_back(std::move(*r));
  return out;
}

}  // namespace

void AddWebhookRoutes(HttpServer& server, const WebhookRouteOptions& options,
                      pipeline::Consumer& next, IngestCounters& counters) {
  Route(server, "/hooks/github", Receiver::kGithub, options, next, counters,
        [secret = options.github_secret](
            const httplib::Request& req) -> Result<std::vector<WebhookResult>> {
          if (!secret.empty()) {
            GOODHART_RETURN_IF_ERROR(receivers::webhook::VerifyGithubSignature(
                secret, req.body, req.get_header_value("X-Hub-Signature-256")));
          }
          std::string event = req.get_header_value("X-GitHub-Event");
          if (event.empty()) {
            return Status::InvalidArgument(
                "github_webhook: X-GitHub-Event: missing (is this a GitHub webhook?)");
          }
          return One(receivers::webhook::DecodeGithub(
              event, req.get_header_value("X-GitHub-Delivery"), req.body));
        });

  Route(server, "/hooks/gitlab", Receiver::kGitlab, options, next, counters,
        [token = options.gitlab_token](
            const httplib::Request& req) -> Result<std::vector<WebhookResult>> {
          if (!token.empty()) {
            GOODHART_RETURN_IF_ERROR(receivers::webhook::VerifyGitlabToken(
                token, req.get_header_value("X-Gitlab-Token")));
          }
          std::string event = req.get_header_value("X-Gitlab-Event");
          if (event.empty()) {
            return Status::InvalidArgument(
                "gitlab_webhook: X-Gitlab-Event: missing (is this a GitLab webhook?)");
          }
          std::string key = req.get_header_value("Idempotency-Key");
          if (key.empty())
            key = req.get_header_value("X-Gitlab-Event-UUID");
          return One(receivers::webhook::DecodeGitlab(event, key, req.body));
        });

  Route(server, "/hooks/cdevents", Receiver::kCdevents, options, next, counters,
        [](const httplib::Request& req) -> Result<std::vector<WebhookResult>> {
          std::map<std::string, std::string> ce;
          for (const auto& [name, value] : req.headers) {
            std::string lower = Lower(name);
            if (lower.rfind("ce-", 0) == 0)
              ce[lower] = value;
          }
          return receivers::webhook::DecodeCdevents(req.get_header_value("Content-Type"), ce,
                                                    req.body);
        });

  Route(server, "/api/v1/deployments", Receiver::kDeploymentsApi, options, next, counters,
        [](const httplib::Request& req) -> Result<std::vector<WebhookResult>> {
          return One(receivers::webhook::DecodeGenericDeployment(req.body));
        });

  Route(server, "/api/v1/incidents", Receiver::kIncidentsApi, options, next, counters,
        [](const httplib::Request& req) -> Result<std::vector<WebhookResult>> {
          return One(receivers::webhook::DecodeGenericIncident(req.body));
        });
}

}  // namespace goodhart::api
