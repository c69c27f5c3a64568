// Builders for the detector tests: an organisation (directory YAML), prompt sketches with a chosen
// similarity, usage rollups, cadence rows and hand-made ND results. Everything a test asserts on is
// set explicitly by the test.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/base/time.h"
#include "goodhart/detect/detect_context.h"
#include "goodhart/detect/detect_input.h"
#include "goodhart/directory/directory.h"
#include "goodhart/model/prompt_sketch.h"
#include "goodhart/store/store.h"

namespace goodhart::detect::testing {

inline constexpr int64_t kDay = 86'400'000;
inline constexpr int64_t kHour = 3'600'000;
// Period 0 starts Monday 2026-06-01; earlier periods have negative indices.
inline int64_t T0() { return CivilToMillis(2026, 6, 1); }
inline Period PeriodAt(int k) {
  return {T0() + int64_t{k} * 28 * kDay, T0() + int64_t{k + 1} * 28 * kDay};
}

struct Group {
  std::string team, role, family, prefix;
  int count = 0;
};

// people p = prefix + two digits, emails p@example.com; one service per team "<team>-api" in
// repo "example/<team>" with the group's family.
inline std::string DirectoryYaml(const std::vector<Group>& groups) {
  std::string people, teams, services;
  std::vector<std::string> seen;
  for (const auto& g : groups) {
    for (int i = 0; i < g.count; ++i) {
      std::string id = fmt::format("{}{:02d}", g.prefix, i);
      people += fmt::format("  - {{id: {}, team: {}, role: {}, emails: [{}@example.com]}}\n", id,
                            g.team, g.role, id);
    }
    if (std::find(seen.begin(), seen.end(), g.team) == seen.end()) {
      seen.push_back(g.team);
      teams += fmt::format("  - {{id: {}, name: {}}}\n", g.team, g.team);
      services += fmt::format(
          "  - {{id: {}-api, team: {}, repo: example/{}, production_environments: [production], "
          "family: {}}}\n",
          g.team, g.team, g.team, g.family);
    }
  }
  return "people:\n" + people + "teams:\n" + teams + "services:\n" + services +
         "bots: [\"deploy-bot\"]\n";
}

inline directory::Directory MustParseDirectory(const std::string& yaml) {
  auto d = directory::Directory::Parse(yaml);
  if (!d.ok()) {
    std::fprintf(stderr, "%s\n", d.status().ToString().c_str());
    std::abort();
  }
  return std::move(d).value();
}

inline uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A sketch of "text `seed`": random MinHash slots and SimHash. `changed` slots (and as many
// SimHash bits, capped at 20) are replaced using `variant`, so two sketches of one seed with
// different variants have estimated Jaccard about 1 - changed/128.
inline model::PromptSketch Sketch(uint64_t seed, int changed = 0, uint64_t variant = 0,
                                  int32_t tokens = 60) {
  model::PromptSketch s;
  uint64_t st = seed * 7919 + 17;
  for (auto& v : s.minhash) {
    v = SplitMix(st);
  }
  s.simhash = SplitMix(st);
  uint64_t vs = seed * 104729 + variant * 1299709 + 3;
  for (int i = 0; i < changed && variant != 0; ++i) {
    size_t slot = static_cast<size_t>((i * 37 + static_cast<int>(variant % 91)) % 128);
    s.minhash[slot] = SplitMix(vs);
  }
  for (int i = 0; i < std::min(changed, 20) && variant != 0; ++i) {
    s.simhash ^= uint64_t{1} << ((variant * 13 + static_cast<uint64_t>(i) * 7) % 64);
  }
  s.token_estimate = tokens;
  return s;
}

inline store::PromptSketchRow PromptRow(const std::string& actor, int64_t time, std::string session,
                                        model::PromptSketch sketch) {
  return {.actor = actor,
          .day = DayOfMillis(time),
          .time_unix_ms = time,
          .session_id = std::move(session),
          .event_key = fmt::format("{}@{}", actor, time),
          .sketch = sketch};
}

inline store::UsageRollupRow Rollup(const std::string& actor, int64_t day, int64_t tokens,
                                    int64_t cost_micros, int64_t sessions = 1,
                                    int64_t prompts = 10) {
  store::UsageRollupRow r{.actor = actor,
                          .day = day,
                          .provider = "anthropic",
                          .model = "claude",
                          .tool = "claude-code",
                          .source = "otlp_logs"};
  r.tokens.input_uncached = tokens;
  r.requests = prompts;
  r.prompts = prompts;
  r.events = prompts;
  r.computed_cost_micros = cost_micros;
  r.sessions = sessions;
  return r;
}

// A logical change of one part, owned wholly by `owner`, delivered at `delivered`.
inline analytics::nd::LogicalChangeCredit Change(const std::string& id, const std::string& service,
                                                 const std::string& owner, int64_t delivered,
                                                 double s, double s_ref, double nd,
                                                 std::vector<std::string> commits = {}) {
  analytics::nd::LogicalChangeCredit l;
  l.id = service + "/" + id;
  l.service = service;
  l.owner = owner;
  l.delivered_unix_ms = delivered;
  l.delivered_by = "dep-" + id;
  l.first_merged_unix_ms = l.last_merged_unix_ms = delivered - kHour;
  l.stage = analytics::nd::NdStage::kPending;
  l.s = s;
  l.s_ref.value = s_ref;
  l.credit.s = s;
  l.credit.s_ref = s_ref;
  l.credit.g = std::min(1.0, s / s_ref);
  l.review.value = 1;
  l.nd = nd;
  analytics::nd::ChangePart part;
  part.change_id = id;
  part.owner = owner;
  part.author = owner + "@example.com";
  part.merged_unix_ms = delivered - kHour;
  part.substance = s;
  part.commit_shas = std::move(commits);
  part.delivered_unix_ms = delivered;
  l.parts.push_back(std::move(part));
  l.shares.push_back({.person_id = owner, .resolved = true, .lines = s, .share = 1});
  return l;
}

// Fills NdResult::people from its changes (nd_pending = sum of share x nd, as for pending L).
inline void SumPeople(analytics::nd::NdResult& r) {
  std::map<std::string, double> nd;
  for (const auto& l : r.changes) {
    for (const auto& sh : l.shares) {
      nd[sh.person_id] += sh.share * l.nd;
    }
  }
  for (const auto& [person, v] : nd) {
    r.people.push_back({.person_id = person, .resolved = true, .nd_pending = v});
  }
}

// Runs one detector over one period (no history unless given).
inline DetectorRun RunDetector(DetectorRun (*detector)(const DetectContext&), const PeriodInput& in,
                               const directory::Directory* dir, const DetectParams& params = {},
                               std::vector<const PeriodInput*> history = {}) {
  People people(dir, {});
  DetectContext ctx(in, std::move(history), people, params);
  return detector(ctx);
}

inline const Candidate* FindCandidate(const DetectorRun& run, const std::string& subject) {
  for (const auto& c : run.candidates) {
    if (c.flag.subject.id == subject) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace goodhart::detect::testing
