#include "goodhart/api/otlp_grpc_server.h"

#include <fmt/format.h>
#include <grpcpp/alarm.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>

#include "goodhart/api/grpc_message.h"
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

// One call, from waiting for it to its answer. Its main steps (arrival, the message, the check
// that no second message follows, the answer sent) are completion queue events that follow one
// another, so one thread at a time runs them; the read timeout's alarm is the one event that
// can run beside them, and it only cancels the call. `pending_` counts the events still to
// come (plus one while the call waits for a read slot); the last one deletes the call.
class OtlpGrpcServer::Call {
 public:
  explicit Call(OtlpGrpcServer& server) : server_(server), stream_(&context_) {
    server_.CallCreated();
    pending_ = 1;
    server_.service_->RequestCall(&context_, &stream_, server_.queue_.get(), server_.queue_.get(),
                                  &main_tag_);
  }
  ~Call() {
    if (holds_slot_)
      server_.Release();
    server_.CallDeleted();
  }

  // A queue event: `tag` is one of a call's two tags, `ok` its outcome.
  static void Dispatch(void* tag, bool ok) {
    auto* t = static_cast<Tag*>(tag);
    if (t->alarm)
      t->call->AlarmFired(ok);
    else
      t->call->Step(ok);
  }

  // Given a read slot (OtlpGrpcServer::Admit): waits for the message.
  void StartReading() {
    holds_slot_ = true;
    state_ = State::kReading;
    ++pending_;
    stream_.Read(&request_, &main_tag_);
    Done();  // HoldUntilRead's
  }

  // Too many calls wait already: answered UNAVAILABLE (OTLP exporters retry it) unread.
  void Refuse(int waiting) {
    InputEndedInTime();
    if (!CountRequest())
      return;
    Fail(Status::Unavailable(
        fmt::format("otlp_grpc: busy: {} calls wait for the store already; retry later", waiting)));
  }

  // Held from its admission until it is read (StartReading), so a call waiting for a read slot
  // is not deleted meanwhile.
  void HoldUntilRead() { ++pending_; }

 private:
  enum class State { kArriving, kReading, kCheckingEnd, kAnswering };
  struct Tag {
    Call* call;
    bool alarm;
  };

  void Done() {
    if (--pending_ == 0)
      delete this;
  }

  // Whichever comes first, the read timeout or the call's end of input, takes `reading_`; a call
  // the timeout took is cancelled and never exported.
  void AlarmFired(bool ok) {
    if (ok && reading_.exchange(false))
      context_.TryCancel();
    Done();
  }

  // Called by the main steps once the call's input has ended: false when the timeout came first.
  bool InputEndedInTime() {
    const bool in_time = reading_.exchange(false);
    alarm_.Cancel();  // nothing when it fired already; else its event comes with ok = false
    return in_time;
  }

  void Step(bool ok) {
    switch (state_) {
      case State::kArriving:
        if (ok) {
          if (!server_.stopping_.load())
            new Call(server_);  // wait for the next call while this one is served
          // The read timeout runs from the call's arrival to the end of its input.
          reading_ = true;
          ++pending_;
          alarm_.Set(server_.queue_.get(),
                     std::chrono::system_clock::now() +
                         std::chrono::seconds(std::max(1, server_.options_.read_timeout_seconds)),
                     &alarm_tag_);
          server_.Admit(this);
        }
        break;
      case State::kReading:
        Read(ok);
        break;
      case State::kCheckingEnd:
        Answer(/*second_message=*/ok, InputEndedInTime());
        break;
      case State::kAnswering:
        break;
    }
    Done();
  }

  // The message: kept (decompressed) until the call has shown it sends no other.
  void Read(bool ok) {
    if (!CountRequest()) {
      InputEndedInTime();
      return;
    }
    if (!ok) {
      return Fail(Status::InvalidArgument(
          InputEndedInTime() ? "otlp_grpc: request: the call sent no message" : TimedOut()));
    }
    read_status_ =
        ReadGrpcMessage(request_, server_.options_.export_options.decompressed_limit_bytes, body_);
    request_.Clear();
    state_ = State::kCheckingEnd;
    ++pending_;
    stream_.Read(&extra_, &main_tag_);
  }

  void Answer(bool second_message, bool in_time) {
    if (!in_time)
      return Fail(Status::InvalidArgument(TimedOut()));
    if (second_message) {
      return Fail(Status::InvalidArgument(
          "otlp_grpc: request: more than one message; Export is a unary call"));
    }
    if (!read_status_.ok())
      return Fail(read_status_);
    const size_t size = body_.size();
    count().bytes += static_cast<int64_t>(size);
    body_.append(receivers::otlp::kBodyPaddingBytes, '\0');  // parsed in place
    auto exported =
        ExportOtlp(*signal_, OtlpEncoding::kProtobuf, std::string_view(body_.data(), size),
                   server_.options_.export_options, server_.next_, count());
    if (!exported.ok())
      return Fail(exported.status());
    grpc::Slice slice(
        receivers::otlp::EncodeExportResponse(exported->rejected, exported->error_message));
    response_ = grpc::ByteBuffer(&slice, 1);
    Finish(grpc::Status::OK, &response_);
  }

  std::string TimedOut() const {
    return fmt::format(
        "otlp_grpc: request: not sent whole within {} s (server.read_timeout_seconds)",
        server_.options_.read_timeout_seconds);
  }

  // The call's signal from its method, its request counted; false (answered UNIMPLEMENTED) for a
  // method that is not an OTLP export.
  bool CountRequest() {
    signal_ = SignalOf(context_.method());
    if (!signal_) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                          fmt::format("otlp_grpc: method: '{}' is not an OTLP export "
                                      "(Logs, Metrics or Trace service)",
                                      context_.method())));
      return false;
    }
    count().requests++;
    return true;
  }

  IngestCounters::PerReceiver& count() { return server_.counters_.of(ReceiverOf(*signal_)); }

  void Fail(const Status& status) {
    count().requests_failed++;
    Finish(grpc::Status(static_cast<grpc::StatusCode>(RpcCode(status.code())),
                        std::string(status.message())));
  }

  // The answer: `status`, with `response` as its message when there is one.
  void Finish(const grpc::Status& status, const grpc::ByteBuffer* response = nullptr) {
    std::string().swap(body_);
    ReleaseSlot();
    state_ = State::kAnswering;
    ++pending_;
    if (response != nullptr)
      stream_.WriteAndFinish(*response, grpc::WriteOptions(), status, &main_tag_);
    else
      stream_.Finish(status, &main_tag_);
  }

  void ReleaseSlot() {
    if (holds_slot_) {
      holds_slot_ = false;
      server_.Release();
    }
  }

  OtlpGrpcServer& server_;
  grpc::GenericServerContext context_;
  grpc::GenericServerAsyncReaderWriter stream_;
  grpc::ByteBuffer request_, extra_, response_;
  grpc::Alarm alarm_;
  Tag main_tag_{this, false}, alarm_tag_{this, true};
  std::atomic<int> pending_{0};
  std::atomic<bool> reading_{false};  // from arrival to the end of input, unless timed out
  bool holds_slot_ = false;
  State state_ = State::kArriving;
  std::optional<OtlpSignal> signal_;
  Status read_status_;
  std::string body_;
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
  // Compressed messages reach the call as sent; ReadGrpcMessage inflates them within the limit.
  builder.AddChannelArgument(GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
  builder.AddListeningPort(options_.listen, credentials, &port_);
  builder.RegisterAsyncGenericService(service_.get());
  const int64_t limit = options_.body_limit_bytes;
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
    Call::Dispatch(tag, ok);
}

void OtlpGrpcServer::Admit(Call* call) {
  const int slots = std::max(1, options_.threads);
  int refused_with = -1;
  {
    std::lock_guard lock(mu_);
    if (reading_calls_ < slots) {
      ++reading_calls_;
    } else if (static_cast<int>(waiting_calls_.size()) < kWaitingCallsPerSlot * slots) {
      call->HoldUntilRead();
      waiting_calls_.push_back(call);
      return;
    } else {
      refused_with = static_cast<int>(waiting_calls_.size());
    }
  }
  if (refused_with >= 0)
    return call->Refuse(refused_with);
  call->HoldUntilRead();
  call->StartReading();
}

void OtlpGrpcServer::Release() {
  Call* next = nullptr;
  {
    std::lock_guard lock(mu_);
    if (waiting_calls_.empty()) {
      --reading_calls_;
      return;
    }
    next = waiting_calls_.front();  // takes over the slot
    waiting_calls_.pop_front();
  }
  next->StartReading();
}

void OtlpGrpcServer::CallCreated() {
  std::lock_guard lock(mu_);
  ++live_calls_;
}

void OtlpGrpcServer::CallDeleted() {
  std::lock_guard lock(mu_);
  if (--live_calls_ == 0)
    no_live_calls_.notify_all();
}

void OtlpGrpcServer::Shutdown() {
  if (server_ == nullptr || stopping_.exchange(true))
    return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  // Every call is now finished or cancelled; the workers deliver their last events. Only then
  // is the queue shut down: no call may start an operation on a shut-down queue.
  {
    std::unique_lock lock(mu_);
    no_live_calls_.wait(lock, [this] { return live_calls_ == 0; });
  }
  queue_->Shutdown();
  for (std::thread& t : workers_)
    t.join();
  workers_.clear();
}

}  // namespace goodhart::api
