#include "goodhart/simulate/emit/otlp_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "goodhart/base/time.h"

namespace goodhart::simulate::emit {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json Str(std::string_view key, std::string_view value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}
json Int(std::string_view key, int64_t value) {  // Claude Code sends intValue as a bare number
  return {{"key", key}, {"value", {{"intValue", value}}}};
}
json Dbl(std::string_view key, double value) {
  return {{"key", key}, {"value", {{"doubleValue", value}}}};
}
std::string Nanos(int64_t unix_ms) { return fmt::format("{}000000", unix_ms); }

json Resource() {
  return {{"attributes", json::array({Str("service.name", "claude-code"),
                                      Str("service.version", kClaudeCodeVersion),
                                      Str("os.type", "linux"), Str("host.arch", "amd64")})}};
}

json LogRecord(const WireUsage& u) {
  const model::UsageEvent& e = u.event;
  json attrs = json::array({Str("event.name", e.event_name),
                            Str("event.timestamp", FormatMillis(e.time_unix_ms)),
                            Int("event.sequence", u.sequence), Str("session.id", e.session_id),
                            Str("user.email", e.actor), Str("organization.id", e.organization),
                            Str("terminal.type", "vscode"), Str("prompt.id", e.prompt_id)});
  if (e.kind == model::UsageKind::kPrompt) {
    attrs.push_back(Int("prompt_length", e.prompt_length));
    attrs.push_back(Str("prompt", u.prompt));
  } else {
    const model::TokenCounts& t = e.tokens;
    const int64_t cost = e.reported_cost_micros.value_or(0);
    attrs.push_back(Str("model", e.model));
    attrs.push_back(Dbl("cost_usd", static_cast<double>(cost) / 1e6));
    attrs.push_back(Int("cost_usd_micros", cost));
    attrs.push_back(Int("duration_ms", e.duration_ms));
    attrs.push_back(Int("input_tokens", t.input_uncached));
    attrs.push_back(Int("output_tokens", t.output));
    attrs.push_back(Int("cache_read_tokens", t.cache_read));
    attrs.push_back(Int("cache_creation_tokens", t.cache_write));
    attrs.push_back(Str("request_id", e.request_id));
    attrs.push_back(Str("query_source", e.query_source));
  }
  return {{"timeUnixNano", Nanos(e.time_unix_ms)},
          {"observedTimeUnixNano", Nanos(e.time_unix_ms)},
          {"severityNumber", 9},
          {"body", {{"stringValue", "claude_code." + e.event_name}}},
          {"attributes", std::move(attrs)}};
}

json LogsBody(const std::vector<const WireUsage*>& events) {
  json records = json::array();
  for (const WireUsage* u : events)
    records.push_back(LogRecord(*u));
  return {{"resourceLogs",
           json::array({{{"resource", Resource()},
                         {"scopeLogs", json::array({{{"scope",
                                                      {{"name", "com.anthropic.claude_code.events"},
                                                       {"version", kClaudeCodeVersion}}},
                                                     {"logRecords", std::move(records)}}})}}})}};
}

// Per session: tokens by type and cost, from its api_request events, over [first, last].
struct SessionSums {
  std::string actor, organization, model;
  int64_t first = 0, last = 0;
  model::TokenCounts tokens;
  int64_t cost_micros = 0;
};

json MetricsBody(const std::vector<const WireUsage*>& events, int64_t* points) {
  std::map<std::string, SessionSums> sessions;
  for (const WireUsage* u : events) {
    const model::UsageEvent& e = u->event;
    if (e.kind != model::UsageKind::kModelCall)
      continue;
    SessionSums& s = sessions[e.session_id];
    if (s.first == 0)
      s.first = e.time_unix_ms;
    s.last = e.time_unix_ms;
    s.actor = e.actor;
    s.organization = e.organization;
    s.model = e.model;
    s.tokens += e.tokens;
    s.cost_micros += e.reported_cost_micros.value_or(0);
  }
  json token_points = json::array(), cost_points = json::array();
  for (const auto& [session, s] : sessions) {
    auto attrs = [&](std::string_view type) {
      json a = json::array({Str("session.id", session), Str("user.email", s.actor),
                            Str("organization.id", s.organization), Str("model", s.model)});
      if (!type.empty())
        a.push_back(Str("type", type));
      return a;
    };
    const std::pair<const char*, int64_t> types[] = {{"input", s.tokens.input_uncached},
                                                     {"output", s.tokens.output},
                                                     {"cacheRead", s.tokens.cache_read},
                                                     {"cacheCreation", s.tokens.cache_write}};
    for (const auto& [type, value] : types) {
      token_points.push_back({{"attributes", attrs(type)},
                              {"startTimeUnixNano", Nanos(s.first)},
                              {"timeUnixNano", Nanos(s.last)},
                              {"asDouble", static_cast<double>(value)}});
    }
    cost_points.push_back({{"attributes", attrs("")},
                           {"startTimeUnixNano", Nanos(s.first)},
                           {"timeUnixNano", Nanos(s.last)},
                           {"asDouble", static_cast<double>(s.cost_micros) / 1e6}});
  }
  *points += static_cast<int64_t>(token_points.size() + cost_points.size());
  auto sum = [](json dataPoints) {
    return json{{"aggregationTemporality", 1},
                {"isMonotonic", true},
                {"dataPoints", std::move(dataPoints)}};
  };
  json metrics = json::array({{{"name", "claude_code.token.usage"},
                               {"unit", "tokens"},
                               {"description", "Number of tokens used"},
                               {"sum", sum(std::move(token_points))}},
                              {{"name", "claude_code.cost.usage"},
                               {"unit", "USD"},
                               {"description", "Cost of the Claude Code session"},
                               {"sum", sum(std::move(cost_points))}}});
  return {{"resourceMetrics",
           json::array({{{"resource", Resource()},
                         {"scopeMetrics", json::array({{{"scope",
                                                         {{"name", "com.anthropic.claude_code"},
                                                          {"version", kClaudeCodeVersion}}},
                                                        {"metrics", std::move(metrics)}}})}}})}};
}

Status WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush())
    return Status::Unavailable(fmt::format("simulate: emit: {}: cannot write", path.string()));
  return Status::Ok();
}

}  // namespace

Result<OtlpWriteStats> WriteOtlpBodies(const WireRecords& records, const std::string& dir) {
  const fs::path logs = fs::path(dir) / "logs", metrics = fs::path(dir) / "metrics";
  std::error_code ec;
  fs::create_directories(logs, ec);
  fs::create_directories(metrics, ec);
  if (ec)
    return Status::Unavailable(fmt::format("simulate: emit: {}: {}", dir, ec.message()));
  // One exporter per engineer and day: (day, actor) -> events in time order.
  std::map<std::pair<int64_t, std::string>, std::vector<const WireUsage*>> bodies;
  for (const WireUsage& u : records.usage)
    bodies[{DayOfMillis(u.event.time_unix_ms), u.event.actor}].push_back(&u);
  OtlpWriteStats stats;
  for (const auto& [key, events] : bodies) {
    const std::string stem =
        fmt::format("{}-{}.json", FormatMillis(key.first * kMillisPerDay).substr(0, 10),
                    key.second.substr(0, key.second.find('@')));
    std::string text = LogsBody(events).dump();
    GOODHART_RETURN_IF_ERROR(WriteFile(logs / stem, text));
    stats.log_bodies += 1;
    stats.log_records += static_cast<int64_t>(events.size());
    stats.bytes += static_cast<int64_t>(text.size());
    text = MetricsBody(events, &stats.metric_points).dump();
    GOODHART_RETURN_IF_ERROR(WriteFile(metrics / stem, text));
    stats.metric_bodies += 1;
    stats.bytes += static_cast<int64_t>(text.size());
  }
  return stats;
}

}  // namespace goodhart::simulate::emit
