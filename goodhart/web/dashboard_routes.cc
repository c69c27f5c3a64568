#include "goodhart/web/dashboard_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "goodhart/api/http_status.h"
#include "goodhart/web/dashboard_assets.h"

namespace goodhart::web {
namespace {

// The page loads only its own files and talks only to this server; ECharts sets inline styles.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const Asset* Find(std::string_view path) {
  std::span<const Asset> assets = DashboardAssets();
  auto it =
      std::find_if(assets.begin(), assets.end(), [path](const Asset& a) { return a.path == path; });
  return it == assets.end() ? nullptr : &*it;
}

void Serve(const Asset& asset, std::string_view cache_control, httplib::Response& res) {
  res.set_header("Cache-Control", std::string(cache_control));
  res.set_header("X-Content-Type-Options", "nosniff");
  if (asset.path == "/index.html") {
    res.set_header("Content-Security-Policy", kContentSecurityPolicy);
    res.set_header("Referrer-Policy", "no-referrer");
  }
  res.set_content(reinterpret_cast<const char*>(asset.data), asset.size,
                  std::string(ContentTypeFor(asset.path)).c_str());
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".webp", "image/webp"},
  }};
  size_t dot = path.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = path.substr(dot);
    for (const auto& [suffix, type] : kTypes) {
      if (ext == suffix)
        return type;
    }
  }
  return "application/octet-stream";
}

void AddDashboardRoutes(api::HttpServer& server) {
  server.routes().Get("/", [](const httplib::Request&, httplib::Response& res) {
    const Asset* index = Find("/index.html");
    if (index == nullptr) {
      return api::ReplyError(res, Status::Internal("web: /: no index.html was embedded"));
    }
    Serve(*index, "no-cache", res);
  });
  server.routes().Get(
      R"(/(assets/[A-Za-z0-9._-]+))", [](const httplib::Request& req, httplib::Response& res) {
        std::string path = "/" + req.matches[1].str();
        const Asset* asset = Find(path);
        if (asset == nullptr) {
          return api::ReplyError(res, Status::NotFound(fmt::format("web: {}: no such file", path)));
        }
        Serve(*asset, "public, max-age=31536000, immutable", res);
      });
}

}  // namespace goodhart::web
