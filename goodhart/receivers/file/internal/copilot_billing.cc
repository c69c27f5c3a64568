// GitHub Copilot billing usage (formats.md §4): the premium-request / AI-credit CSV export (UTF-8
// BOM, every field quoted) and the billing usage API's JSON ({timePeriod, usageItems[]}). One row
// is one (day or month, user, sku, model) line item with a USD amount.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "goodhart/base/time.h"
#include "goodhart/receivers/file/internal/csv_reader.h"
#include "goodhart/receivers/file/internal/decoders.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file::internal {
namespace {

using model::MoneyUnit;
using model::UsageEvent;
using model::UsageKind;

constexpr std::string_view kSource = "copilot_billing";

// What a row is worth in requests: only rows counted in requests have any (AI-credit rows count
// credits). Quantities are fractional (model multipliers: 0.9 of a premium request), so rounded.
Result<int64_t> RequestCount(std::string_view unit_type, double quantity) {
  if (!std::isfinite(quantity) || quantity < 0 || quantity > 1e12)
    return Status::InvalidArgument(fmt::format("quantity is out of range ({})", quantity));
  return unit_type == "requests" ? static_cast<int64_t>(std::llround(quantity)) : int64_t{0};
}

UsageEvent NewAggregate() {
  UsageEvent e;
  e.kind = UsageKind::kUsageAggregate;
  e.tool = "copilot";
  e.provider = "github";
  return e;
}

// --- CSV --------------------------------------------------------------------------------------

class CsvRow {
 public:
  CsvRow(const std::map<std::string, size_t>& columns, const std::vector<std::string>& fields)
      : columns_(columns), fields_(fields) {}
  // "" when the file has no such column.
  const std::string& operator[](const std::string& name) const {
    static const std::string kEmpty;
    auto it = columns_.find(name);
    return it == columns_.end() ? kEmpty : fields_[it->second];
  }

 private:
  const std::map<std::string, size_t>& columns_;
  const std::vector<std::string>& fields_;
};

Result<UsageEvent> CsvRowToEvent(const CsvRow& row) {
  UsageEvent e = NewAggregate();
  auto day = ParseTimestampMillis(row["date"]);
  if (!day.ok())
    return day.status().WithPrefix("date");
  e.time_unix_ms = DayOfMillis(*day) * kMillisPerDay;
  e.end_unix_ms = e.time_unix_ms + kMillisPerDay;
  e.actor = row["username"];
  e.actor_kind = e.actor.empty() ? "" : "login";
  e.model = row["model"];
  e.event_name = row["sku"];
  e.organization = row["organization"];
  const std::string& net = row["net_amount"];
  auto cost = model::DecimalStringToMicroUsd(net, MoneyUnit::kUsd);
  if (!cost.ok()) {
    return Status::InvalidArgument(
        fmt::format("net_amount '{}' is not a decimal number", net.substr(0, 32)));
  }
  if (*cost < 0)
    return Status::InvalidArgument(fmt::format("net_amount is negative ({})", net.substr(0, 32)));
  e.reported_cost_micros = *cost;
  const std::string& q = row["quantity"];
  double quantity = 0;
  auto [ptr, ec] = std::from_chars(q.data(), q.data() + q.size(), quantity);
  if (ec != std::errc() || ptr != q.data() + q.size() || q.empty()) {
    return Status::InvalidArgument(fmt::format("quantity '{}' is not a number", q.substr(0, 32)));
  }
  GOODHART_ASSIGN_OR_RETURN(e.request_count, RequestCount(row["unit_type"], quantity));
  RecordId id;
  id.Add(FormatDay(DayOfMillis(e.time_unix_ms)));
  for (const char* name : {"username", "product", "sku", "model", "unit_type", "organization",
                           "repository", "cost_center_name"}) {
    id.Add(name, row[name]);
  }
  e.event_key = id.Key(kSource);
  e.raw_id = id.raw_id();
  return e;
}

// --- JSON -------------------------------------------------------------------------------------

struct Period {
  std::string label;  // "2026-06" or "2026-06-14"
  int64_t start_ms = 0, end_ms = 0;
};

// The item's own `date` if it has one, else the document's timePeriod (a day, or a month).
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): one caller, tested on both shapes.
Result<Period> ReadPeriod(const Json& item, const Json& doc) {
  Period p;
  GOODHART_ASSIGN_OR_RETURN(std::string date, ReadString(item, "date"));
  if (!date.empty()) {
    GOODHART_ASSIGN_OR_RETURN(int64_t t, ReadTime(item, "date"));
    p.label = date;
    p.start_ms = DayOfMillis(t) * kMillisPerDay;
    p.end_ms = p.start_ms + kMillisPerDay;
    return p;
  }
  const Json* period = Member(doc, "timePeriod");
  if (period == nullptr)
    return Status::InvalidArgument("no date, and the document has no timePeriod");
  GOODHART_ASSIGN_OR_RETURN(int64_t year, ReadCount(*period, "year", "timePeriod.year"));
  GOODHART_ASSIGN_OR_RETURN(int64_t month, ReadCount(*period, "month", "timePeriod.month"));
  GOODHART_ASSIGN_OR_RETURN(int64_t day, ReadCount(*period, "day", "timePeriod.day"));
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day > 31) {
    return Status::InvalidArgument(
        fmt::format("timePeriod {}-{}-{} is not a valid date", year, month, day));
  }
  int y = static_cast<int>(year), m = static_cast<int>(month), d = static_cast<int>(day);
  if (d > 0) {
    p.label = fmt::format("{:04}-{:02}-{:02}", y, m, d);
    p.start_ms = CivilToMillis(y, m, d);
    p.end_ms = p.start_ms + kMillisPerDay;
  } else {
    p.label = fmt::format("{:04}-{:02}", y, m);
    p.start_ms = CivilToMillis(y, m, 1);
    p.end_ms = m == 12 ? CivilToMillis(y + 1, 1, 1) : CivilToMillis(y, m + 1, 1);
  }
  return p;
}

Result<UsageEvent> JsonItemToEvent(const Json& item, const Json& doc) {
  if (!item.is_object())
    return Status::InvalidArgument("not an object");
  UsageEvent e = NewAggregate();
  GOODHART_ASSIGN_OR_RETURN(Period period, ReadPeriod(item, doc));
  e.time_unix_ms = period.start_ms;
  e.end_unix_ms = period.end_ms;
  GOODHART_ASSIGN_OR_RETURN(e.actor, ReadString(item, "user"));
  if (e.actor.empty()) {
    GOODHART_ASSIGN_OR_RETURN(e.actor, ReadString(item, "username"));
  }
  e.actor_kind = e.actor.empty() ? "" : "login";
  GOODHART_ASSIGN_OR_RETURN(e.model, ReadString(item, "model"));
  GOODHART_ASSIGN_OR_RETURN(e.event_name, ReadString(item, "sku"));
  GOODHART_ASSIGN_OR_RETURN(e.organization, ReadString(item, "organization"));
  if (e.organization.empty()) {
    GOODHART_ASSIGN_OR_RETURN(e.organization, ReadString(doc, "organization"));
  }
  GOODHART_ASSIGN_OR_RETURN(e.reported_cost_micros,
                            ReadMoneyMicros(item, "netAmount", MoneyUnit::kUsd));
  GOODHART_ASSIGN_OR_RETURN(std::string unit_type, ReadString(item, "unitType"));
  const char* quantity_key =
      Member(item, "grossQuantity") != nullptr ? "grossQuantity" : "quantity";
  GOODHART_ASSIGN_OR_RETURN(double quantity, ReadNumber(item, quantity_key));
  GOODHART_ASSIGN_OR_RETURN(e.request_count, RequestCount(unit_type, quantity));
  GOODHART_ASSIGN_OR_RETURN(std::string product, ReadString(item, "product"));
  GOODHART_ASSIGN_OR_RETURN(std::string repository, ReadString(item, "repository"));
  GOODHART_ASSIGN_OR_RETURN(std::string cost_center, ReadString(item, "costCenterName"));
  RecordId id;
  id.Add(period.label)
      .Add("username", e.actor)
      .Add("product", product)
      .Add("sku", e.event_name)
      .Add("model", e.model)
      .Add("unit_type", unit_type)
      .Add("organization", e.organization)
      .Add("repository", repository)
      .Add("cost_center_name", cost_center);
  e.event_key = id.Key(kSource);
  e.raw_id = id.raw_id();
  return e;
}

}  // namespace

Status DecodeCopilotBillingCsv(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kSource, out);
  CsvReader reader(content);
  std::vector<std::string> fields;
  auto header = reader.Next(&fields);
  if (!header.ok()) {
    return Status::InvalidArgument(
        fmt::format("copilot_billing: header: {}", header.status().message()));
  }
  if (!*header)
    return Status::InvalidArgument("copilot_billing: empty file");
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name = fields[i];
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    columns.emplace(std::move(name), i);
  }
  for (const char* required : {"date", "username", "quantity", "net_amount"}) {
    if (!columns.contains(required)) {
      return Status::InvalidArgument(
          fmt::format("copilot_billing: header: no '{}' column", required));
    }
  }
  const size_t width = fields.size();
  while (true) {
    auto next = reader.Next(&fields);
    std::string where = fmt::format("line {}", reader.record_line());
    if (!next.ok()) {
      sink.Reject(where, next.status());
      continue;
    }
    if (!*next)
      break;
    if (fields.size() != width) {
      sink.Reject(where, Status::InvalidArgument(fmt::format("has {} fields, the header has {}",
                                                             fields.size(), width)));
      continue;
    }
    sink.Add(where, CsvRowToEvent(CsvRow(columns, fields)));
  }
  return Status::Ok();
}

Status DecodeCopilotBillingJson(std::string_view content, FileDecodeResult* out) {
  RecordSink sink(kSource, out);
  GOODHART_ASSIGN_OR_RETURN(Json doc, ParseJson(kSource, StripBom(content)));
  const Json* items = Member(doc, "usageItems");
  if (items == nullptr || !items->is_array()) {
    return Status::InvalidArgument(fmt::format("{}: usageItems: missing or not an array", kSource));
  }
  for (size_t i = 0; i < items->size(); ++i)
    sink.Add(fmt::format("usageItems[{}]", i), JsonItemToEvent((*items)[i], doc));
  return Status::Ok();
}

}  // namespace goodhart::receivers::file::internal
