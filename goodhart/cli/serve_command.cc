// goodhart serve: runs the receivers on one HTTP listener until SIGINT or SIGTERM, then drains
// in-flight requests and exits 0.
#include <fmt/format.h>

#include <csignal>
#include <optional>
#include <thread>

#include "goodhart/api/cost_routes.h"
#include "goodhart/api/delivery_routes.h"
#include "goodhart/api/directory_routes.h"
#include "goodhart/api/flag_routes.h"
#include "goodhart/api/goodhart_table_routes.h"
#include "goodhart/api/http_server.h"
#include "goodhart/api/metrics_routes.h"
#include "goodhart/api/openapi_routes.h"
#include "goodhart/api/otlp_grpc_server.h"
#include "goodhart/api/otlp_routes.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/api/report_routes.h"
#include "goodhart/api/status_routes.h"
#include "goodhart/api/webhook_routes.h"
#include "goodhart/api/whoami_routes.h"
#include "goodhart/cli/command.h"
#include "goodhart/review/maintenance.h"
#include "goodhart/web/dashboard_routes.h"

namespace goodhart::cli {
namespace {

struct ServeOptions {
  CommonOptions common;
  std::string listen;
  std::string grpc_listen;
};

int RunServe(const ServeOptions& options) {
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  Runtime& rt = **opened;
  config::ServerConfig server_config = rt.config().server;
  if (!options.listen.empty() || !options.grpc_listen.empty()) {
    config::Config check = rt.config();
    if (!options.listen.empty())
      check.server.listen = options.listen;
    if (!options.grpc_listen.empty())
      check.server.grpc_listen = options.grpc_listen;
    if (Status s = check.Validate(); !s.ok())
      return ReportError(s);
    server_config.listen = check.server.listen;
    server_config.grpc_listen = check.server.grpc_listen;
  }
  api::IngestCounters counters;
  api::HttpServer server(server_config);
  api::AddOtlpRoutes(server,
                     {.body_limit_bytes = server_config.body_limit_bytes,
                      .decompressed_limit_bytes = server_config.decompressed_limit_bytes,
                      .sketcher = &rt.sketcher()},
                     rt.ingest(), counters);
  // OTLP/gRPC on its own listener, when configured (api/otlp_grpc_server.h).
  std::optional<api::OtlpGrpcServer> grpc_server;
  if (!server_config.grpc_listen.empty()) {
    grpc_server.emplace(
        api::OtlpGrpcOptions{
            .listen = server_config.grpc_listen,
            .threads = server_config.threads,
            .body_limit_bytes = server_config.body_limit_bytes,
            .read_timeout_seconds = server_config.read_timeout_seconds,
            .export_options = {.decompressed_limit_bytes = server_config.decompressed_limit_bytes,
                               .sketcher = &rt.sketcher()},
            .tls_cert_file = server_config.tls_cert_file,
            .tls_key_file = server_config.tls_key_file},
        rt.ingest(), counters);
  }
  api::AddWebhookRoutes(server,
                        {.github_secret = rt.config().webhooks.github_secret,
                         .gitlab_token = rt.config().webhooks.gitlab_token},
                        rt.ingest(), counters);
  auto keys = access::ApiKeyRing::FromConfig(rt.config().access.api_keys);
  if (!keys.ok())
    return ReportError(keys.status());
  api::AccessContext access_context{.keys = std::move(keys).value(),
                                    .rules = {.min_group_size = rt.config().access.min_group_size},
                                    .audit = &rt.audit_log()};
  if (access_context.keys.open() && server_config.host() != "127.0.0.1" &&
      server_config.host() != "localhost" && server_config.host() != "::1") {
    fmt::print(stderr,
               "goodhart: warning: no access.api_keys configured and listening on {}: every "
               "caller is admin and can read person-level data\n",
               server_config.host());
  }
  auto flags = rt.flag_store();
  if (!flags.ok())
    return ReportError(flags.status());
  // The dashboard's read routes share one cache of computed answers (api/read_cache.h).
  api::ReadCache read_cache({.max_stale_ms = server_config.cache_max_stale_ms}, rt.store(), *flags,
                            SystemClock::Get());
  api::AddDirectoryRoutes(server, rt.store(), access_context);
  api::AddReportRoutes(server, rt.store(), rt.nd_params(), access_context, *flags, &read_cache);
  api::AddFlagRoutes(server, **flags, access_context);
  api::AddDeliveryRoutes(server, rt.store(), rt.nd_params(), access_context, &read_cache);
  api::AddCostRoutes(server, rt.store(), rt.nd_params(), access_context, **flags, &read_cache);
  api::AddGoodhartTableRoutes(server, rt.config().data_dir, access_context);
  api::AddWhoamiRoutes(server, access_context);
  // Retention of sketches (30 days) and flags (12 months), and alert delivery with retries.
  review::Maintenance maintenance(rt.store(), **flags, rt.config().alerts.webhook_url);
  maintenance.Start(/*interval_ms=*/60'000);
  api::AddStatusRoutes(server, rt.store(), counters);
  api::RequestMetrics request_metrics;
  request_metrics.Install(server, server_config.access_log);
  api::AddMetricsRoutes(server, rt.store(), counters, request_metrics, *flags);
  api::AddOpenApiRoutes(server);
  web::AddDashboardRoutes(server);  // last: "/" and "/assets/..."
  if (Status s = server.Start(); !s.ok())
    return ReportError(s);
  if (grpc_server) {
    if (Status s = grpc_server->Start(); !s.ok()) {
      server.Shutdown();
      return ReportError(s);
    }
    // Printed before the HTTP line, which tells scripts that the server is up.
    fmt::print("goodhart: OTLP/gRPC listening on {}:{}{}\n",
               server_config.grpc_listen.substr(0, server_config.grpc_listen.rfind(':')),
               grpc_server->port(), server_config.tls_cert_file.empty() ? "" : " (TLS)");
  }
  fmt::print("goodhart: listening on {}://{}:{} (data: {})\n", server.tls() ? "https" : "http",
             server_config.host(), server.port(), rt.config().data_dir);
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  fmt::print("goodhart: stopping (signal {}), draining in-flight requests\n", signal_number);
  // Both listeners drain at once.
  std::thread grpc_drain([&grpc_server] {
    if (grpc_server)
      grpc_server->Shutdown();
  });
  server.Shutdown();
  grpc_drain.join();
  maintenance.Stop();
  return kExitOk;
}

}  // namespace

CommandRunner AddServeCommand(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the receivers and API on one HTTP listener");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("--listen", options->listen, "ADDR:PORT to listen on (default 127.0.0.1:4318)");
  cmd->add_option("--grpc-listen", options->grpc_listen,
                  "ADDR:PORT for OTLP/gRPC (its usual port is 4317; default: off)");
  return [options, cmd]() -> int { return cmd->parsed() ? RunServe(*options) : -1; };
}

}  // namespace goodhart::cli
