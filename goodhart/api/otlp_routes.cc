#include "goodhart/api/otlp_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/receivers/otlp_http/decode.h"

namespace goodhart::api {
namespace {

using DecodeFn = Result<receivers::otlp::DecodeResult> (*)(std::string_view,
                                                           const receivers::otlp::DecodeOptions&);

struct Signal {
  const char* path;
  Receiver receiver;
  DecodeFn decode;
  const char* rejected_field;  // the partial-success counter of this signal
};

constexpr Signal kSignals[] = {
    {"/v1/logs", Receiver::kOtlpLogs, &receivers::otlp::DecodeLogs, "rejectedLogRecords"},
    {"/v1/metrics", Receiver::kOtlpMetrics, &receivers::otlp::DecodeMetrics, "rejectedDataPoints"},
    {"/v1/traces", Receiver::kOtlpTraces, &receivers::otlp::DecodeTraces, "rejectedSpans"},
};

void Reply(httplib::Response& res, const Status& status) {
  res.status = HttpStatusFor(status.code());
  if (status.code() == StatusCode::kUnavailable)
    res.set_header("Retry-After", "5");
  // OTLP/HTTP answers errors with a google.rpc.Status; its JSON form carries code and message.
  nlohmann::json body = {{"code", static_cast<int>(status.code())}, {"message", status.message()}};
  res.set_content(body.dump(), "application/json");
}

bool IsJson(const httplib::Request& req) {
  if (!req.has_header("Content-Type"))
    return true;  // lenient: try JSON
  auto type = req.get_header_value("Content-Type");
  return type.rfind("application/json", 0) == 0;
}

}  // namespace

void AddOtlpRoutes(HttpServer& server, const OtlpRouteOptions& options, pipeline::Consumer& next,
                   IngestCounters& counters) {
  for (const Signal& signal : kSignals) {
    server.routes().Post(
        signal.path, [&, options, signal](const httplib::Request& req, httplib::Response& res,
                                          const httplib::ContentReader& reader) {
          auto& count = counters.of(signal.receiver);
          count.requests++;
          auto fail = [&](const Status& s) {
            count.requests_failed++;
            Reply(res, s);
          };
          if (!IsJson(req)) {
            fail(Status::InvalidArgument(
                fmt::format("otlp_http: Content-Type: '{}' is not supported; send application/json "
                            "(OTEL_EXPORTER_OTLP_PROTOCOL=http/json)",
                            req.get_header_value("Content-Type"))));
            res.status = 415;
            return;
          }
          std::string body;
          if (req.has_header("Content-Length")) {
            body.reserve(std::min<size_t>(
                std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10),
                static_cast<size_t>(options.decompressed_limit_bytes)));
          }
          bool too_large = false;
          bool read = reader([&](const char* data, size_t length) {
            if (body.size() + length > static_cast<size_t>(options.decompressed_limit_bytes)) {
              too_large = true;
              return false;
            }
            body.append(data, length);
            return true;
          });
          if (too_large || res.status == 413) {
            count.requests_failed++;
            res.status = 413;
            res.set_content(ErrorJson(Status::ResourceExhausted(fmt::format(
                                "otlp_http: body: larger than {} bytes after decompression",
                                options.decompressed_limit_bytes))),
                            "application/json");
            return;
          }
          if (!read) {
            return fail(Status::InvalidArgument(
                "otlp_http: body: could not be read (truncated, or a bad gzip stream)"));
          }
          count.bytes += static_cast<int64_t>(body.size());
          auto decoded = signal.decode(body, {.sketcher = options.sketcher});
          if (!decoded.ok())
            return fail(decoded.status());
          auto stored = next.Consume(decoded->batch);
          if (!stored.ok())
            return fail(stored.status());
          count.records_stored += stored->inserted;
          count.records_duplicate += stored->duplicates;
          count.records_rejected += decoded->rejected;
          res.status = 200;
          if (decoded->rejected > 0) {
            nlohmann::json partial;
            partial["partialSuccess"][signal.rejected_field] = std::to_string(decoded->rejected);
            partial["partialSuccess"]["errorMessage"] = decoded->error_message;
            res.set_content(partial.dump(), "application/json");
          } else {
            res.set_content("{}", "application/json");
          }
        });
  }
}

}  // namespace goodhart::api
