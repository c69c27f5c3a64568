#include "goodhart/api/response_compression.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace goodhart::api {
namespace {

constexpr size_t kMinCompressedBytes = 1024;
constexpr char kHiddenHeader[] = "X-Goodhart-Accept-Encoding";

bool CompressibleType(std::string_view type) {
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("application/javascript") || type.starts_with("image/svg+xml") ||
         type.starts_with("application/xml");
}

}  // namespace

bool AcceptsGzip(const httplib::Request& req) {
  // Accept-Encoding: a comma-separated list of codings, each with an optional ";q=<weight>".
  std::string accept = req.has_header(kHiddenHeader) ? req.get_header_value(kHiddenHeader)
                                                     : req.get_header_value("Accept-Encoding");
  std::transform(accept.begin(), accept.end(), accept.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  size_t start = 0;
  while (start <= accept.size()) {
    size_t end = std::min(accept.find(',', start), accept.size());
    std::string item = accept.substr(start, end - start);
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    std::string coding = item.substr(0, item.find(';'));
    if (coding == "gzip" || coding == "*") {
      size_t q = item.find(";q=");
      return q == std::string::npos || std::strtod(item.c_str() + q + 3, nullptr) > 0;
    }
    start = end + 1;
  }
  return false;
}

std::string Gzip(std::string_view data, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("response_compression: gzip: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END)
    throw std::runtime_error("response_compression: gzip: deflate did not finish");
  return out;
}

void HideAcceptEncoding(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  headers.erase(kHiddenHeader);
  auto it = headers.find("Accept-Encoding");
  if (it == headers.end())
    return;
  std::string value = it->second;
  headers.erase("Accept-Encoding");
  headers.emplace(kHiddenHeader, std::move(value));
}

void CompressResponse(const httplib::Request& req, httplib::Response& res) {
  if (!CompressibleType(res.get_header_value("Content-Type")))
    return;
  res.set_header("Vary", "Accept-Encoding");
  if (res.has_header("Content-Encoding") || res.body.size() < kMinCompressedBytes ||
      !AcceptsGzip(req)) {
    return;
  }
  res.body = Gzip(res.body);
  res.set_header("Content-Encoding", "gzip");
  res.headers.erase("Content-Length");
  res.set_header("Content-Length", std::to_string(res.body.size()));
}

}  // namespace goodhart::api
