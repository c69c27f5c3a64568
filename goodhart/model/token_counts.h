// TokenCounts: the four disjoint token buckets goodhart normalises every provider to.
//
// Providers disagree on what "input tokens" means (formats.md §2): Anthropic's input_tokens
// excludes cache reads and writes, OpenAI's prompt_tokens includes cached tokens, GenAI semconv's
// gen_ai.usage.input_tokens SHOULD include both. goodhart keeps four buckets that never overlap, so
// they can be summed and priced independently, plus reasoning, which is a part of output.
#pragma once

#include <cstdint>

#include "goodhart/base/status.h"

namespace goodhart::model {

struct TokenCounts {
  int64_t input_uncached = 0;  // input tokens neither read from nor written to a cache
  int64_t cache_read = 0;      // input tokens served from a prompt cache
  int64_t cache_write = 0;     // input tokens written to a prompt cache (Anthropic cache_creation)
  int64_t output = 0;          // all output tokens, reasoning included
  int64_t reasoning = 0;       // the part of `output` spent on reasoning (informational)

  int64_t TotalInput() const { return input_uncached + cache_read + cache_write; }
  int64_t Total() const { return TotalInput() + output; }

  TokenCounts& operator+=(const TokenCounts& o) {
    input_uncached += o.input_uncached;
    cache_read += o.cache_read;
    cache_write += o.cache_write;
    output += o.output;
    reasoning += o.reasoning;
    return *this;
  }
  bool operator==(const TokenCounts&) const = default;

  // Anthropic accounting: input excludes cache read and creation (disjoint already).
  static TokenCounts FromAnthropic(int64_t input, int64_t cache_read, int64_t cache_creation,
                                   int64_t output);
  // OpenAI and GenAI-semconv accounting: `input` includes cached (and cache-write) tokens, and
  // `output` includes reasoning. A cached count larger than the input total is an error.
  static Result<TokenCounts> FromInclusiveInput(int64_t input, int64_t cache_read,
                                                int64_t cache_write, int64_t output,
                                                int64_t reasoning);

  // Every bucket non-negative and reasoning <= output.
  Status Validate() const;
};

}  // namespace goodhart::model
