#include "goodhart/api/otlp_grpc_server.h"

#include <fmt/format.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>

#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/protobuf.h"

namespace goodhart::api {
namespace {

using receivers::otlp::OtlpSignal;

std::optional<OtlpSignal> SignalOf(std::string_view method) {
  if (method == "/opentelemetry.proto.collector.logs.v1.LogsService/Export")
    return OtlpSignal::kLogs;
  if (method == "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export")
    return OtlpSignal::kMetrics;
  if (method == "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
    return OtlpSignal::kTraces;
  return std::nullopt;
}

grpc::Status GrpcStatus(const Status& status) {
  return {static_cast<grpc::StatusCode>(RpcCode(status.code())), std::string(status.message())};
}

Result<std::string> ReadPem(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return Status::InvalidArgument(fmt::format("otlp_grpc: tls: cannot read {} {}", what, path));
  if (text.empty())
    return Status::InvalidArgument(
        fmt::format("otlp_grpc: tls: {} {} is missing or empty", what, path));
  return text;
}

}  // namespace

// One call, from waiting for it to its answer. The worker threads take turns advancing it; each
// step is one completion queue event, so no two threads touch a call at once.
class OtlpGrpcServer::Call {
 public:
  explicit Call(OtlpGrpcServer& server) : server_(server), stream_(&context_) {
    server_.service_->RequestCall(&context_, &stream_, server_.queue_.get(), server_.queue_.get(),
                                  this);
  }

  // The queue's event for this call; `ok` is its outcome.
  void Proceed(bool ok) {
    switch (state_) {
      case State::kWaiting:
        if (!ok) {  // the server is shutting down
          delete this;
          return;
        }
        if (!server_.stopping_.load())
          new Call(server_);  // wait for the next call while this one is served
        state_ = State::kReading;
        stream_.Read(&request_, this);
        return;
      case State::kReading:
        state_ = State::kAnswering;
        Answer(ok);
        return;
      case State::kAnswering:
        delete this;
        return;
    }
  }

 private:
  enum class State { kWaiting, kReading, kAnswering };

  void Answer(bool read) {
    auto signal = SignalOf(context_.method());
    if (!signal) {
      stream_.Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                  fmt::format("otlp_grpc: method: '{}' is not an OTLP export "
                                              "(Logs, Metrics or Trace service)",
                                              context_.method())),
                     this);
      return;
    }
    auto& count = server_.counters_.of(ReceiverOf(*signal));
    count.requests++;
    auto fail = [&](const Status& status) {
      count.requests_failed++;
      stream_.Finish(GrpcStatus(status), this);
    };
    if (!read)
      return fail(Status::InvalidArgument("otlp_grpc: request: the call sent no message"));
    // The message's bytes (gRPC has decompressed them), followed by the zero padding the
    // decoder parses in place.
    std::vector<grpc::Slice> slices;
    if (!request_.Dump(&slices).ok())
      return fail(Status::InvalidArgument("otlp_grpc: request: unreadable message"));
    thread_local std::string body;
    body.clear();
    for (const grpc::Slice& s : slices)
      body.append(reinterpret_cast<const char*>(s.begin()), s.size());
    const size_t size = body.size();
    const auto limit = server_.options_.export_options.decompressed_limit_bytes;
    if (size > static_cast<size_t>(limit)) {
      return fail(Status::ResourceExhausted(
          fmt::format("otlp_grpc: request: larger than {} bytes after decompression", limit)));
    }
    body.append(receivers::otlp::kBodyPaddingBytes, '\0');
    count.bytes += static_cast<int64_t>(size);
    auto exported =
        ExportOtlp(*signal, OtlpEncoding::kProtobuf, std::string_view(body.data(), size),
                   server_.options_.export_options, server_.next_, count);
    if (body.capacity() > (16u << 20))
      std::string().swap(body);  // a large buffer is not kept per thread
    if (!exported.ok())
      return fail(exported.status());
    grpc::Slice slice(
        receivers::otlp::EncodeExportResponse(exported->rejected, exported->error_message));
    response_ = grpc::ByteBuffer(&slice, 1);
    stream_.WriteAndFinish(response_, grpc::WriteOptions(), grpc::Status::OK, this);
  }

  OtlpGrpcServer& server_;
  grpc::GenericServerContext context_;
  grpc::GenericServerAsyncReaderWriter stream_;
  grpc::ByteBuffer request_, response_;
  State state_ = State::kWaiting;
};

OtlpGrpcServer::OtlpGrpcServer(OtlpGrpcOptions options, pipeline::Consumer& next,
                               IngestCounters& counters)
    : options_(std::move(options)), next_(next), counters_(counters) {}

OtlpGrpcServer::~OtlpGrpcServer() { Shutdown(); }

Status OtlpGrpcServer::Start() {
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options_.tls_cert_file.empty()) {
    GOODHART_ASSIGN_OR_RETURN(std::string cert, ReadPem(options_.tls_cert_file, "certificate"));
    GOODHART_ASSIGN_OR_RETURN(std::string key, ReadPem(options_.tls_key_file, "key"));
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({std::move(key), std::move(cert)});
    credentials = grpc::SslServerCredentials(ssl);
  }
  service_ = std::make_unique<grpc::AsyncGenericService>();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second server on the same port would share its calls
  // instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options_.listen, credentials, &port_);
  builder.RegisterAsyncGenericService(service_.get());
  const auto limit = options_.export_options.decompressed_limit_bytes;
  builder.SetMaxReceiveMessageSize(limit > INT32_MAX ? INT32_MAX : static_cast<int>(limit));
  queue_ = builder.AddCompletionQueue();
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    queue_.reset();
    return Status::Unavailable(fmt::format(
        "otlp_grpc: listen: cannot listen on {} (in use, not a HOST:PORT{})", options_.listen,
        options_.tls_cert_file.empty() ? ""
                                       : ", or a TLS certificate or key that "
                                         "does not load"));
  }
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i)
    new Call(*this);
  for (int i = 0; i < threads; ++i)
    workers_.emplace_back([this] { Serve(); });
  return Status::Ok();
}

void OtlpGrpcServer::Serve() {
  void* tag = nullptr;
  bool ok = false;
  while (queue_->Next(&tag, &ok))
    static_cast<Call*>(tag)->Proceed(ok);
}

void OtlpGrpcServer::Shutdown() {
  if (server_ == nullptr || stopping_.exchange(true))
    return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  queue_->Shutdown();
  for (std::thread& t : workers_)
    t.join();
  workers_.clear();
}

}  // namespace goodhart::api
