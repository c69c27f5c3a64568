// HttpServer: goodhart's one HTTP listener (OTLP receivers, webhooks, REST API, dashboard), built
// on cpp-httplib with the settings environment.md §1.1 found necessary (TCP_NODELAY, a sized
// thread pool, raised keep-alive count) and a listen backlog of 1024 instead of cpp-httplib's 5
// (clients connecting together were dropped and retried after a second). Routes are added by the
// route files before Start().
// With server.tls_cert_file and server.tls_key_file it serves HTTPS (OpenSSL, through
// cpp-httplib's SSLServer); a certificate or key that does not load fails Start(). It compresses
// answers itself (api/response_compression.h), never with cpp-httplib's Brotli.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "goodhart/base/status.h"
#include "goodhart/config/config.h"

namespace goodhart::api {

// Thread-safety: add routes before Start(); Start/Shutdown from one controlling thread.
class HttpServer {
 public:
  explicit HttpServer(const config::ServerConfig& config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes and handlers; not the pre- and post-routing handlers, which the server owns.
  httplib::Server& routes() { return *server_; }
  // Runs on the request's thread as each request starts, before routing. Set before Start().
  void OnRequestStart(std::function<void()> hook) { on_request_start_ = std::move(hook); }
  bool tls() const { return tls_; }

  // Binds the listen address (port 0 picks a free port) and serves on a background thread; returns
  // once that thread is listening.
  Status Start();
  // The bound port; valid after Start().
  int port() const { return port_; }
  // Stops accepting, lets in-flight requests finish, joins. Safe without Start() and twice.
  void Shutdown();

 private:
  config::ServerConfig config_;
  std::unique_ptr<httplib::Server> server_;  // an httplib::SSLServer with a TLS certificate
  std::function<void()> on_request_start_;
  bool tls_ = false;
  int listen_socket_ = -1;  // set when cpp-httplib creates the listening socket
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<bool> listen_ended_{false};  // the listening thread has returned
};

}  // namespace goodhart::api
