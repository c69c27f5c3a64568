// The dashboard's built files (web/, built by Vite at build time), compiled into the binary by
// cmake/GoodhartEmbedFiles.cmake: "/index.html" and the content-hashed "/assets/*" it loads. With
// GOODHART_WEB=OFF the table holds one page saying the dashboard was not built.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace goodhart::web {

struct Asset {
  std::string_view path;  // "/index.html", "/assets/index-3f2a1c.js"
  const unsigned char* data;
  size_t size;
};

// Every embedded file, sorted by path.
std::span<const Asset> DashboardAssets();

}  // namespace goodhart::web
