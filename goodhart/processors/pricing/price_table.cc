#include "goodhart/processors/pricing/price_table.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "goodhart/base/time.h"
#include "goodhart/model/cost_units.h"
#include "goodhart/processors/pricing/internal/builtin_prices.h"

namespace goodhart::processors {
namespace {

constexpr int64_t kMicrosPerMtok = 1'000'000;                  // tokens per "mtok"
constexpr int64_t kMaxPriceMicrosPerMtok = 1'000'000'000'000;  // 1M USD/MTok: surely a typo
constexpr size_t kExactMatch = std::numeric_limits<size_t>::max();
constexpr size_t kNoMatch = 0;

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = LowerAscii(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i]))
      return false;
  }
  return true;
}

// How well the lowercase table name `name` matches a model id from a source: exactly, or as a
// dated id (the name, then '@' and anything, or '-' and "latest" or 4+ digits), scored by the
// name's length so the longest name wins. kNoMatch otherwise.
size_t MatchScore(std::string_view name, std::string_view query) {
  if (query.size() == name.size())
    return EqualsIgnoreCase(name, query) ? kExactMatch : kNoMatch;
  if (query.size() < name.size() + 2 || !EqualsIgnoreCase(query.substr(0, name.size()), name))
    return kNoMatch;
  const char sep = query[name.size()];
  const std::string_view rest = query.substr(name.size() + 1);
  if (sep == '@')
    return name.size();
  if (sep != '-')
    return kNoMatch;
  if (EqualsIgnoreCase(rest, "latest"))
    return name.size();
  if (rest.size() >= 4 &&
      std::all_of(rest.begin(), rest.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    return name.size();
  }
  return kNoMatch;
}

// a * b + c for non-negative operands, saturating at INT64_MAX.
int64_t MulAddSaturating(int64_t a, int64_t b, int64_t c) {
  int64_t product = 0;
  int64_t sum = 0;
  if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(product, c, &sum))
    return std::numeric_limits<int64_t>::max();
  return sum;
}

class TableParser {
 public:
  explicit TableParser(std::string_view origin) : origin_(origin) {}

  Status Error(std::string_view where, std::string_view what) const {
    if (where.empty())
      return Status::InvalidArgument(fmt::format("pricing: {}: {}", origin_, what));
    return Status::InvalidArgument(fmt::format("pricing: {}: {}: {}", origin_, where, what));
  }

  Status CheckKeys(const YAML::Node& node, const std::string& where,
                   const std::set<std::string_view>& allowed) const {
    if (!node.IsMap())
      return Error(where, "expected a mapping");
    for (const auto& kv : node) {
      if (!kv.first.IsScalar())
        return Error(where, "keys must be strings");
      const std::string key = kv.first.Scalar();
      if (!allowed.count(key))
        return Error(where.empty() ? key : fmt::format("{}.{}", where, key), "unknown key");
    }
    return Status::Ok();
  }

  Result<std::string> ReadName(const YAML::Node& node, const std::string& where) const {
    if (!node.IsScalar() || node.Scalar().empty())
      return Error(where, "expected a non-empty string");
    return Lower(node.Scalar());
  }

  Result<int64_t> ReadPrice(const YAML::Node& node, const std::string& where) const {
    if (!node.IsScalar())
      return Error(where, "expected a number (USD per million tokens)");
    auto micros = model::DecimalStringToMicroUsd(node.Scalar(), model::MoneyUnit::kUsd);
    if (!micros.ok()) {
      return Error(where, fmt::format("'{}' is not a decimal number (USD per million tokens)",
                                      node.Scalar().substr(0, 32)));
    }
    if (*micros < 0)
      return Error(where, fmt::format("'{}' is negative", node.Scalar()));
    if (*micros > kMaxPriceMicrosPerMtok)
      return Error(where, fmt::format("'{}' is implausibly large", node.Scalar()));
    return *micros;
  }

  Result<ModelPrice> ReadEntry(const YAML::Node& node, const std::string& where) const {
    GOODHART_RETURN_IF_ERROR(
        CheckKeys(node, where, {"provider", "model", "aliases", "effective_from", "usd_per_mtok"}));
    ModelPrice p;
    if (!node["provider"])
      return Error(where + ".provider", "missing");
    GOODHART_ASSIGN_OR_RETURN(p.provider, ReadName(node["provider"], where + ".provider"));
    if (!node["model"])
      return Error(where + ".model", "missing");
    GOODHART_ASSIGN_OR_RETURN(p.model, ReadName(node["model"], where + ".model"));
    if (const YAML::Node aliases = node["aliases"]) {
      if (!aliases.IsSequence())
        return Error(where + ".aliases", "expected a list of names");
      for (size_t i = 0; i < aliases.size(); ++i) {
        GOODHART_ASSIGN_OR_RETURN(std::string alias,
                                  ReadName(aliases[i], fmt::format("{}.aliases[{}]", where, i)));
        p.aliases.push_back(std::move(alias));
      }
    }
    if (const YAML::Node from = node["effective_from"]) {
      auto ms = from.IsScalar() ? ParseTimestampMillis(from.Scalar())
                                : Result<int64_t>(Status::InvalidArgument("not a scalar"));
      if (!ms.ok()) {
        return Error(where + ".effective_from",
                     fmt::format("'{}' is not a date (2025-09-29) or an RFC 3339 timestamp",
                                 from.IsScalar() ? from.Scalar().substr(0, 32) : "?"));
      }
      p.effective_from_unix_ms = *ms;
    }
    const std::string prices_where = where + ".usd_per_mtok";
    const YAML::Node prices = node["usd_per_mtok"];
    if (!prices)
      return Error(prices_where, "missing");
    GOODHART_RETURN_IF_ERROR(
        CheckKeys(prices, prices_where, {"input", "cache_read", "cache_write", "output"}));
    for (const char* required : {"input", "output"}) {
      if (!prices[required])
        return Error(prices_where + "." + required, "missing");
    }
    GOODHART_ASSIGN_OR_RETURN(p.input_micros_per_mtok,
                              ReadPrice(prices["input"], prices_where + ".input"));
    GOODHART_ASSIGN_OR_RETURN(p.output_micros_per_mtok,
                              ReadPrice(prices["output"], prices_where + ".output"));
    p.cache_read_micros_per_mtok = p.input_micros_per_mtok;
    p.cache_write_micros_per_mtok = p.input_micros_per_mtok;
    if (prices["cache_read"]) {
      GOODHART_ASSIGN_OR_RETURN(p.cache_read_micros_per_mtok,
                                ReadPrice(prices["cache_read"], prices_where + ".cache_read"));
    }
    if (prices["cache_write"]) {
      GOODHART_ASSIGN_OR_RETURN(p.cache_write_micros_per_mtok,
                                ReadPrice(prices["cache_write"], prices_where + ".cache_write"));
    }
    return p;
  }

 private:
  std::string_view origin_;
};

}  // namespace

int64_t CostMicros(const ModelPrice& price, const model::TokenCounts& tokens) {
  // Per bucket, n tokens at p micro-USD/MTok cost n * p pico-USD. Whole millions of tokens cost
  // whole micro-USD; the rest is summed in pico-USD (< 4e18, no overflow) and rounded once.
  int64_t micros = 0;
  int64_t remainder_picos = 0;
  auto add = [&](int64_t n, int64_t p) {
    n = std::max<int64_t>(n, 0);
    micros = MulAddSaturating(n / kMicrosPerMtok, p, micros);
    remainder_picos += (n % kMicrosPerMtok) * p;
  };
  add(tokens.input_uncached, price.input_micros_per_mtok);
  add(tokens.cache_read, price.cache_read_micros_per_mtok);
  add(tokens.cache_write, price.cache_write_micros_per_mtok);
  add(tokens.output, price.output_micros_per_mtok);
  const int64_t rounded = (remainder_picos + kMicrosPerMtok / 2) / kMicrosPerMtok;
  return MulAddSaturating(micros, 1, rounded);
}

Result<PriceTable> PriceTable::FromYaml(std::string_view yaml, std::string_view origin) {
  const TableParser parser(origin);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return parser.Error(fmt::format("line {}, column {}", e.mark.line + 1, e.mark.column + 1),
                        e.msg);
  }

  PriceTable table;
  // Entries of one (provider, model), in file order, each with its index for messages.
  std::vector<std::vector<std::pair<size_t, ModelPrice>>> groups;
  try {
    if (!root.IsMap())
      return parser.Error("", "expected a mapping with 'version' and 'models'");
    GOODHART_RETURN_IF_ERROR(parser.CheckKeys(root, "", {"version", "models"}));
    const YAML::Node version = root["version"];
    if (!version)
      return parser.Error("version", "missing");
    if (!version.IsScalar() || version.Scalar().empty())
      return parser.Error("version", "expected a non-empty string");
    table.version_ = version.Scalar();
    const YAML::Node models = root["models"];
    if (!models)
      return parser.Error("models", "missing");
    if (!models.IsSequence())
      return parser.Error("models", "expected a list of model prices");

    std::map<std::pair<std::string, std::string>, size_t> group_of_name;  // (provider, name)
    for (size_t i = 0; i < models.size(); ++i) {
      const std::string where = fmt::format("models[{}]", i);
      GOODHART_ASSIGN_OR_RETURN(ModelPrice entry, parser.ReadEntry(models[i], where));
      // Entries of the same provider and model form one price history; every name must lead to
      // exactly one model of its provider.
      auto [it, inserted] = group_of_name.try_emplace({entry.provider, entry.model}, groups.size());
      const size_t group = it->second;
      if (inserted) {
        groups.emplace_back();
      } else if (groups[group].front().second.model != entry.model) {
        return parser.Error(where + ".model",
                            fmt::format("'{}' is already an alias of {}/{}", entry.model,
                                        entry.provider, groups[group].front().second.model));
      }
      for (size_t a = 0; a < entry.aliases.size(); ++a) {
        auto [alias_it, alias_new] =
            group_of_name.try_emplace({entry.provider, entry.aliases[a]}, group);
        if (!alias_new && alias_it->second != group) {
          return parser.Error(
              fmt::format("{}.aliases[{}]", where, a),
              fmt::format("'{}' already names {}/{}", entry.aliases[a], entry.provider,
                          groups[alias_it->second].front().second.model));
        }
      }
      for (const auto& [index, other] : groups[group]) {
        if (other.effective_from_unix_ms == entry.effective_from_unix_ms) {
          return parser.Error(where,
                              fmt::format("{}/{} already has a price with this effective_from at "
                                          "models[{}]",
                                          entry.provider, entry.model, index));
        }
      }
      groups[group].emplace_back(i, std::move(entry));
    }
  } catch (const YAML::Exception& e) {
    return parser.Error("", e.what());
  }

  for (auto& entries : groups) {
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.second.effective_from_unix_ms.value_or(std::numeric_limits<int64_t>::min()) <
             b.second.effective_from_unix_ms.value_or(std::numeric_limits<int64_t>::min());
    });
    ModelGroup group{.provider = entries.front().second.provider,
                     .names = {entries.front().second.model},
                     .first = table.prices_.size(),
                     .count = entries.size()};
    for (auto& [index, entry] : entries) {
      for (const auto& alias : entry.aliases) {
        if (std::find(group.names.begin(), group.names.end(), alias) == group.names.end())
          group.names.push_back(alias);
      }
      table.prices_.push_back(std::move(entry));
    }
    table.groups_.push_back(std::move(group));
  }
  return table;
}

Result<PriceTable> PriceTable::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::InvalidArgument(fmt::format("pricing: {}: cannot open the price table", path));
  std::ostringstream text;
  text << in.rdbuf();
  return FromYaml(text.str(), path);
}

std::string_view PriceTable::BuiltinYaml() { return internal::BuiltinPricesYaml(); }

const PriceTable& PriceTable::Builtin() {
  static const PriceTable table = [] {
    auto parsed = FromYaml(BuiltinYaml(), "builtin prices.yaml");
    if (!parsed.ok())
      std::fprintf(stderr, "goodhart: %s\n", parsed.status().ToString().c_str());
    GOODHART_CHECK(parsed.ok());  // prices.yaml is part of the build; price_table_test loads it
    return std::move(parsed).value();
  }();
  return table;
}

std::span<const ModelPrice> PriceTable::History(std::string_view provider,
                                                std::string_view model) const {
  const ModelGroup* best = nullptr;
  size_t best_score = kNoMatch;
  for (const auto& group : groups_) {
    if (!provider.empty() && !EqualsIgnoreCase(group.provider, provider))
      continue;
    for (const auto& name : group.names) {
      const size_t score = MatchScore(name, model);
      if (score > best_score) {
        best_score = score;
        best = &group;
      }
    }
  }
  if (best == nullptr)
    return {};
  return std::span<const ModelPrice>(prices_).subspan(best->first, best->count);
}

const ModelPrice* PriceTable::PriceAt(std::span<const ModelPrice> history, int64_t at_unix_ms) {
  const ModelPrice* in_effect = nullptr;
  for (const auto& entry : history) {
    if (entry.effective_from_unix_ms.value_or(std::numeric_limits<int64_t>::min()) > at_unix_ms)
      break;
    in_effect = &entry;
  }
  return in_effect;
}

Result<const ModelPrice*> PriceTable::Lookup(std::string_view provider, std::string_view model,
                                             int64_t at_unix_ms) const {
  const auto history = History(provider, model);
  if (history.empty()) {
    return Status::NotFound(fmt::format("pricing: no price for provider '{}' model '{}'",
                                        provider.substr(0, 64), model.substr(0, 128)));
  }
  const ModelPrice* price = PriceAt(history, at_unix_ms);
  if (price == nullptr) {
    return Status::NotFound(fmt::format("pricing: {}/{} has no price before {}",
                                        history.front().provider, history.front().model,
                                        FormatMillis(*history.front().effective_from_unix_ms)));
  }
  return price;
}

}  // namespace goodhart::processors
