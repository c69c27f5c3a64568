// ArrivalClock: strictly increasing numbers that follow the wall clock in microseconds. They order
// records that arrive in the same millisecond (tool steps) and the states of a delivery record,
// within a node; across nodes, wall-clock order.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace goodhart::store::clickhouse {

// Thread-safe.
class ArrivalClock {
 public:
  // The first of `n` consecutive values, all larger than any returned before.
  uint64_t Reserve(uint64_t n) {
    auto now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
    std::lock_guard lock(mu_);
    uint64_t first = now > next_ ? now : next_;
    next_ = first + (n == 0 ? 1 : n);
    return first;
  }

 private:
  std::mutex mu_;
  uint64_t next_ = 0;  // guarded by mu_
};

}  // namespace goodhart::store::clickhouse
