#include "goodhart/model/token_counts.h"

#include <fmt/format.h>

namespace goodhart::model {

TokenCounts TokenCounts::FromAnthropic(int64_t input, int64_t cache_read, int64_t cache_creation,
                                       int64_t output) {
  return {.input_uncached = input,
          .cache_read = cache_read,
          .cache_write = cache_creation,
          .output = output};
}

Result<TokenCounts> TokenCounts::FromInclusiveInput(int64_t input, int64_t cache_read,
                                                    int64_t cache_write, int64_t output,
                                                    int64_t reasoning) {
  if (cache_read + cache_write > input) {
    return Status::InvalidArgument(
        fmt::format("tokens: cached input ({} read + {} write) exceeds total input {}", cache_read,
                    cache_write, input));
  }
  TokenCounts t{.input_uncached = input - cache_read - cache_write,
                .cache_read = cache_read,
                .cache_write = cache_write,
                .output = output,
                .reasoning = reasoning};
  GOODHART_RETURN_IF_ERROR(t.Validate());
  return t;
}

Status TokenCounts::Validate() const {
  auto negative = [](const char* name, int64_t v) {
    return Status::InvalidArgument(fmt::format("tokens: {} is negative ({})", name, v));
  };
  if (input_uncached < 0)
    return negative("input_uncached", input_uncached);
  if (cache_read < 0)
    return negative("cache_read", cache_read);
  if (cache_write < 0)
    return negative("cache_write", cache_write);
  if (output < 0)
    return negative("output", output);
  if (reasoning < 0)
    return negative("reasoning", reasoning);
  if (reasoning > output) {
    return Status::InvalidArgument(
        fmt::format("tokens: reasoning ({}) exceeds output ({})", reasoning, output));
  }
  return Status::Ok();
}

}  // namespace goodhart::model
