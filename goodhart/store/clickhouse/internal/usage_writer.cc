#include "goodhart/store/clickhouse/internal/usage_writer.h"

#include <fmt/format.h>

#include <set>
#include <unordered_set>

#include "goodhart/base/time.h"
#include "goodhart/store/clickhouse/internal/event_row.h"
#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {
namespace {

Result<std::unordered_set<std::string>> StoredKeys(
    const ClickHouseClient& client, const std::string& db,
    const std::vector<const model::UsageEvent*>& es) {
  std::unordered_set<std::string> stored;
  if (es.empty())
    return stored;
  ExternalTable keys{"batch_keys", "event_key String", {}};
  for (const model::UsageEvent* e : es) {
    AppendTsvEscaped(e->event_key, &keys.tsv);
    keys.tsv.push_back('\n');
  }
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query(
          "append: stored keys",
          fmt::format("SELECT DISTINCT event_key FROM {}.event_keys WHERE event_key GLOBAL IN "
                      "batch_keys FORMAT TabSeparated",
                      db),
          {&keys, 1}));
  TsvReader reader(body, "stored keys");
  while (reader.Next())
    stored.insert(reader.Str(0));
  return stored;
}

}  // namespace

Status WriteUsage(const ClickHouseClient& client, const std::string& database, ArrivalClock& clock,
                  std::span<UsageBatch> group) {
  const std::string db = SqlIdentifier(database);
  // 1. The first occurrence of each key in the group is its candidate.
  std::unordered_set<std::string_view> seen;
  std::vector<const model::UsageEvent*> candidates;
  std::vector<UsageBatch*> owners;
  for (UsageBatch& b : group) {
    b.stats = {};
    for (const model::UsageEvent& e : b.batch->usage) {
      if (!seen.insert(e.event_key).second) {
        ++b.stats.duplicates;
        continue;
      }
      candidates.push_back(&e);
      owners.push_back(&b);
    }
  }
  // 2. Keys stored before (by this node or another).
  GOODHART_ASSIGN_OR_RETURN(std::unordered_set<std::string> stored,
                            StoredKeys(client, db, candidates));

  // 3. New events and their sketches; person-days to refresh (stored ones too: a retry repairs a
  // refresh that failed after its events were stored).
  TsvWriter events, sketches;
  std::set<PersonDay> days;
  bool prompts = false;
  size_t fresh = 0;
  for (const model::UsageEvent* e : candidates)
    fresh += stored.count(e->event_key) == 0;
  uint64_t arrival = clock.Reserve(fresh);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const model::UsageEvent& e = *candidates[i];
    int64_t day = DayOfMillis(e.time_unix_ms);
    if (e.signal == model::Signal::kEvent) {
      days.emplace(day, e.actor);
      prompts = prompts || e.kind == model::UsageKind::kPrompt;
    }
    if (stored.count(e.event_key) != 0) {
      ++owners[i]->stats.duplicates;
      continue;
    }
    ++owners[i]->stats.inserted;
    AppendEventRow(e, day, arrival++, &events);
    if (IsPromptEvent(e) && e.prompt_sketch) {
      sketches.Int(day)
          .Str(e.actor)
          .Int(e.time_unix_ms)
          .Str(e.session_id)
          .Str(e.event_key)
          .UInt(e.prompt_sketch->simhash)
          .UIntArray(e.prompt_sketch->minhash)
          .Int(e.prompt_sketch->token_estimate)
          .EndRow();
    }
  }
  // Sketches first: if the events insert fails, the retry stores both again (both deduplicate).
  if (!sketches.empty()) {
    GOODHART_RETURN_IF_ERROR(client.Insert(
        "append: prompt_sketches",
        fmt::format("INSERT INTO {}.prompt_sketches (day, actor, time_ms, session, event_key, "
                    "simhash, minhash, token_estimate) FORMAT TabSeparated",
                    db),
        sketches.data()));
  }
  if (!events.empty()) {
    GOODHART_RETURN_IF_ERROR(client.Insert(
        "append: usage_events",
        fmt::format("INSERT INTO {}.usage_events ({}) FORMAT TabSeparated", db, kEventColumns),
        events.data()));
  }
  // 4. Rollups of the person-days touched.
  return RefreshPersonDays(client, database, {days.begin(), days.end()}, prompts);
}

Status RefreshPersonDays(const ClickHouseClient& client, const std::string& database,
                         const std::vector<PersonDay>& days, bool cadence) {
  if (days.empty())
    return Status::Ok();
  const std::string db = SqlIdentifier(database);
  ExternalTable touched{"person_days", "day UInt32, actor String", {}};
  TsvWriter rows;
  for (const auto& [day, actor] : days)
    rows.Int(day).Str(actor).EndRow();
  touched.tsv = std::move(rows.data());
  // One scan gives both the cells and their version (the person-day's event count): two scans
  // could see different snapshots. 18.16 has no window functions, hence groupArray + ARRAY JOIN.
  GOODHART_RETURN_IF_ERROR(
      client
          .Query("append: refresh usage_rollup",
                 fmt::format(
                     "INSERT INTO {0}.usage_rollup (day, actor, provider, model, tool, source, "
                     "input_uncached, cache_read, cache_write, output, reasoning, requests, "
                     "prompts, events, reported_cost_micros, computed_cost_micros, sessions, "
                     "version) "
                     "SELECT day, actor, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9, c.10, c.11, "
                     "c.12, c.13, c.14, c.15, v FROM ("
                     "SELECT day, actor, groupArray((provider, model, tool, source, iu, cr, cw, "
                     "o, r, req, p, ev, rc, cc, s)) AS cells, toUInt64(sum(ev)) AS v FROM ("
                     "SELECT day, actor, provider, model, tool, source, "
                     "sum(input_uncached) AS iu, sum(cache_read) AS cr, sum(cache_write) AS cw, "
                     "sum(output) AS o, sum(reasoning) AS r, "
                     "sumIf(request_count, kind IN (0, 3)) AS req, "
                     "toInt64(countIf(kind = 1)) AS p, toInt64(count()) AS ev, "
                     "sum(reported_cost_micros) AS rc, sum(computed_cost_micros) AS cc, "
                     "toInt64(uniqExactIf(session_id, session_id != '')) AS s "
                     "FROM {0}.usage_events FINAL WHERE signal = 0 AND (day, actor) GLOBAL IN "
                     "person_days GROUP BY day, actor, provider, model, tool, source) "
                     "GROUP BY day, actor) ARRAY JOIN cells AS c",
                     db),
                 {&touched, 1})
          .status());
  if (!cadence)
    return Status::Ok();
  return client
      .Query("append: refresh prompt_cadence",
             fmt::format("INSERT INTO {0}.prompt_cadence (day, actor, times, version) "
                         "SELECT day, actor, arraySort(groupArray(time_ms)), toUInt64(count()) "
                         "FROM {0}.usage_events FINAL WHERE signal = 0 AND kind = 1 "
                         "AND (day, actor) GLOBAL IN person_days "
                         "AND day >= (SELECT max(before_day) FROM {0}.sketch_purges) "
                         "GROUP BY day, actor",
                         db),
             {&touched, 1})
      .status();
}

}  // namespace goodhart::store::clickhouse
