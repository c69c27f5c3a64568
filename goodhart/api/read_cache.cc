#include "goodhart/api/read_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "goodhart/api/http_status.h"
#include "goodhart/api/response_compression.h"

namespace goodhart::api {
namespace {

// path?a=1&b=2|role|person, parameters sorted (httplib keeps them in a multimap by name; values
// of a repeated name keep their order).
std::string QuestionKey(const httplib::Request& req, const access::Principal& who) {
  std::string key = req.path;
  char sep = '?';
  for (const auto& [name, value] : req.params) {
    key += fmt::format("{}{}={}", sep, name, value);
    sep = '&';
  }
  return fmt::format("{}|{}|{}", key, access::RoleName(who.role),
                     who.role == access::Role::kMember ? who.person : "");
}

bool WantsFresh(const httplib::Request& req) {
  std::string control = req.get_header_value("Cache-Control");
  std::transform(control.begin(), control.end(), control.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return control.find("no-cache") != std::string::npos ||
         control.find("max-age=0") != std::string::npos;
}

}  // namespace

ReadCache::ReadCache(Options options, const store::Store& store, const review::FlagStore* flags,
                     const Clock& clock)
    : store_(store),
      flags_(flags),
      clock_(clock),
      cache_({.refresh_ms = options.max_stale_ms, .max_entries = options.max_entries}, clock) {}

ChangeStamps ReadCache::CurrentStamps() const {
  ChangeStamps stamps;
  // A backend without change stamps: every answer may be stale, so the time stands in for the
  // stamp and answers are recomputed once they are max_stale_ms old.
  auto data = store_.ChangeStamp();
  stamps.data = data.ok() ? *data : clock_.NowMillis();
  if (flags_ != nullptr) {
    auto urgent = flags_->ChangeStamp();
    stamps.urgent = urgent.ok() ? *urgent : clock_.NowMillis();
  }
  return stamps;
}

Result<std::shared_ptr<const ReadAnswer>> ReadCache::Get(
    const httplib::Request& req, const access::Principal& who,
    const std::function<Result<ReadAnswer>()>& compute) {
  // Stamped before computing: a change committed during the computation makes the answer stale.
  ChangeStamps stamps = CurrentStamps();
  auto timed = [&]() -> Result<ReadAnswer> {
    int64_t started = clock_.NowMillis();
    GOODHART_ASSIGN_OR_RETURN(ReadAnswer answer, compute());
    answer.computed_unix_ms = started;
    answer.body_gzip = Gzip(answer.body);
    return answer;
  };
  return cache_.Get(QuestionKey(req, who), stamps, timed, WantsFresh(req));
}

void ServeRead(ReadCache* cache, const AccessContext& access, const httplib::Request& req,
               httplib::Response& res, const access::Principal& who, std::string_view component,
               const std::function<Result<ReadAnswer>()>& compute) {
  std::shared_ptr<const ReadAnswer> answer;
  if (cache != nullptr) {
    auto cached = cache->Get(req, who, compute);
    if (!cached.ok())
      return ReplyError(res, cached.status());
    answer = std::move(cached).value();
  } else {
    auto computed = compute();
    if (!computed.ok())
      return ReplyError(res, computed.status());
    answer = std::make_shared<const ReadAnswer>(std::move(computed).value());
  }
  if (Status s = AuditRead(access, who, req, answer->people_read); !s.ok())
    return ReplyError(res, s.WithPrefix(component));
  if (answer->computed_unix_ms > 0) {
    const Clock& clock = access.clock ? *access.clock : SystemClock::Get();
    int64_t age_s = std::max<int64_t>(0, clock.NowMillis() - answer->computed_unix_ms) / 1000;
    res.set_header("Age", std::to_string(age_s));
  }
  if (!answer->body_gzip.empty() && AcceptsGzip(req)) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(answer->body_gzip, "application/json");
  } else {
    res.set_content(answer->body, "application/json");
  }
}

}  // namespace goodhart::api
