#include "goodhart/api/otlp_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "goodhart/api/http_status.h"
#include "goodhart/api/otlp_export.h"
#include "goodhart/base/json_text.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/protobuf.h"

namespace goodhart::api {
namespace {

using receivers::otlp::OtlpSignal;

struct Signal {
  const char* path;
  OtlpSignal otlp;
  const char* rejected_field;  // the partial-success counter of this signal
};

constexpr Signal kSignals[] = {
    {"/v1/logs", OtlpSignal::kLogs, "rejectedLogRecords"},
    {"/v1/metrics", OtlpSignal::kMetrics, "rejectedDataPoints"},
    {"/v1/traces", OtlpSignal::kTraces, "rejectedSpans"},
};

// OTLP/HTTP's two encodings; an answer goes in the encoding of its request.
using Encoding = OtlpEncoding;
constexpr const char* kProtobufType = "application/x-protobuf";

void Reply(httplib::Response& res, const Status& status, Encoding encoding) {
  res.status = HttpStatusFor(status.code());
  if (status.code() == StatusCode::kUnavailable)
    res.set_header("Retry-After", "5");
  // OTLP/HTTP answers errors with a google.rpc.Status (code and message).
  if (encoding == Encoding::kProtobuf) {
    res.set_content(receivers::otlp::EncodeRpcStatus(RpcCode(status.code()), status.message()),
                    kProtobufType);
    return;
  }
  nlohmann::json body = {{"code", RpcCode(status.code())}, {"message", status.message()}};
  res.set_content(JsonText(body), "application/json");
}

// A request body buffer each server thread keeps: read in place (one allocation, sized from
// Content-Length when sent) with kBodyPaddingBytes of zeros after the body, so the decoder parses
// it without copying it again. Pages stay mapped between requests; a buffer grown past
// kKeepBodyBytes is released after its request.
class BodyBuffer {
 public:
  static constexpr size_t kKeepBodyBytes = 16 << 20;

  void Start(size_t expected) {
    size_ = 0;
    Reserve(expected);
  }
  void Append(const char* data, size_t length) {
    if (size_ + length > capacity_)
      Reserve(std::max(size_ + length, capacity_ * 2));
    std::memcpy(buffer_.get() + size_, data, length);
    size_ += length;
  }
  // The body, followed by kBodyPaddingBytes zero bytes.
  std::string_view Padded() {
    Reserve(size_);
    std::memset(buffer_.get() + size_, 0, receivers::otlp::kBodyPaddingBytes);
    return {buffer_.get(), size_};
  }
  size_t size() const { return size_; }
  void Finish() {
    if (capacity_ > kKeepBodyBytes) {
      buffer_.reset();
      capacity_ = 0;
    }
    size_ = 0;
  }

 private:
  void Reserve(size_t body_bytes) {
    // An empty first body still needs the padding: capacity 0 with no allocation is not enough.
    if (buffer_ != nullptr && body_bytes <= capacity_)
      return;
    auto grown =
        std::make_unique_for_overwrite<char[]>(body_bytes + receivers::otlp::kBodyPaddingBytes);
    if (size_ > 0)
      std::memcpy(grown.get(), buffer_.get(), size_);
    buffer_ = std::move(grown);
    capacity_ = body_bytes;
  }
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // body bytes; the allocation has kBodyPaddingBytes more
  size_t size_ = 0;
};

// The request's encoding by its Content-Type; nullopt for a type OTLP/HTTP does not define.
std::optional<Encoding> EncodingOf(const httplib::Request& req) {
  if (!req.has_header("Content-Type"))
    return Encoding::kJson;  // lenient: try JSON
  auto type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) == 0)
    return Encoding::kJson;
  if (type.rfind(kProtobufType, 0) == 0)
    return Encoding::kProtobuf;
  return std::nullopt;
}

}  // namespace

void AddOtlpRoutes(HttpServer& server, const OtlpRouteOptions& options, pipeline::Consumer& next,
                   IngestCounters& counters) {
  for (const Signal& signal : kSignals) {
    server.routes().Post(
        signal.path, [&, options, signal](const httplib::Request& req, httplib::Response& res,
                                          const httplib::ContentReader& reader) {
          auto& count = counters.of(ReceiverOf(signal.otlp));
          count.requests++;
          const std::optional<Encoding> encoding = EncodingOf(req);
          auto fail = [&](const Status& s) {
            count.requests_failed++;
            Reply(res, s, encoding.value_or(Encoding::kJson));
          };
          if (!encoding) {
            fail(Status::InvalidArgument(fmt::format(
                "otlp_http: Content-Type: '{}' is not supported; send application/json or "
                "application/x-protobuf (OTEL_EXPORTER_OTLP_PROTOCOL=http/json or http/protobuf)",
                req.get_header_value("Content-Type"))));
            res.status = 415;
            return;
          }
          thread_local BodyBuffer body;
          struct FinishBody {
            BodyBuffer& body;
            ~FinishBody() { body.Finish(); }
          } finish_body{body};
          size_t expected = 0;
          if (req.has_header("Content-Length") && !req.has_header("Content-Encoding")) {
            expected = std::min<size_t>(
                std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10),
                static_cast<size_t>(options.decompressed_limit_bytes));
          }
          body.Start(expected);
          bool too_large = false;
          bool read = reader([&](const char* data, size_t length) {
            if (body.size() + length > static_cast<size_t>(options.decompressed_limit_bytes)) {
              too_large = true;
              return false;
            }
            body.Append(data, length);
            return true;
          });
          if (too_large || res.status == 413) {
            // cpp-httplib answers 413 itself for a body over server.body_limit_bytes as sent.
            fail(Status::ResourceExhausted(
                too_large ? fmt::format("otlp_http: body: larger than {} bytes after decompression",
                                        options.decompressed_limit_bytes)
                          : fmt::format("otlp_http: body: larger than {} bytes as sent",
                                        options.body_limit_bytes)));
            res.status = 413;
            return;
          }
          if (!read) {
            return fail(Status::InvalidArgument(
                "otlp_http: body: could not be read (truncated, or a bad gzip stream)"));
          }
          count.bytes += static_cast<int64_t>(body.size());
          auto exported = ExportOtlp(signal.otlp, *encoding, body.Padded(),
                                     {.decompressed_limit_bytes = options.decompressed_limit_bytes,
                                      .sketcher = options.sketcher},
                                     next, count);
          if (!exported.ok()) {
            fail(exported.status());
            if (exported.status().code() == StatusCode::kResourceExhausted)
              res.status = 413;
            return;
          }
          res.status = 200;
          if (*encoding == Encoding::kProtobuf) {
            res.set_content(
                receivers::otlp::EncodeExportResponse(exported->rejected, exported->error_message),
                kProtobufType);
          } else if (exported->rejected > 0) {
            nlohmann::json partial;
            partial["partialSuccess"][signal.rejected_field] = std::to_string(exported->rejected);
            partial["partialSuccess"]["errorMessage"] = exported->error_message;
            res.set_content(JsonText(partial), "application/json");
          } else {
            res.set_content("{}", "application/json");
          }
        });
  }
}

}  // namespace goodhart::api
