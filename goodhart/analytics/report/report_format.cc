#include "goodhart/analytics/report/report_format.h"

#include <fmt/format.h>

#include <vector>

#include "goodhart/base/json_text.h"

namespace goodhart::analytics::report {
namespace {

using nlohmann::json;

std::string Num(const json& v, int precision = 2) {
  if (v.is_null())
    return "-";
  if (v.is_number_integer())
    return std::to_string(v.get<int64_t>());
  if (v.is_number())
    return fmt::format("{:.{}f}", v.get<double>(), precision);
  if (v.is_string())
    return v.get<std::string>();
  return JsonText(v);
}

// A number always with `precision` decimals (ND and rates), "-" for null.
std::string Dec(const json& v, int precision = 2) {
  if (!v.is_number())
    return Num(v, precision);
  return fmt::format("{:.{}f}", v.get<double>(), precision);
}

std::string Pct(const json& v) {
  return v.is_null() ? "-" : fmt::format("{:.0f}%", v.get<double>() * 100);
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvNum(const json& v) {
  if (v.is_null())
    return "";
  if (v.is_number_float())
    return fmt::format("{}", v.get<double>());
  return CsvField(v.is_string() ? v.get<std::string>() : JsonText(v));
}

json Get(const json& o, const char* key) { return o.contains(key) ? o[key] : json(nullptr); }

}  // namespace

std::string RenderReportTable(const json& r) {
  std::string out;
  out += fmt::format("goodhart report {} .. {}   (definition {}, as of {}, directory v{})\n\n",
                     r["period"]["from"].get<std::string>(), r["period"]["to"].get<std::string>(),
                     r["definition_version"].get<std::string>(), r["as_of"].get<std::string>(),
                     r["directory_version"].get<int64_t>());
  const json& o = r["org"];
  const json& d = o["dora"];
  out += "Organisation\n";
  out += fmt::format("  ND            {} (final {}, provisional {}, pending {}) over {} changes\n",
                     Dec(o["nd"]), Dec(o["nd_final"]), Dec(o["nd_provisional"]),
                     Dec(o["nd_pending"]), Num(o["changes"]));
  out +=
      fmt::format("  AI spend      ${} for {} tokens; cost per ND ${} ({})\n", Dec(o["cost_usd"]),
                  Num(o["tokens"]), Dec(o["cost_per_nd"]), Num(o["cost_per_nd_basis"]));
  if (json aside = Get(o, "usage_set_aside"); aside.is_object() && aside.value("rows", 0) > 0) {
    out += fmt::format(
        "  not counted   {} tokens (${}) of daily usage reports that telemetry already covers\n",
        Num(aside["tokens"]), Dec(aside["cost_usd"]));
  }
  out += fmt::format("  AI-assisted   {} of ND; orphan tokens {}; review coverage {}\n",
                     Pct(o["ai_assisted_nd_share"]), Pct(o["orphan_token_share"]),
                     Pct(o["review_coverage"]));
  out += fmt::format(
      "  DORA          {} deploy days/week ({}), lead time {} h, change fail rate {}, recovery {} "
      "h, rework {}\n\n",
      Num(Get(d, "deployment_days_per_week")), Num(Get(d, "deployment_frequency_bucket")),
      Num(Get(d, "lead_time_hours_median"), 1), Pct(Get(d, "change_failure_rate")),
      Num(Get(d, "recovery_hours_median"), 1), Pct(Get(d, "rework_rate")));

  if (!r["teams"].empty()) {
    out += fmt::format("{:<18} {:>7} {:>8} {:>8} {:>9} {:>17} {:>10} {:>8} {:>9} {:>7}\n", "team",
                       "members", "ND", "ND rate", "ND index", "90% interval", "cost/ND",
                       "deploy d/w", "lead h", "CFR");
    for (const json& t : r["teams"]) {
      const json& td = t["dora"];
      std::string ci = t["nd_index_ci"].is_null()
                           ? "-"
                           : fmt::format("{:.2f}..{:.2f}", t["nd_index_ci"][0].get<double>(),
                                         t["nd_index_ci"][1].get<double>());
      out += fmt::format(
          "{:<18} {:>7} {:>8} {:>8} {:>9} {:>17} {:>10} {:>8} {:>9} {:>7}\n",
          t["team"].get<std::string>(), Num(t["members"]), Dec(t["nd"]), Dec(t["nd_rate"]),
          Dec(t["nd_index"]), ci, Dec(t["cost_per_nd"]), Num(Get(td, "deployment_days_per_week")),
          Num(Get(td, "lead_time_hours_median"), 1), Pct(Get(td, "change_failure_rate")));
    }
    out += "\n";
  }
  if (r.contains("people")) {
    out += fmt::format("{:<18} {:<14} {:>8} {:>8} {:>8} {:>12} {:>10}\n", "person", "team", "ND",
                       "ND*", "changes", "tokens", "cost $");
    for (const json& p : r["people"]) {
      out +=
          fmt::format("{:<18} {:<14} {:>8} {:>8} {:>8} {:>12} {:>10}\n",
                      p["person"].get<std::string>(), p["team"].get<std::string>(), Dec(p["nd"]),
                      Dec(p["nd_star"]), Num(p["changes"]), Num(p["tokens"]), Dec(p["cost_usd"]));
    }
    out += "\n";
  }
  for (const json& n : r["notes"])
    out += "note: " + n.get<std::string>() + "\n";
  return out;
}

std::string RenderReportCsv(const json& r) {
  std::string out =
      "scope,id,team,nd,nd_final,nd_rate,nd_index,nd_index_low,nd_index_high,cost_usd,cost_per_nd,"
      "tokens,ai_assisted_nd_share,deployment_days_per_week,lead_time_hours_median,"
      "change_failure_rate,recovery_hours_median,rework_rate,definition_version,from,to\n";
  std::string tail = "," + CsvField(r["definition_version"].get<std::string>()) + "," +
                     CsvField(r["period"]["from"].get<std::string>()) + "," +
                     CsvField(r["period"]["to"].get<std::string>()) + "\n";
  auto dora = [](const json& d) {
    return CsvNum(Get(d, "deployment_days_per_week")) + "," +
           CsvNum(Get(d, "lead_time_hours_median")) + "," + CsvNum(Get(d, "change_failure_rate")) +
           "," + CsvNum(Get(d, "recovery_hours_median")) + "," + CsvNum(Get(d, "rework_rate"));
  };
  const json& o = r["org"];
  out += "org,,," + CsvNum(o["nd"]) + "," + CsvNum(o["nd_final"]) + ",,,,," +
         CsvNum(o["cost_usd"]) + "," + CsvNum(o["cost_per_nd"]) + "," + CsvNum(o["tokens"]) + "," +
         CsvNum(o["ai_assisted_nd_share"]) + "," + dora(o["dora"]) + tail;
  for (const json& t : r["teams"]) {
    json ci = t["nd_index_ci"];
    out += "team," + CsvField(t["team"].get<std::string>()) + "," +
           CsvField(t["team"].get<std::string>()) + "," + CsvNum(t["nd"]) + "," +
           CsvNum(t["nd_final"]) + "," + CsvNum(t["nd_rate"]) + "," + CsvNum(t["nd_index"]) + "," +
           (ci.is_null() ? "," : CsvNum(ci[0]) + "," + CsvNum(ci[1])) + "," +
           CsvNum(t["cost_usd"]) + "," + CsvNum(t["cost_per_nd"]) + "," + CsvNum(t["tokens"]) +
           "," + CsvNum(t["ai_assisted_nd_share"]) + "," + dora(t["dora"]) + tail;
  }
  if (r.contains("people")) {
    for (const json& p : r["people"]) {
      out += "person," + CsvField(p["person"].get<std::string>()) + "," +
             CsvField(p["team"].get<std::string>()) + "," + CsvNum(p["nd"]) + "," +
             CsvNum(p["nd_final"]) + "," + CsvNum(p["nd_rate"]) + ",,,," + CsvNum(p["cost_usd"]) +
             ",," + CsvNum(p["tokens"]) + ",,,,,," + tail;
    }
  }
  return out;
}

}  // namespace goodhart::analytics::report
