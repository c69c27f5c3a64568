// goodhart replay DIR --url http://HOST:PORT [--api-key KEY] [--connections N] [--attempts N]:
// posts what
// `goodhart simulate --emit DIR` wrote to a running server through its real receivers: the
// directory (PUT /api/v1/directory, which needs an admin key when keys are configured), the OTLP
// bodies (POST /v1/logs, /v1/metrics) and the webhook deliveries with their recorded headers
// (POST /hooks/github, /hooks/cdevents, /api/v1/deployments). A few keep-alive connections send in
// parallel; a connection error, 429 or 5xx is retried with backoff, up to --attempts sends of a
// request (the backoff doubles from 200 ms to at most 6.4 s; the server stores each event
// key once, so a retry cannot double anything), a 4xx other than 429 is a failure. Progress is
// shown on a terminal. The git repositories are not sent over HTTP: the command prints the
// `goodhart import-git` line for each (it writes commits to the server's data directory, which is
// safe while the server runs, as `goodhart detect` is).
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "goodhart/base/json_text.h"
#include "goodhart/cli/command.h"

namespace goodhart::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ReplayOptions {
  std::string dir, url, api_key, format = "table";
  int connections = 4;
  int attempts = 8;
};

// One request to send, and how it went.
struct Request {
  std::string kind;  // "otlp_logs", "otlp_metrics", "github", "cdevents"
  std::string path;  // the route
  fs::path body_file, headers_file;
};

struct KindStats {
  int64_t requests = 0, ok = 0, failed = 0, retries = 0, bytes = 0;
  int64_t stored = 0, duplicates = 0, rejected = 0;
};

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::NotFound(fmt::format("replay: {}: cannot read", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "Name: value" lines.
httplib::Headers ParseHeaders(const std::string& text) {
  httplib::Headers headers;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
      continue;
    size_t value = line.find_first_not_of(' ', colon + 1);
    headers.emplace(line.substr(0, colon),
                    value == std::string::npos ? std::string() : line.substr(value));
  }
  return headers;
}

std::vector<Request> Collect(const fs::path& dir) {
  std::vector<Request> out;
  auto add = [&](const fs::path& folder, const std::string& kind, const std::string& route,
                 bool with_headers) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
      return;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() == ".json")
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      Request r{.kind = kind, .path = route, .body_file = f};
      if (with_headers)
        r.headers_file = fs::path(f).replace_extension(".headers");
      out.push_back(std::move(r));
    }
  };
  add(dir / "webhooks" / "github", "github", "/hooks/github", true);
  add(dir / "webhooks" / "cdevents", "cdevents", "/hooks/cdevents", true);
  add(dir / "webhooks" / "deployments", "deployments", "/api/v1/deployments", true);
  add(dir / "otlp" / "logs", "otlp_logs", "/v1/logs", false);
  add(dir / "otlp" / "metrics", "otlp_metrics", "/v1/metrics", false);
  return out;
}

bool Retryable(const httplib::Result& res) {
  return !res || res->status == 429 || res->status >= 500;
}

// What the receiver says it kept: webhooks answer {"stored", "duplicates"}, OTLP answers {} or
// a partial success with rejected counts.
void Tally(const std::string& body, KindStats* s) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object())
    return;
  s->stored += j.value("stored", int64_t{0});
  s->duplicates += j.value("duplicates", int64_t{0});
  if (j.contains("partialSuccess")) {
    for (const auto& [key, value] : j["partialSuccess"].items()) {
      // OTLP's JSON writes int64 counters as strings; an unreadable one counts nothing.
      int64_t n = 0;
      if (key.starts_with("rejected") && value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        std::from_chars(text.data(), text.data() + text.size(), n);
      } else if (key.starts_with("rejected") && value.is_number_integer()) {
        n = value.get<int64_t>();
      }
      s->rejected += n;
    }
  }
}

class Sender {
 public:
  Sender(const ReplayOptions& o, std::vector<Request> requests)
      : o_(o), requests_(std::move(requests)) {}

  void Run() {
    std::vector<std::thread> workers;
    const int n = std::max(1, std::min<int>(o_.connections, static_cast<int>(requests_.size())));
    for (int i = 0; i < n; ++i)
      workers.emplace_back([this] { Work(); });
    const bool tty = ::isatty(STDERR_FILENO) == 1;
    const auto start = std::chrono::steady_clock::now();
    while (done_.load() < requests_.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      if (tty) {
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fmt::print(stderr, "\r\033[Kreplay: {}/{} requests  {:.1f} MB  {:.0f}/s", done_.load(),
                   requests_.size(), static_cast<double>(bytes_.load()) / 1e6,
                   s > 0 ? static_cast<double>(done_.load()) / s : 0.0);
      }
    }
    for (auto& w : workers)
      w.join();
    if (tty)
      fmt::print(stderr, "\r\033[K");
  }

  const std::map<std::string, KindStats>& stats() const { return stats_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  void Work() {
    httplib::Client client(o_.url);
    client.set_keep_alive(true);
    // Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    // body until the server's delayed ACK (40 ms) on every request of a kept-alive connection.
    client.set_tcp_nodelay(true);
    client.set_connection_timeout(10);
    client.set_read_timeout(120);
    client.set_write_timeout(120);
    for (size_t i = next_++; i < requests_.size(); i = next_++) {
      Send(client, requests_[i]);
      ++done_;
    }
  }

  void Send(httplib::Client& client, const Request& r) {
    KindStats local;
    local.requests = 1;
    std::string error;
    auto body = ReadFile(r.body_file);
    httplib::Headers headers;
    if (body.ok() && !r.headers_file.empty()) {
      auto text = ReadFile(r.headers_file);
      if (text.ok())
        headers = ParseHeaders(*text);
      else
        body = text.status();
    }
    if (!body.ok()) {
      error = body.status().message();
    } else {
      local.bytes = static_cast<int64_t>(body->size());
      bytes_ += local.bytes;
      if (!o_.api_key.empty())
        headers.emplace("Authorization", "Bearer " + o_.api_key);
      std::string content_type = "application/json";
      if (auto it = headers.find("Content-Type"); it != headers.end()) {
        content_type = it->second;
        headers.erase(it);
      }
      for (int attempt = 1;; ++attempt) {
        httplib::Result res = client.Post(r.path, headers, *body, content_type);
        if (res && res->status >= 200 && res->status < 300) {
          local.ok = 1;
          Tally(res->body, &local);
          break;
        }
        if (!Retryable(res) || attempt >= o_.attempts) {
          error = res ? fmt::format("HTTP {}: {}", res->status, res->body.substr(0, 300))
                      : fmt::format("{}", httplib::to_string(res.error()));
          break;
        }
        local.retries += 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 6)));
      }
    }
    if (!error.empty())
      local.failed = 1;
    std::lock_guard<std::mutex> lock(mu_);
    KindStats& s = stats_[r.kind];
    s.requests += local.requests;
    s.ok += local.ok;
    s.failed += local.failed;
    s.retries += local.retries;
    s.bytes += local.bytes;
    s.stored += local.stored;
    s.duplicates += local.duplicates;
    s.rejected += local.rejected;
    if (!error.empty() && errors_.size() < 10)
      errors_.push_back(fmt::format("{} {}: {}", r.path, r.body_file.filename().string(), error));
  }

  const ReplayOptions& o_;
  const std::vector<Request> requests_;
  std::atomic<size_t> next_{0}, done_{0};
  std::atomic<int64_t> bytes_{0};
  std::mutex mu_;
  std::map<std::string, KindStats> stats_;
  std::vector<std::string> errors_;
};

// PUT /api/v1/directory with DIR/directory.yaml; "" when there is none.
Result<std::string> ImportDirectory(const ReplayOptions& o) {
  const fs::path file = fs::path(o.dir) / "directory.yaml";
  std::error_code ec;
  if (!fs::exists(file, ec))
    return std::string();
  GOODHART_ASSIGN_OR_RETURN(std::string yaml, ReadFile(file));
  httplib::Client client(o.url);
  client.set_connection_timeout(10);
  httplib::Headers headers;
  if (!o.api_key.empty())
    headers.emplace("Authorization", "Bearer " + o.api_key);
  for (int attempt = 1;; ++attempt) {
    httplib::Result res = client.Put("/api/v1/directory", headers, yaml, "application/yaml");
    if (res && (res->status == 200 || res->status == 201)) {
      json j = json::parse(res->body, nullptr, false);
      return fmt::format("directory version {} ({} people, {} teams, {} services){}",
                         j.value("version", int64_t{0}), j.value("people", int64_t{0}),
                         j.value("teams", int64_t{0}), j.value("services", int64_t{0}),
                         j.value("changed", false) ? "" : ", unchanged");
    }
    if (!Retryable(res) || attempt >= o.attempts) {
      return Status::Unavailable(
          res ? fmt::format("replay: PUT /api/v1/directory: HTTP {}: {}", res->status,
                            res->body.substr(0, 300))
              : fmt::format("replay: {}: {}", o.url, httplib::to_string(res.error())));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 6)));
  }
}

int RunReplay(const ReplayOptions& o) {
  std::error_code ec;
  if (!fs::is_directory(o.dir, ec)) {
    ReportError(Status::InvalidArgument(fmt::format("replay: {}: not a directory", o.dir)));
    return kExitUsage;
  }
  if (o.connections < 1 || o.connections > 64) {
    ReportError(Status::InvalidArgument("replay: --connections: 1 to 64"));
    return kExitUsage;
  }
  if (o.attempts < 1 || o.attempts > 1000) {
    ReportError(Status::InvalidArgument("replay: --attempts: 1 to 1000"));
    return kExitUsage;
  }
  const auto start = std::chrono::steady_clock::now();
  auto directory = ImportDirectory(o);
  if (!directory.ok())
    return ReportError(directory.status());
  std::vector<Request> requests = Collect(o.dir);
  if (requests.empty() && directory->empty()) {
    return ReportError(
        Status::NotFound(fmt::format("replay: {}: nothing to send (no directory.yaml, otlp/ "
                                     "or webhooks/; see goodhart simulate --emit)",
                                     o.dir)));
  }
  Sender sender(o, std::move(requests));
  sender.Run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto manifest_text = ReadFile(fs::path(o.dir) / "manifest.json");
  json manifest = json::parse(manifest_text.ok() ? *manifest_text : "{}", nullptr, false);
  std::vector<std::string> repos;
  if (manifest.is_object() && manifest.contains("git")) {
    for (const json& g : manifest["git"])
      repos.push_back((fs::path(o.dir) / g.value("path", "")).string());
  }
  int64_t failed = 0;
  for (const auto& [kind, s] : sender.stats())
    failed += s.failed;
  if (o.format == "json") {
    json out = {{"url", o.url},           {"seconds", seconds},        {"directory", *directory},
                {"sent", json::object()}, {"errors", sender.errors()}, {"git_repositories", repos}};
    for (const auto& [kind, s] : sender.stats()) {
      out["sent"][kind] = {{"requests", s.requests},     {"ok", s.ok},
                           {"failed", s.failed},         {"retries", s.retries},
                           {"bytes", s.bytes},           {"stored", s.stored},
                           {"duplicates", s.duplicates}, {"rejected", s.rejected}};
    }
    fmt::print("{}\n", JsonText(out, 2));
  } else {
    fmt::print("replay {} -> {} in {:.1f} s\n", o.dir, o.url, seconds);
    if (!directory->empty())
      fmt::print("  PUT /api/v1/directory: {}\n", *directory);
    for (const auto& [kind, s] : sender.stats()) {
      fmt::print("  {:<13} {:>6} requests ({:.1f} MB): {} ok, {} failed, {} retried", kind,
                 s.requests, static_cast<double>(s.bytes) / 1e6, s.ok, s.failed, s.retries);
      if (kind == "github" || kind == "cdevents" || kind == "deployments")
        fmt::print("; {} records stored, {} already there", s.stored, s.duplicates);
      else if (s.rejected > 0)
        fmt::print("; {} records rejected", s.rejected);
      fmt::print("\n");
    }
    for (const std::string& e : sender.errors())
      fmt::print(stderr, "  failed: {}\n", e);
    if (!repos.empty()) {
      fmt::print("git repositories (not sent over HTTP) go in with, for each:\n");
      fmt::print("  goodhart import-git --data <the server's data dir> --repo {}\n", repos.front());
      fmt::print("  ... {} repositories under {}\n", repos.size(),
                 (fs::path(o.dir) / "git").string());
    }
  }
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

CommandRunner AddReplayCommand(CLI::App& app) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Post what `goodhart simulate --emit DIR` wrote to a running server (directory, OTLP, "
      "webhooks)");
  cmd->add_option("dir", options->dir, "The emitted directory")->required();
  cmd->add_option("--url", options->url, "The server, e.g. http://127.0.0.1:4318")->required();
  cmd->add_option("--api-key", options->api_key,
                  "Sent as Authorization: Bearer (an admin key, when keys are configured)");
  cmd->add_option("--connections", options->connections,
                  "Parallel keep-alive connections (default 4)");
  cmd->add_option("--attempts", options->attempts,
                  "Sends of a request before it counts as failed: a connection error, 429 or 5xx "
                  "is retried with backoff (default 8)");
  cmd->add_option("--format", options->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  return [options, cmd]() -> int { return cmd->parsed() ? RunReplay(*options) : -1; };
}

}  // namespace goodhart::cli
