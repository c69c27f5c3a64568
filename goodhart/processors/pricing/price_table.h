// PriceTable: a versioned price list (per provider and model, per token bucket) that computes the
// cost of usage whose source reported none, or reported it in a way that needs checking; reported
// and computed cost are kept side by side on each UsageEvent (formats.md §2, §5).
//
// The table is YAML. The built-in one is prices.yaml in this folder, compiled into the binary;
// operators replace it with their own file (config pricing.file):
//
//   version: "2026-02-17"            # stamped into reports
//   models:
//     - provider: anthropic
//       model: claude-sonnet-4-5     # exact, or a dated id: "claude-sonnet-4-5-20250929"
//       aliases: [claude-sonnet-4.5]
//       effective_from: 2025-09-29   # optional; several entries per model = price history
//       usd_per_mtok: {input: 3.00, cache_read: 0.30, cache_write: 3.75, output: 15.00}
//
// Prices are held exactly, as integer micro-USD per million tokens (= pico-USD per token), so a
// cost is exact integer arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/token_counts.h"

namespace goodhart::processors {

// One price entry: a model's prices from `effective_from_unix_ms` until the next entry's.
struct ModelPrice {
  std::string provider;                           // lowercase, as in the table
  std::string model;                              // lowercase canonical name
  std::vector<std::string> aliases;               // lowercase
  std::optional<int64_t> effective_from_unix_ms;  // nullopt: since always
  // Micro-USD per million tokens, per model::TokenCounts bucket. 3.00 USD/MTok is 3'000'000.
  int64_t input_micros_per_mtok = 0;        // uncached input
  int64_t cache_read_micros_per_mtok = 0;   // defaults to the input price
  int64_t cache_write_micros_per_mtok = 0;  // defaults to the input price
  int64_t output_micros_per_mtok = 0;       // reasoning included
  bool operator==(const ModelPrice&) const = default;
};

// The cost of `tokens` at `price`, in micro-USD, rounded half up once over the whole sum.
// Negative buckets count as zero; a cost beyond INT64_MAX saturates.
int64_t CostMicros(const ModelPrice& price, const model::TokenCounts& tokens);

// Immutable after loading; thread-safe for concurrent const use. Copyable.
class PriceTable {
 public:
  // Parses and validates a table. Errors read "pricing: <origin>: models[3].usd_per_mtok.input:
  // ...", naming the field.
  static Result<PriceTable> FromYaml(std::string_view yaml,
                                     std::string_view origin = "prices.yaml");
  // Reads a table file; `path` is the origin in error messages.
  static Result<PriceTable> FromFile(const std::string& path);

  // The table compiled into the binary from prices.yaml, parsed once.
  static const PriceTable& Builtin();
  // The text of the built-in prices.yaml.
  static std::string_view BuiltinYaml();

  const std::string& version() const { return version_; }
  // Every entry, grouped by model; a model's entries are in ascending effective_from order.
  const std::vector<ModelPrice>& prices() const { return prices_; }

  // The price in effect at `at_unix_ms` for `model` (case-insensitive) of `provider`; an empty
  // provider matches any, the first model in file order winning a tie. The pointer stays valid
  // while the table lives. NotFound if no model matches or no entry is in effect yet.
  Result<const ModelPrice*> Lookup(std::string_view provider, std::string_view model,
                                   int64_t at_unix_ms) const;

  // Name resolution without a time, for callers pricing many events of one model: the matched
  // model's entries, ascending by effective_from (empty if none). Valid while the table lives.
  std::span<const ModelPrice> History(std::string_view provider, std::string_view model) const;
  // The entry of `history` in effect at `at_unix_ms`, or nullptr.
  static const ModelPrice* PriceAt(std::span<const ModelPrice> history, int64_t at_unix_ms);

 private:
  struct ModelGroup {
    std::string provider;
    std::vector<std::string> names;  // canonical name and every alias, lowercase
    size_t first = 0;                // entries prices_[first, first + count)
    size_t count = 0;
  };

  std::string version_;
  std::vector<ModelPrice> prices_;
  std::vector<ModelGroup> groups_;
};

}  // namespace goodhart::processors
