#include "goodhart/receivers/file/file_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "goodhart/receivers/file/internal/csv_reader.h"
#include "goodhart/receivers/file/internal/json_fields.h"

namespace goodhart::receivers::file {
namespace {

using internal::Json;

// Collects the key paths of the first JSON value ("data.results.uncached_input_tokens"; array
// levels are not written, so a top-level array of records looks like one record) and the values
// of `object` and `type` keys ("data.results.object=organization.usage.completions.result").
// A SAX pass builds no DOM, stops on a decisive OTLP key, and gives up after a budget of tokens:
// a file's first records say what it is.
class KeyScanner {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  static constexpr size_t kMaxDepth = 4;
  static constexpr int64_t kBudget = 500'000;

  bool null() { return Spend(); }
  bool boolean(bool) { return Spend(); }
  bool number_integer(number_integer_t) { return Spend(); }
  bool number_unsigned(number_unsigned_t) { return Spend(); }
  bool number_float(number_float_t, const string_t&) { return Spend(); }
  bool binary(binary_t&) { return Spend(); }
  bool string(string_t& value) {
    if (!path_.empty() && path_.size() <= kMaxDepth &&
        (path_.back() == "object" || path_.back() == "type")) {
      paths_.insert(Joined() + "=" + value.substr(0, 64));
    }
    return Spend();
  }
  bool start_object(size_t) {
    frames_.push_back(false);
    return Spend();
  }
  bool key(string_t& name) {
    if (frames_.back())
      path_.pop_back();
    frames_.back() = true;
    path_.push_back(name);
    if (path_.size() <= kMaxDepth)
      paths_.insert(Joined());
    if (path_.size() == 1 &&
        (name == "resourceLogs" || name == "resourceMetrics" || name == "resourceSpans")) {
      return false;  // decisive
    }
    return true;
  }
  bool end_object() {
    if (frames_.back())
      path_.pop_back();
    frames_.pop_back();
    return true;
  }
  bool start_array(size_t) { return Spend(); }
  bool end_array() { return true; }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  const std::set<std::string>& paths() const { return paths_; }

 private:
  bool Spend() { return ++spent_ < kBudget; }
  std::string Joined() const {
    std::string out;
    for (const auto& part : path_) {
      if (!out.empty())
        out += '.';
      out += part;
    }
    return out;
  }

  std::vector<bool> frames_;  // per open object: has it pushed a key onto path_?
  std::vector<std::string> path_;
  std::set<std::string> paths_;
  int64_t spent_ = 0;
};

class Keys {
 public:
  explicit Keys(const std::set<std::string>& paths) : paths_(paths) {}
  bool Has(std::string_view path) const { return paths_.contains(std::string(path)); }
  bool HasAny(std::initializer_list<std::string_view> paths) const {
    return std::any_of(paths.begin(), paths.end(), [&](std::string_view p) { return Has(p); });
  }
  // Some recorded "path=value" starts with `prefix`.
  bool HasValuePrefix(std::string_view prefix) const {
    auto it = paths_.lower_bound(std::string(prefix));
    return it != paths_.end() && std::string_view(*it).starts_with(prefix);
  }
  std::vector<std::string_view> TopLevel() const {
    std::vector<std::string_view> out;
    for (const auto& p : paths_) {
      if (p.find_first_of(".=") == std::string::npos)
        out.push_back(p);
    }
    return out;
  }

 private:
  const std::set<std::string>& paths_;
};

bool NameSaysCost(std::string_view file_name) {
  size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos)
    file_name.remove_prefix(slash + 1);
  std::string lower(file_name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("cost") != std::string::npos;
}

constexpr std::array<std::string_view, 35> kCanonicalKeys = {"event_key",
                                                             "source",
                                                             "raw_id",
                                                             "kind",
                                                             "signal",
                                                             "event_name",
                                                             "time",
                                                             "time_unix_ms",
                                                             "end",
                                                             "end_unix_ms",
                                                             "actor",
                                                             "actor_kind",
                                                             "organization",
                                                             "session_id",
                                                             "prompt_id",
                                                             "tool",
                                                             "tool_version",
                                                             "agent",
                                                             "query_source",
                                                             "provider",
                                                             "model",
                                                             "tokens",
                                                             "request_count",
                                                             "reported_cost_micros",
                                                             "computed_cost_micros",
                                                             "duration_ms",
                                                             "request_id",
                                                             "prompt_length",
                                                             "prompt_sketch",
                                                             "series_key",
                                                             "temporality",
                                                             "series_start",
                                                             "git_commit_id",
                                                             "tool_name",
                                                             "tool_step_fingerprint"};

bool LooksCanonical(const Keys& keys) {
  std::vector<std::string_view> top = keys.TopLevel();
  int known = 0;
  for (std::string_view key : top) {
    if (std::find(kCanonicalKeys.begin(), kCanonicalKeys.end(), key) != kCanonicalKeys.end())
      ++known;
  }
  return keys.HasAny({"time", "time_unix_ms"}) && keys.HasAny({"tokens", "kind", "event_key"}) &&
         known >= 3;
}

FileFormat ClassifyJson(const Keys& k, std::string_view file_name) {
  if (k.Has("resourceLogs"))
    return FileFormat::kOtlpLogs;
  if (k.Has("resourceMetrics"))
    return FileFormat::kOtlpMetrics;
  if (k.Has("resourceSpans"))
    return FileFormat::kOtlpTraces;
  if (k.Has("usageItems"))
    return FileFormat::kCopilotBillingJson;

  // OpenAI pages: {"object": "page", data: [{"object": "bucket", results: [...]}]}.
  if (k.HasValuePrefix("data.results.object=organization.costs"))
    return FileFormat::kOpenAiCosts;
  if (k.HasValuePrefix("data.results.object=organization.usage") ||
      k.HasValuePrefix("data.result.object=organization.usage")) {
    return FileFormat::kOpenAiUsage;
  }
  if (k.Has("object=page") || k.Has("data.object=bucket")) {
    if (k.Has("data.results.amount.value"))
      return FileFormat::kOpenAiCosts;
    if (k.HasAny({"data.results.num_model_requests", "data.results.input_tokens"}))
      return FileFormat::kOpenAiUsage;
    return NameSaysCost(file_name) ? FileFormat::kOpenAiCosts : FileFormat::kOpenAiUsage;
  }

  // Anthropic.
  if (k.HasAny({"data.model_breakdown", "data.core_metrics", "data.actor.email_address",
                "data.actor.api_key_name"})) {
    return FileFormat::kClaudeCodeUsageReport;
  }
  bool usage_keys = k.HasAny({"data.uncached_input_tokens", "data.results.uncached_input_tokens",
                              "data.output_tokens", "data.results.output_tokens"});
  bool cost_keys = k.HasAny(
      {"data.amount", "data.results.amount", "data.list_amount", "data.results.list_amount"});
  bool analytics =
      k.HasAny({"data_refreshed_at", "data.actor", "data.product", "data.results.product",
                "data.rbac_group_id", "data.results.rbac_group_id"});
  if (analytics) {
    if (usage_keys != cost_keys) {
      return usage_keys ? FileFormat::kAnthropicAnalyticsUsage
                        : FileFormat::kAnthropicAnalyticsCost;
    }
    return NameSaysCost(file_name) ? FileFormat::kAnthropicAnalyticsCost
                                   : FileFormat::kAnthropicAnalyticsUsage;
  }
  if (k.Has("data.starting_at") || k.Has("data.results")) {
    if (usage_keys != cost_keys)
      return usage_keys ? FileFormat::kAnthropicUsageReport : FileFormat::kAnthropicCostReport;
    return NameSaysCost(file_name) ? FileFormat::kAnthropicCostReport
                                   : FileFormat::kAnthropicUsageReport;
  }

  // Copilot usage-metrics reports (per user, or organisation/enterprise day totals).
  if (k.HasAny({"user_login", "day_totals", "user_totals", "totals_by_cli", "totals_by_ide",
                "totals_by_feature", "user_initiated_interaction_count"})) {
    return FileFormat::kCopilotUsageNdjson;
  }
  // Legacy Copilot metrics API (date) and the older usage API (day + suggestion counts).
  if ((k.Has("date") && k.HasAny({"total_active_users", "total_engaged_users",
                                  "copilot_ide_code_completions", "copilot_ide_chat"})) ||
      (k.Has("day") && k.HasAny({"total_suggestions_count", "breakdown"}))) {
    return FileFormat::kCopilotLegacyMetrics;
  }
  if (k.Has("kind") && k.Has("record") && k.TopLevel().size() == 2)
    return FileFormat::kDeliveryJsonl;
  if (LooksCanonical(k))
    return FileFormat::kCanonicalJsonl;
  return FileFormat::kUnknown;
}

FileFormat ClassifyCsv(std::string_view content) {
  internal::CsvReader reader(content);
  std::vector<std::string> header;
  auto read = reader.Next(&header);
  if (!read.ok() || !*read)
    return FileFormat::kUnknown;
  std::set<std::string> names;
  for (std::string name : header) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names.insert(std::move(name));
  }
  if (names.contains("date") && names.contains("username") &&
      (names.contains("net_amount") || names.contains("quantity") || names.contains("sku"))) {
    return FileFormat::kCopilotBillingCsv;
  }
  return FileFormat::kUnknown;
}

}  // namespace

std::string_view FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCanonicalJsonl:
      return "canonical_jsonl";
    case FileFormat::kDeliveryJsonl:
      return "delivery_jsonl";
    case FileFormat::kAnthropicUsageReport:
      return "anthropic_usage_report";
    case FileFormat::kAnthropicCostReport:
      return "anthropic_cost_report";
    case FileFormat::kClaudeCodeUsageReport:
      return "claude_code_usage_report";
    case FileFormat::kAnthropicAnalyticsUsage:
      return "anthropic_analytics_usage";
    case FileFormat::kAnthropicAnalyticsCost:
      return "anthropic_analytics_cost";
    case FileFormat::kOpenAiUsage:
      return "openai_usage";
    case FileFormat::kOpenAiCosts:
      return "openai_costs";
    case FileFormat::kCopilotUsageNdjson:
      return "copilot_usage";
    case FileFormat::kCopilotLegacyMetrics:
      return "copilot_legacy_metrics";
    case FileFormat::kCopilotBillingCsv:
      return "copilot_billing_csv";
    case FileFormat::kCopilotBillingJson:
      return "copilot_billing_json";
    case FileFormat::kOtlpLogs:
      return "otlp_logs";
    case FileFormat::kOtlpMetrics:
      return "otlp_metrics";
    case FileFormat::kOtlpTraces:
      return "otlp_traces";
    case FileFormat::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// The signature is the CLI-facing API; a swap would show at once (nothing would be detected).
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
FileFormat DetectFormat(std::string_view file_name, std::string_view content) {
  content = internal::StripBom(content);
  size_t start = content.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos)
    return FileFormat::kUnknown;
  content.remove_prefix(start);
  if (content[0] != '{' && content[0] != '[')
    return ClassifyCsv(content);
  KeyScanner scanner;
  try {
    // strict=false: stop after the first value, so NDJSON's first line is read alone.
    (void)Json::sax_parse(content.begin(), content.end(), &scanner, Json::input_format_t::json,
                          /*strict=*/false);
  } catch (const Json::exception&) {
    // Keep what was collected before the problem; a damaged file still shows its shape.
  }
  return ClassifyJson(Keys(scanner.paths()), file_name);
}

}  // namespace goodhart::receivers::file
