// Response compression: gzip for clients that accept it, done by goodhart instead of cpp-httplib.
// cpp-httplib (Debian's 0.11, built with Brotli) compresses every text or JSON answer per request
// and prefers Brotli at its slowest quality: about 1 s per megabyte on a 2-core machine, which a
// browser paid for the dashboard's script and for every large answer. HttpServer therefore hides
// Accept-Encoding from cpp-httplib before routing (HideAcceptEncoding: it moves to
// X-Goodhart-Accept-Encoding, which AcceptsGzip reads) and, after the handler, gzips compressible
// answers of at least 1 KiB (level 6, ~15 ms per MB) for clients that accept gzip
// (CompressResponse). Answers that already carry a Content-Encoding (the read cache's gzipped
// bodies) are sent as they are; `Vary: Accept-Encoding` tells caches the body depends on it.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace goodhart::api {

// Before routing: moves the request's Accept-Encoding out of cpp-httplib's sight. The request is
// cpp-httplib's own non-const object, handed to handlers as const.
void HideAcceptEncoding(const httplib::Request& req);

// After the handler (cpp-httplib's post-routing hook, which runs once the body and its
// Content-Length are final): gzips the answer when worthwhile and allowed.
void CompressResponse(const httplib::Request& req, httplib::Response& res);

// Whether the request's Accept-Encoding allows gzip (not "gzip;q=0").
bool AcceptsGzip(const httplib::Request& req);

// `data` as one gzip member (RFC 1952) at zlib level `level`.
std::string Gzip(std::string_view data, int level = 6);

}  // namespace goodhart::api
