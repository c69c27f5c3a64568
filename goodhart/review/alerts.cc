#include "goodhart/review/alerts.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::review {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;

std::string_view DetectorTitle(std::string_view id) {
  static const std::map<std::string_view, std::string_view> kTitles = {
      {"D1", "cost-to-output outlier"},
      {"D2", "orphan tokens"},
      {"D3", "near-duplicate prompt loops"},
      {"D4", "scripted cadence"},
      {"D5", "agent loop / runaway session"},
      {"D6", "no-op or duplicate deployments"},
      {"D7", "micro-change flooding"},
      {"D8", "revert-and-reapply churn"},
      {"D9a", "review bypass"},
      {"D9b", "rubber-stamp reviews"},
      {"D10", "diff padding"},
      {"D11", "failure suppression"},
      {"D12", "baseline manipulation"},
      {"D13", "AI-credit inflation"}};
  auto it = kTitles.find(id);
  return it == kTitles.end() ? "detector" : it->second;
}

std::string Date(int64_t unix_ms) { return FormatMillis(unix_ms).substr(0, 10); }

int64_t Median(std::vector<int64_t> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

std::string FlagAlertPayload(const detect::Flag& flag, int64_t review_opens) {
  std::string period =
      fmt::format("{} to {}", Date(flag.period.from_unix_ms), Date(flag.period.to_unix_ms - 1));
  std::string about;
  if (flag.subject.kind == detect::SubjectKind::kPerson) {
    about = fmt::format("a person in team {}", flag.team.empty() ? "(none)" : flag.team);
  } else {
    about = fmt::format("{} {}", detect::SubjectKindName(flag.subject.kind), flag.subject.id);
  }
  std::string text = fmt::format("goodhart: new Tier A flag {} ({}) about {}, {}.",
                                 flag.detector_id, DetectorTitle(flag.detector_id), about, period);
  if (flag.subject.kind == detect::SubjectKind::kPerson) {
    text += fmt::format(
        " The person has been told first and has until {} to respond; then a reviewer decides. "
        "Nothing happens automatically.",
        Date(review_opens));
  }
  text += fmt::format(" See `goodhart flags show {}`.", flag.id);
  json j = {{"text", text},
            {"goodhart",
             {{"alert_id", "flag:" + flag.id},
              {"kind", "flag"},
              {"flag_id", flag.id},
              {"detector", flag.detector_id},
              {"tier", detect::TierName(flag.tier)},
              {"subject_kind", detect::SubjectKindName(flag.subject.kind)},
              {"team", flag.team},
              {"period_from", FormatMillis(flag.period.from_unix_ms)},
              {"period_to", FormatMillis(flag.period.to_unix_ms)}}}};
  if (flag.subject.kind != detect::SubjectKind::kPerson)
    j["goodhart"]["subject"] = flag.subject.id;
  return JsonText(j);
}

Result<int64_t> QueueFlagAlerts(FlagStore& store, const std::vector<detect::Flag>& flags,
                                const std::vector<std::string>& new_ids, int64_t now) {
  int64_t queued = 0;
  for (const detect::Flag& f : flags) {
    if (!f.shown || f.tier != detect::Tier::kA ||
        std::find(new_ids.begin(), new_ids.end(), f.id) == new_ids.end()) {
      continue;
    }
    GOODHART_ASSIGN_OR_RETURN(
        bool added,
        store.EnqueueAlert("flag:" + f.id,
                           FlagAlertPayload(f, AddWorkingDays(now, kSubjectWorkingDays)), now));
    queued += added;
  }
  return queued;
}

std::vector<CostAnomaly> FindCostAnomalies(const std::vector<store::UsageRollupRow>& rollups,
                                           const directory::Directory& directory, int64_t day,
                                           int64_t min_cost_micros) {
  std::map<std::string, std::map<int64_t, int64_t>> spend;  // team -> day -> micros
  for (const store::UsageRollupRow& r : rollups) {
    if (r.day < day - 28 || r.day > day)
      continue;
    directory::Resolution who = directory.Resolve(r.actor);
    if (who.kind != directory::IdentityKind::kPerson)
      continue;
    const model::Person* person = directory.FindPerson(who.person_id);
    if (person == nullptr || person->team.empty())
      continue;
    spend[person->team][r.day] +=
        r.reported_cost_micros ? r.reported_cost_micros : r.computed_cost_micros;
  }
  std::vector<CostAnomaly> out;
  for (const auto& [team, days] : spend) {
    auto today = days.find(day);
    if (today == days.end() || today->second < min_cost_micros)
      continue;
    std::vector<int64_t> before;
    for (int64_t d = day - 28; d < day; ++d) {
      auto it = days.find(d);
      before.push_back(it == days.end() ? 0 : it->second);
    }
    int64_t baseline = Median(before);
    if (today->second > 3 * baseline) {
      out.push_back(
          {.team = team, .day = day, .cost_micros = today->second, .baseline_micros = baseline});
    }
  }
  return out;
}

Result<int64_t> QueueCostAlerts(FlagStore& store, const std::vector<CostAnomaly>& anomalies,
                                int64_t now) {
  int64_t queued = 0;
  for (const CostAnomaly& a : anomalies) {
    std::string date = Date(a.day * kDayMs);
    std::string id = fmt::format("cost:{}:{}", a.team, date);
    json j = {{"text", fmt::format("goodhart: AI spend of team {} on {} was ${:.2f}, over 3x its "
                                   "median day of the previous 28 days (${:.2f}).",
                                   a.team, date, static_cast<double>(a.cost_micros) / 1e6,
                                   static_cast<double>(a.baseline_micros) / 1e6)},
              {"goodhart",
               {{"alert_id", id},
                {"kind", "cost_anomaly"},
                {"team", a.team},
                {"day", date},
                {"cost_usd", static_cast<double>(a.cost_micros) / 1e6},
                {"baseline_usd", static_cast<double>(a.baseline_micros) / 1e6}}}};
    GOODHART_ASSIGN_OR_RETURN(bool added, store.EnqueueAlert(id, JsonText(j), now));
    queued += added;
  }
  return queued;
}

goodhart::Result<AlertSender::Result> AlertSender::DeliverDue() {
  const Clock& clock = clock_ ? *clock_ : SystemClock::Get();
  size_t scheme = url_.find("://");
  if (scheme == std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("alerts: webhook_url: '{}' is not http(s)://host/path", url_));
  }
  size_t path_at = url_.find('/', scheme + 3);
  std::string base = path_at == std::string::npos ? url_ : url_.substr(0, path_at);
  std::string path = path_at == std::string::npos ? "/" : url_.substr(path_at);
  httplib::Client client(base);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  Result result;
  GOODHART_ASSIGN_OR_RETURN(std::vector<Alert> due,
                            store_.DueAlerts(clock.NowMillis(), kMaxAlertAttempts));
  for (const Alert& a : due) {
    auto res = client.Post(path, a.payload, "application/json");
    int64_t now = clock.NowMillis();
    if (res && res->status >= 200 && res->status < 300) {
      GOODHART_RETURN_IF_ERROR(store_.MarkAlertSent(a.id, now));
      ++result.sent;
      continue;
    }
    std::string error = res ? fmt::format("HTTP {}", res->status)
                            : fmt::format("{}", httplib::to_string(res.error()));
    int64_t backoff =
        std::min<int64_t>(int64_t{60'000} << std::min<int64_t>(a.attempts, 6), 3'600'000);
    GOODHART_RETURN_IF_ERROR(store_.MarkAlertFailed(a.id, error, now + backoff));
    ++result.failed;
  }
  return result;
}

}  // namespace goodhart::review
