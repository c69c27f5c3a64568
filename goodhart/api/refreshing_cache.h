// A cache of computed answers (reports, dashboard views) shared by every caller asking the same
// question, so a dashboard's many readers cost one computation, and a reader never waits for a
// recomputation that only new telemetry caused.
//
// Each answer is stored with the change stamps of its inputs as they were when its computation
// began. A later Get with other stamps finds it stale:
// - `urgent` differs (a reviewer's disposition, a directory change): the caller computes anew and
//   everyone waits for that one computation, so a change people make shows on their next read;
// - only `data` differs (ingest keeps running): the stale answer is served until it is
//   `refresh_ms` old; then one caller recomputes while the others keep getting the stale answer,
//   and only one such refresh runs at a time in the whole cache (the others wait their turn
//   serving their stale answers), so refreshes never take more than one core from readers.
// A caller asking for a `fresh` answer (HTTP's `Cache-Control: no-cache`) gets one computed with
// its stamps, waiting if need be. Equal callers never compute twice at once. Failures are not
// cached. The least recently used entry beyond `max_entries` is dropped. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "goodhart/base/clock.h"
#include "goodhart/base/status.h"

namespace goodhart::api {

struct ChangeStamps {
  int64_t data = 0;    // changes that may show after up to refresh_ms (ingest)
  int64_t urgent = 0;  // changes that must show at once (dispositions, directory)
  bool operator==(const ChangeStamps&) const = default;
};

template <typename T>
class RefreshingCache {
 public:
  struct Options {
    int64_t refresh_ms = 5'000;
    size_t max_entries = 64;
  };
  using Value = std::shared_ptr<const T>;

  RefreshingCache(Options options, const Clock& clock) : options_(options), clock_(clock) {}

  Result<Value> Get(const std::string& key, ChangeStamps stamps,
                    const std::function<Result<T>()>& compute, bool fresh = false) {
    std::unique_lock lock(mu_);
    bool counted_refresh = false;
    while (true) {
      // Looked up anew after every wait: the entry may have been evicted meanwhile.
      Entry& e = entries_[key];
      e.last_used = ++uses_;
      if (e.value != nullptr && Servable(e, stamps, fresh))
        return e.value;
      // Only new data made it stale: one refresh at a time in the whole cache, so refreshing
      // answers never takes more than one core from the readers.
      bool refresh = !fresh && e.value != nullptr && e.stamps.urgent == stamps.urgent;
      if (refresh && refreshing_ > 0)
        return e.value;
      if (!e.computing) {
        e.computing = true;
        refreshing_ += refresh ? 1 : 0;
        counted_refresh = refresh;
        break;
      }
      if (!fresh && e.value != nullptr && e.stamps.urgent == stamps.urgent)
        return e.value;  // someone is refreshing for new data: the stale answer will do
      computed_.wait(lock);
    }
    lock.unlock();
    Result<T> result = compute();
    lock.lock();
    Entry& done = entries_[key];  // a reference is stable in a std::map
    done.computing = false;
    refreshing_ -= counted_refresh ? 1 : 0;
    computed_.notify_all();
    if (!result.ok())
      return result.status();
    done.value = std::make_shared<const T>(std::move(result).value());
    done.stamps = stamps;
    done.computed_ms = clock_.NowMillis();
    done.last_used = ++uses_;
    Value value = done.value;
    Evict();
    return value;
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    Value value;
    ChangeStamps stamps;
    int64_t computed_ms = 0;
    uint64_t last_used = 0;
    bool computing = false;
  };

  bool Servable(const Entry& e, ChangeStamps stamps, bool fresh) const {
    if (e.stamps == stamps)
      return true;
    return !fresh && e.stamps.urgent == stamps.urgent &&
           clock_.NowMillis() - e.computed_ms < options_.refresh_ms;
  }

  void Evict() {
    while (entries_.size() > options_.max_entries) {
      auto oldest = entries_.end();
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (!it->second.computing &&
            (oldest == entries_.end() || it->second.last_used < oldest->second.last_used))
          oldest = it;
      }
      if (oldest == entries_.end())
        return;
      entries_.erase(oldest);
    }
  }

  const Options options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable computed_;
  std::map<std::string, Entry> entries_;
  uint64_t uses_ = 0;
  int refreshing_ = 0;  // refreshes running (computations replacing an answer only data made stale)
};

}  // namespace goodhart::api
