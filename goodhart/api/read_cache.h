// The dashboard's read routes (report, team and person delivery, costs) answer from a cache of
// shaped JSON bodies, so that many readers of one dashboard cost one computation, and a reader
// never waits for a recomputation that only new telemetry caused (api/refreshing_cache.h).
//
// An answer is cached per question and per audience: the path, the query parameters in sorted
// order, the caller's role and (for a member) person. The caller's key name is not in the key:
// answers depend on the role, never on which key of a role asked. Its inputs' change stamps:
//   data    the store's (ingest, imports, the directory): a newer answer is computed once the
//           cached one is `max_stale_ms` old; until then readers get the cached one;
//   urgent  the flag store's (dispositions, notes, a detection run): shows on the next read.
// `Cache-Control: no-cache` (or `max-age=0`) on a request asks for an answer computed from the
// current data. Every answer carries `Age` (seconds since it was computed, RFC 9111), and is
// gzipped once when cached, for the clients that accept gzip (api/response_compression.h). Reads of
// person-level data are audited on every request, whether served from the cache or not.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/access/principal.h"
#include "goodhart/api/access_guard.h"
#include "goodhart/api/refreshing_cache.h"
#include "goodhart/base/clock.h"
#include "goodhart/base/status.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// One computed answer of a read route.
struct ReadAnswer {
  std::string body;                      // JSON
  std::string body_gzip;                 // the same, gzipped once by the cache
  std::vector<std::string> people_read;  // the persons it names, audited on each serve
  int64_t computed_unix_ms = 0;          // set by the cache
};

class ReadCache {
 public:
  struct Options {
    int64_t max_stale_ms = 5'000;  // 0: every answer reflects the data when it was asked for
    size_t max_entries = 256;
  };
  // `store` and `flags` (may be nullptr) must outlive the cache.
  ReadCache(Options options, const store::Store& store, const review::FlagStore* flags,
            const Clock& clock);

  // The answer to `req` for `who`: cached, or computed by `compute` (which must not audit).
  Result<std::shared_ptr<const ReadAnswer>> Get(const httplib::Request& req,
                                                const access::Principal& who,
                                                const std::function<Result<ReadAnswer>()>& compute);

 private:
  ChangeStamps CurrentStamps() const;

  const store::Store& store_;
  const review::FlagStore* flags_;
  const Clock& clock_;
  RefreshingCache<ReadAnswer> cache_;
};

// Answers a read route: the (cached when `cache` is set) answer, audited under `component`, with
// its Age; errors in the one JSON error shape.
void ServeRead(ReadCache* cache, const AccessContext& access, const httplib::Request& req,
               httplib::Response& res, const access::Principal& who, std::string_view component,
               const std::function<Result<ReadAnswer>()>& compute);

}  // namespace goodhart::api
