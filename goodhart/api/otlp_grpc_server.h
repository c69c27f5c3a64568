// OTLP/gRPC receiver (OTEL_EXPORTER_OTLP_PROTOCOL=grpc; formats.md §1): the Export methods of
// opentelemetry.proto.collector.{logs,metrics,trace}.v1.{Logs,Metrics,Trace}Service on their own
// listener (the OTLP default is port 4317). Requests go through the same decoder and store path
// as OTLP/HTTP (api/otlp_export.h), so the same records are stored once, either way they came.
//
// Answers, as the OTLP specification asks: OK with an empty Export*ServiceResponse, or with its
// partial_success when records were rejected; INVALID_ARGUMENT for a message that is not OTLP
// (clients do not retry it); RESOURCE_EXHAUSTED for a message over the decompressed limit;
// UNAVAILABLE when the store cannot commit (clients retry it); UNIMPLEMENTED for other methods.
// An OK means every accepted record is committed. The server serves the methods without
// generated code (a generic service reading the raw request bytes).
//
// Limits, as OTLP/HTTP has them: a message over body_limit_bytes as sent is refused by gRPC
// (RESOURCE_EXHAUSTED); gzip and deflate messages are inflated by goodhart (api/grpc_message.h),
// never past decompressed_limit_bytes. At most `threads` calls are read and handled at once;
// up to 4 x `threads` more wait their turn (gRPC holds what each has sent so far, up to its HTTP/2
// flow-control window), and calls beyond those are answered UNAVAILABLE, which exporters retry. A
// call whose message and end have not arrived within read_timeout_seconds of its start is
// cancelled and never exported; a call sending a second message gets INVALID_ARGUMENT.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "goodhart/api/ingest_counters.h"
#include "goodhart/api/otlp_export.h"
#include "goodhart/base/status.h"
#include "goodhart/pipeline/consumer.h"

namespace grpc {
class AsyncGenericService;
class Server;
class ServerCompletionQueue;
}  // namespace grpc

namespace goodhart::api {

struct OtlpGrpcOptions {
  std::string listen = "127.0.0.1:4317";  // HOST:PORT; port 0 picks a free port
  int threads = 4;                        // calls read and handled at once (each may wait on
                                          // the store)
  int64_t body_limit_bytes = 64 << 20;    // a message as sent
  int read_timeout_seconds = 10;          // from a call's start to the end of its input
  OtlpExportOptions export_options;
  std::string tls_cert_file, tls_key_file;  // both set: TLS only
};

class OtlpGrpcServer {
 public:
  // `next` and `counters` must outlive the server.
  OtlpGrpcServer(OtlpGrpcOptions options, pipeline::Consumer& next, IngestCounters& counters);
  ~OtlpGrpcServer();  // Shutdown()
  OtlpGrpcServer(const OtlpGrpcServer&) = delete;
  OtlpGrpcServer& operator=(const OtlpGrpcServer&) = delete;

  // Binds and starts serving. Errors: "otlp_grpc: listen: ..." when the address cannot be
  // bound, "otlp_grpc: tls: ..." when a certificate file cannot be read.
  Status Start();
  int port() const { return port_; }  // the bound port, after Start
  // Stops taking calls, lets the calls in progress finish (up to 5 s; then they are cancelled),
  // waits for every call's last event, then returns. Idempotent.
  void Shutdown();

 private:
  class Call;
  void Serve();
  // A call that has arrived is read now when fewer than `threads` calls are being read or
  // handled, else when one of those finishes (Release).
  void Admit(Call* call);
  static constexpr int kWaitingCallsPerSlot = 4;
  void Release();
  void CallCreated();
  void CallDeleted();

  OtlpGrpcOptions options_;
  pipeline::Consumer& next_;
  IngestCounters& counters_;
  std::unique_ptr<grpc::AsyncGenericService> service_;
  std::unique_ptr<grpc::ServerCompletionQueue> queue_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
  std::mutex mu_;  // guards the four below
  int reading_calls_ = 0;
  std::deque<Call*> waiting_calls_;
  int live_calls_ = 0;
  std::condition_variable no_live_calls_;
};

}  // namespace goodhart::api
