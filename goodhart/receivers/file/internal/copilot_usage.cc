// GitHub Copilot usage-metrics reports (formats.md §4): the real downloads are NDJSON, one record
// per line; the docs wrap records in an array and copilot-metrics-viewer's mocks are single
// documents holding day_totals[] or user_totals[]. All three shapes come through one walk. Also
// the legacy metrics/usage API day arrays, which carry no tokens and are only counted.
#include <fmt/format.h>

#include <optional>
#include <utility>

#include "goodhart/base/time.h"
#include "goodhart/receivers/file/internal/decoders.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file::internal {
namespace {

using model::UsageEvent;
using model::UsageKind;

constexpr std::string_view kSource = "copilot_usage";

// Report-level fields a container passes down to its records.
struct Context {
  std::string report_day, report_start_day, report_end_day, organization_id, enterprise_id;
};

Status UpdateContext(const Json& object, Context& ctx) {
  for (auto [key, field] : {std::pair{"report_day", &Context::report_day},
                            std::pair{"report_start_day", &Context::report_start_day},
                            std::pair{"report_end_day", &Context::report_end_day},
                            std::pair{"organization_id", &Context::organization_id},
                            std::pair{"enterprise_id", &Context::enterprise_id}}) {
    GOODHART_ASSIGN_OR_RETURN(std::string value, ReadString(object, key));
    if (!value.empty())
      ctx.*field = std::move(value);
  }
  return Status::Ok();
}

struct Period {
  int64_t start_ms = 0, end_ms = 0;
  // Keys use normalised dates: "2025-10-01" however the report spelled the day.
  void AddTo(RecordId& id) const {
    id.Add(FormatDay(DayOfMillis(start_ms))).Add("last_day", FormatDay(DayOfMillis(end_ms) - 1));
  }
};

Result<int64_t> DayStart(std::string_view field, const std::string& day) {
  auto t = ParseTimestampMillis(day);
  if (!t.ok())
    return t.status().WithPrefix(field);
  return DayOfMillis(*t) * kMillisPerDay;
}

// The record's own `day`, else the report's day or its [report_start_day, report_end_day].
Result<Period> ReadPeriod(const Json& record, const Context& ctx) {
  Period p;
  GOODHART_ASSIGN_OR_RETURN(std::string day, ReadString(record, "day"));
  std::string_view field = "day";
  if (day.empty() && !ctx.report_day.empty()) {
    day = ctx.report_day;
    field = "report_day";
  }
  if (!day.empty()) {
    GOODHART_ASSIGN_OR_RETURN(p.start_ms, DayStart(field, day));
    p.end_ms = p.start_ms + kMillisPerDay;
    return p;
  }
  if (ctx.report_start_day.empty() || ctx.report_end_day.empty())
    return Status::InvalidArgument("day: missing, and the report gives no day or range");
  GOODHART_ASSIGN_OR_RETURN(p.start_ms, DayStart("report_start_day", ctx.report_start_day));
  GOODHART_ASSIGN_OR_RETURN(int64_t last, DayStart("report_end_day", ctx.report_end_day));
  if (last < p.start_ms)
    return Status::InvalidArgument("report_end_day: before report_start_day");
  p.end_ms = last + kMillisPerDay;
  return p;
}

struct CliTotals {
  bool present = false, has_tokens = false;
  int64_t requests = 0, prompt_tokens = 0, output_tokens = 0;
};

Result<CliTotals> ReadCliTotals(const Json& record) {
  CliTotals t;
  const Json* cli = Member(record, "totals_by_cli");
  if (cli == nullptr)
    return t;
  if (!cli->is_object())
    return Status::InvalidArgument("totals_by_cli: not an object");
  t.present = true;
  GOODHART_ASSIGN_OR_RETURN(t.requests,
                            ReadCount(*cli, "request_count", "totals_by_cli.request_count"));
  if (const Json* usage = Member(*cli, "token_usage"); usage != nullptr) {
    t.has_tokens = true;
    GOODHART_ASSIGN_OR_RETURN(
        t.prompt_tokens,
        ReadCount(*usage, "prompt_tokens_sum", "totals_by_cli.token_usage.prompt_tokens_sum"));
    GOODHART_ASSIGN_OR_RETURN(
        t.output_tokens,
        ReadCount(*usage, "output_tokens_sum", "totals_by_cli.token_usage.output_tokens_sum"));
  }
  return t;
}

UsageEvent NewAggregate(const Period& period, const CliTotals& cli) {
  UsageEvent e;
  e.kind = UsageKind::kUsageAggregate;
  e.tool = "copilot";
  e.provider = "github";
  e.time_unix_ms = period.start_ms;
  e.end_unix_ms = period.end_ms;
  // Copilot reports prompt tokens without a cache split: all of them count as uncached input.
  e.tokens.input_uncached = cli.prompt_tokens;
  e.tokens.output = cli.output_tokens;
  return e;
}

Result<UsageEvent> UserRecord(const Json& record, const Context& ctx) {
  GOODHART_ASSIGN_OR_RETURN(Period period, ReadPeriod(record, ctx));
  GOODHART_ASSIGN_OR_RETURN(std::string login, ReadString(record, "user_login"));
  if (login.empty()) {
    GOODHART_ASSIGN_OR_RETURN(login, ReadString(record, "login"));
  }
  GOODHART_ASSIGN_OR_RETURN(std::string user_id, ReadString(record, "user_id"));
  GOODHART_ASSIGN_OR_RETURN(CliTotals cli, ReadCliTotals(record));
  UsageEvent e = NewAggregate(period, cli);
  e.event_name = period.start_ms + kMillisPerDay == period.end_ms ? "user_day" : "user_period";
  e.actor = login;
  e.actor_kind = "login";
  e.organization = ctx.organization_id.empty() ? ctx.enterprise_id : ctx.organization_id;
  if (cli.present) {
    e.request_count = cli.requests;
  } else {
    GOODHART_ASSIGN_OR_RETURN(e.request_count,
                              ReadCount(record, "user_initiated_interaction_count"));
  }
  RecordId id;
  period.AddTo(id);
  id.Add("user_id", user_id)
      .Add("login", login)
      .Add("organization_id", ctx.organization_id)
      .Add("enterprise_id", ctx.enterprise_id);
  e.event_key = id.Key(kSource);
  e.raw_id = id.raw_id();
  return e;
}

// nullopt when the day's totals carry no tokens (most organisation and enterprise reports).
Result<std::optional<UsageEvent>> AggregateRecord(const Json& record, const Context& ctx) {
  GOODHART_ASSIGN_OR_RETURN(CliTotals cli, ReadCliTotals(record));
  if (!cli.has_tokens)
    return std::optional<UsageEvent>();
  GOODHART_ASSIGN_OR_RETURN(Period period, ReadPeriod(record, ctx));
  UsageEvent e = NewAggregate(period, cli);
  bool enterprise = ctx.organization_id.empty();
  e.event_name = enterprise ? "enterprise_day" : "organization_day";
  e.organization = enterprise ? ctx.enterprise_id : ctx.organization_id;
  e.request_count = cli.requests;
  RecordId id;
  period.AddTo(id);
  id.Add("organization_id", ctx.organization_id).Add("enterprise_id", ctx.enterprise_id);
  e.event_key = id.Key(kSource);
  e.raw_id = id.raw_id();
  return std::optional<UsageEvent>(std::move(e));
}

// Report shapes nest at most three deep ([{day_totals: [record]}]); the cap keeps adversarial
// nesting from exhausting the stack.
constexpr int kMaxNesting = 8;

void Walk(const Json& value, const std::string& where, Context ctx, RecordSink& sink,
          int depth = 0) {
  if (depth > kMaxNesting) {
    sink.Reject(where, Status::InvalidArgument("nested too deeply"));
    return;
  }
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      Walk(value[i], fmt::format("{}[{}]", where, i), ctx, sink, depth + 1);
    return;
  }
  if (!value.is_object()) {
    sink.Reject(where, Status::InvalidArgument("not an object"));
    return;
  }
  if (Status s = UpdateContext(value, ctx); !s.ok()) {
    sink.Reject(where, s);
    return;
  }
  for (std::string_view list : {"day_totals", "user_totals"}) {
    if (const Json* records = Member(value, list); records != nullptr) {
      if (!records->is_array()) {
        sink.Reject(where, Status::InvalidArgument(fmt::format("{}: not an array", list)));
        return;
      }
      std::string prefix = where.empty() ? std::string(list) : fmt::format("{}.{}", where, list);
      for (size_t i = 0; i < records->size(); ++i)
        Walk((*records)[i], fmt::format("{}[{}]", prefix, i), ctx, sink, depth + 1);
      return;
    }
  }
  std::string_view label = where.empty() ? std::string_view("document") : where;
  if (Member(value, "user_login") != nullptr || Member(value, "login") != nullptr) {
    sink.Add(label, UserRecord(value, ctx));
    return;
  }
  auto aggregate = AggregateRecord(value, ctx);
  if (!aggregate.ok()) {
    sink.Reject(label, aggregate.status());
  } else if (aggregate->has_value()) {
    sink.Add(label, std::move(**aggregate));
  } else {
    sink.Ignore();
  }
}

}  // namespace

Status DecodeCopilotUsage(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kSource, out);
  content = StripBom(content);
  Json doc = Json::parse(content.begin(), content.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    Walk(doc, "", Context{}, sink);
    return Status::Ok();
  }
  // NDJSON: one record per line, each parsed on its own so a bad line costs only itself.
  int64_t line_number = 0, parsed = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos)
      end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos)
      continue;
    std::string where = fmt::format("line {}", line_number);
    Json record = Json::parse(line.begin(), line.end(), nullptr, false);
    if (record.is_discarded()) {
      sink.Reject(where, Status::InvalidArgument("not JSON"));
      continue;
    }
    ++parsed;
    Walk(record, where, Context{}, sink);
  }
  if (parsed == 0)
    return Status::InvalidArgument("copilot_usage: neither a JSON document nor NDJSON");
  return Status::Ok();
}

Status DecodeCopilotLegacyMetrics(std::string_view content, FileDecodeResult* out) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseJson("copilot_legacy_metrics", StripBom(content)));
  // Engagement and suggestion counts only: nothing a UsageEvent keeps.
  out->ignored += doc.is_array() ? static_cast<int64_t>(doc.size()) : 1;
  return Status::Ok();
}

}  // namespace goodhart::receivers::file::internal
