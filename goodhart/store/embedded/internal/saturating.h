// Saturating int64 arithmetic for counters built from input: absurd values clamp instead of
// overflowing (which would be undefined behaviour).
#pragma once

#include <cstdint>

namespace goodhart::store::internal {

inline void AddSat(int64_t& a, int64_t b) {
  if (__builtin_add_overflow(a, b, &a))
    a = b > 0 ? INT64_MAX : INT64_MIN;
}

inline int64_t SubSat(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r))
    return b < 0 ? INT64_MAX : INT64_MIN;
  return r;
}

}  // namespace goodhart::store::internal
