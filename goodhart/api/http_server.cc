#include "goodhart/api/http_server.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include <chrono>

#include "goodhart/api/http_status.h"
#include "goodhart/api/request_text.h"
#include "goodhart/api/response_compression.h"

namespace goodhart::api {
namespace {

// cpp-httplib 0.11 listens with a backlog of 5: when several clients connect at once (a browser
// opening its six connections, keep-alive connections all reaching their maximum together), the
// kernel drops the handshakes beyond it and those clients retry after a second. The kernel caps
// this at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

}  // namespace

HttpServer::HttpServer(const config::ServerConfig& config) : config_(config) {
  if (!config_.tls_cert_file.empty()) {
    server_ = std::make_unique<httplib::SSLServer>(config_.tls_cert_file.c_str(),
                                                   config_.tls_key_file.c_str());
    tls_ = true;
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& server_ref = *server_;
  const size_t threads = static_cast<size_t>(config_.threads);
  server_ref.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_ref.set_tcp_nodelay(true);
  // The listening socket, kept to raise its backlog once cpp-httplib has bound it (Start()).
  // SO_REUSEADDR lets a restarted server bind while old connections linger in TIME_WAIT; not
  // cpp-httplib's default SO_REUSEPORT, with which a second `goodhart serve` on the same port
  // starts without error and the kernel splits the connections between the two.
  server_ref.set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
  server_ref.set_keep_alive_max_count(1000);
  server_ref.set_read_timeout(config_.read_timeout_seconds, 0);
  server_ref.set_payload_max_length(static_cast<size_t>(config_.body_limit_bytes));
  server_ref.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep)
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(ErrorJson(Status::Internal("http: handler threw: " + what)),
                        "application/json");
      });
  server_ref.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    HideAcceptEncoding(req);
    if (on_request_start_)
      on_request_start_();
    if (Status text = CheckRequestText(req); !text.ok()) {
      ReplyError(res, text);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_ref.set_post_routing_handler(CompressResponse);
  server_ref.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty())
      return;
    Status s = res.status == 404   ? Status::NotFound("http: " + req.path + ": no such route")
               : res.status == 413 ? Status::ResourceExhausted("http: body: larger than the limit")
                                   : Status(StatusCode::kInvalidArgument,
                                            fmt::format("http: request: status {}", res.status));
    res.set_content(ErrorJson(s), "application/json");
  });
}

HttpServer::~HttpServer() { Shutdown(); }

Status HttpServer::Start() {
  if (!server_->is_valid()) {
    return Status::InvalidArgument(
        fmt::format("http: tls: cannot load the certificate {} or the key {}",
                    config_.tls_cert_file, config_.tls_key_file));
  }
  const std::string host = config_.host();
  const int port = config_.port();
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ < 0)
      return Status::Unavailable(fmt::format("http: {}: cannot bind", config_.listen));
  } else {
    if (!server_->bind_to_port(host, port)) {
      return Status::Unavailable(
          fmt::format("http: {}: cannot bind (in use, or not a local address)", config_.listen));
    }
    port_ = port;
  }
  // Listening again on a listening socket only changes its backlog (Linux, BSD).
  if (::listen(listen_socket_, kListenBacklog) != 0) {
    return Status::Unavailable(
        fmt::format("http: {}: cannot raise the listen backlog", config_.listen));
  }
  running_ = true;
  listen_ended_ = false;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_ended_ = true;
  });
  // cpp-httplib's stop() only stops a server that is already listening: wait until it is, so a
  // Shutdown() right after Start() cannot miss it and leave the thread blocked in accept().
  while (!server_->is_running() && !listen_ended_)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void HttpServer::Shutdown() {
  if (!running_.exchange(false))
    return;
  server_->stop();
  if (thread_.joinable())
    thread_.join();
}

}  // namespace goodhart::api
