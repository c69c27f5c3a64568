#include "goodhart/detect/bench/synthetic.h"

#include <fmt/format.h>

#include <algorithm>

#include "goodhart/base/time.h"

namespace goodhart::detect::bench {
namespace {

constexpr int64_t kDay = 86'400'000;

struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
};

void FillSignature(uint64_t* out, uint64_t* sim, uint64_t seed) {
  Rng r{seed * 0x2545f4914f6cdd1dULL + 1};
  for (int i = 0; i < 128; ++i) {
    out[i] = r.Next();
  }
  *sim = r.Next();
}

}  // namespace

std::unique_ptr<PromptCorpus> MakePromptCorpus(uint32_t people, uint32_t weeks) {
  auto c = std::make_unique<PromptCorpus>();
  c->people = people;
  c->weeks = weeks;
  const uint64_t per_week_slice = static_cast<uint64_t>(people) * 100;  // distinct within a week
  const uint64_t unique = std::max<uint64_t>(per_week_slice, 1'250'000);
  const uint64_t templates = 50;
  const uint64_t loopers = (people + 99) / 100;
  const uint64_t variants = loopers * weeks * 120;
  const uint64_t pool = unique + templates + variants;
  c->minhash.resize(pool * 128);
  c->simhash.resize(pool);
  for (uint64_t i = 0; i < unique + templates; ++i) {
    FillSignature(&c->minhash[i * 128], &c->simhash[i], i);
  }
  // Loop variants: 6 slots and 2 SimHash bits changed from the week's loop base.
  uint64_t v = unique + templates;
  std::vector<uint64_t> loop_base;  // per (looper index, week): pool index of the base
  for (uint64_t l = 0; l < loopers; ++l) {
    for (uint32_t w = 0; w < weeks; ++w) {
      bool on_template = l % 2 == 1;
      uint64_t base = on_template ? unique + (w % templates) : (l * 7919 + w * 104729) % unique;
      loop_base.push_back(v);
      Rng r{l * 1000 + w + 99};
      for (int k = 0; k < 120; ++k, ++v) {
        std::copy_n(&c->minhash[base * 128], 128, &c->minhash[v * 128]);
        c->simhash[v] = c->simhash[base] ^ (uint64_t{1} << r.Below(64));
        for (int s = 0; s < 6; ++s) {
          c->minhash[v * 128 + r.Below(128)] = r.Next();
        }
      }
    }
  }
  c->refs.reserve(static_cast<size_t>(people) * weeks * 78);
  for (uint32_t w = 0; w < weeks; ++w) {
    for (uint32_t p = 0; p < people; ++p) {
      Rng r{(uint64_t{p} << 20) ^ w ^ 0xabcdef};
      auto n = static_cast<uint32_t>(60 + r.Below(35));
      uint64_t slice = (uint64_t{w} * per_week_slice + uint64_t{p} * 100) % unique;
      std::vector<uint64_t> mine;
      bool looper = p % 100 == 7;
      for (uint32_t k = 0; k < n; ++k) {
        uint64_t idx;
        if (looper && k < 120) {
          idx = loop_base[(p / 100) * weeks + w] + k;
        } else if (!mine.empty() && r.Below(100) < 5) {
          idx = mine[r.Below(mine.size())];
        } else {
          idx = (slice + k) % unique;
        }
        mine.push_back(idx);
        int32_t tokens = r.Below(10) == 0 ? 12 : static_cast<int32_t>(30 + r.Below(300));
        if (looper && k < 120) {
          tokens = 80;
        }
        c->refs.push_back({p, w, tokens, c->simhash[idx], &c->minhash[idx * 128]});
      }
      if (looper) {
        for (uint32_t k = n; k < 150; ++k) {
          uint64_t idx = loop_base[(p / 100) * weeks + w] + std::min<uint32_t>(k, 119);
          c->refs.push_back({p, w, 80, c->simhash[idx], &c->minhash[idx * 128]});
        }
      }
      if (p % 10 == 3) {
        uint64_t t = unique + (w % templates);
        for (int k = 0; k < 2; ++k) {
          c->refs.push_back({p, w, 45, c->simhash[t], &c->minhash[t * 128]});
        }
      }
    }
  }
  return c;
}

std::unique_ptr<OrgInput> MakeOrgInput(int people) {
  auto org = std::make_unique<OrgInput>();
  const int teams = std::max(1, people / 10);
  std::string yaml = "people:\n";
  auto role_of = [](int i) {
    int r = i % 20;
    return r < 16 ? "product" : r < 18 ? "platform" : r < 19 ? "release" : "sre";
  };
  for (int i = 0; i < people; ++i) {
    yaml += fmt::format("  - {{id: u{}, team: t{}, role: {}, emails: [u{}@example.com]}}\n", i,
                        i / 10, role_of(i), i);
  }
  yaml += "teams:\n";
  for (int t = 0; t < teams; ++t) {
    yaml += fmt::format("  - {{id: t{}, name: T{}}}\n", t, t);
  }
  yaml += "services:\n";
  for (int t = 0; t < teams; ++t) {
    yaml += fmt::format(
        "  - {{id: s{}, team: t{}, repo: example/s{}, production_environments: [production], "
        "family: {}}}\n",
        t, t, t,
        t % 4 == 0   ? "go-api"
        : t % 4 == 1 ? "java-api"
        : t % 4 == 2 ? "web"
                     : "infra");
  }
  org->directory =
      std::make_unique<directory::Directory>(directory::Directory::Parse(yaml).value());
  const int64_t t0 = CivilToMillis(2026, 6, 1);
  Rng rng{42};
  for (int k = 0; k < 3; ++k) {
    PeriodInput in;
    in.period = {t0 - k * 28 * kDay, t0 - (k - 1) * 28 * kDay};
    auto nd = std::make_unique<analytics::nd::NdResult>();
    nd->period_from_unix_ms = in.period.from_unix_ms;
    nd->period_to_unix_ms = in.period.to_unix_ms;
    for (int i = 0; i < people; ++i) {
      std::string actor = fmt::format("u{}@example.com", i);
      std::string id = fmt::format("u{}", i);
      bool maxxer = i % 1000 == 11, looper = i % 1000 == 23, flooder = i % 1000 == 37;
      double nd_sum = 0;
      for (int d = 0; d < 28; ++d) {
        if (d % 7 >= 5) {
          continue;
        }
        int64_t day = DayOfMillis(in.period.from_unix_ms) + d;
        int64_t tokens = static_cast<int64_t>(400'000 * (0.5 + rng.Unit())) * (maxxer ? 30 : 1);
        store::UsageRollupRow row{.actor = actor,
                                  .day = day,
                                  .provider = "anthropic",
                                  .model = "claude",
                                  .tool = "claude-code",
                                  .source = "otlp"};
        row.tokens.input_uncached = tokens;
        row.prompts = 6;
        row.requests = 30;
        row.events = 36;
        row.sessions = 2;
        row.computed_cost_micros = tokens * 3;
        in.rollups.push_back(row);
        if (k == 0) {
          store::PromptCadenceRow cadence{.actor = actor, .day = day};
          int64_t t = day * kDay + 9 * 3'600'000;
          for (int p = 0; p < (looper ? 60 : 6); ++p) {
            t += looper ? 60'000 : static_cast<int64_t>(600'000 * (0.1 + 3 * rng.Unit()));
            cadence.prompt_times_unix_ms.push_back(t);
            model::PromptSketch s;
            uint64_t seed = looper ? 777 : rng.Next();
            Rng sr{seed};
            for (auto& m : s.minhash) {
              m = sr.Next();
            }
            if (looper) {
              s.minhash[rng.Below(128)] = rng.Next();
            }
            s.simhash = sr.Next();
            s.token_estimate = 40;
            in.prompt_sketches.push_back({.actor = actor,
                                          .day = day,
                                          .time_unix_ms = t,
                                          .session_id = fmt::format("s{}-{}", i, d),
                                          .sketch = s});
          }
          in.prompt_cadence.push_back(std::move(cadence));
        }
      }
      int n = flooder ? 40 : 12;
      for (int c = 0; c < n; ++c) {
        int64_t at = in.period.from_unix_ms + static_cast<int64_t>(rng.Below(27)) * kDay + kDay / 2;
        std::string sha = fmt::format("{:016x}{:016x}", rng.Next(), rng.Next());
        model::Commit commit{.repo = fmt::format("example/s{}", i / 10),
                             .sha = sha,
                             .author_email = actor,
                             .authored_unix_ms = at - 3'600'000,
                             .committed_unix_ms = at - 3'600'000};
        double s = flooder && c % 3 != 0 ? 8 : 20 + static_cast<double>(rng.Below(200));
        commit.meaningful_lines = s;
        commit.files.push_back(
            {.path = "main.go", .added = static_cast<int64_t>(s * 1.2), .meaningful = s});
        if (!looper) {
          in.delivery.commits.push_back(commit);
        }
        model::Change change{.id = fmt::format("github:example/s{}#{}{}", i / 10, i, c),
                             .repo = commit.repo,
                             .number = i * 100 + c,
                             .author = actor,
                             .state = "merged",
                             .head_sha = sha,
                             .merge_sha = sha,
                             .created_unix_ms = at - 7'200'000,
                             .merged_unix_ms = at - 3'600'000,
                             .merged = true};
        in.delivery.changes.push_back(change);
        analytics::nd::LogicalChangeCredit l;
        l.id = fmt::format("s{}/{}", i / 10, change.id);
        l.service = fmt::format("s{}", i / 10);
        l.owner = id;
        l.delivered_unix_ms = at;
        l.delivered_by = fmt::format("d{}-{}", i / 10, c);
        l.s = s;
        l.s_ref.value = l.credit.s_ref = 100;
        l.credit.g = std::min(1.0, s / 100);
        l.review.value = 1;
        l.review.approvals.push_back({.change_id = change.id,
                                      .reviewer = fmt::format("u{}", (i / 10) * 10 + (i + 1) % 10),
                                      .submitted_unix_ms = at - 3'000'000});
        l.nd = l.credit.g;
        nd_sum += l.nd;
        analytics::nd::ChangePart part{.change_id = change.id,
                                       .number = change.number,
                                       .owner = id,
                                       .merged_unix_ms = at - 3'600'000,
                                       .commit_shas = {sha},
                                       .substance = s,
                                       .delivered_unix_ms = at};
        l.parts.push_back(part);
        l.shares.push_back({.person_id = id, .resolved = true, .lines = s, .share = 1});
        nd->changes.push_back(std::move(l));
      }
      nd->people.push_back({.person_id = id,
                            .resolved = true,
                            .team = fmt::format("t{}", i / 10),
                            .fte = 1,
                            .nd_pending = nd_sum});
    }
    for (int t = 0; t < teams; ++t) {
      for (int d = 0; d < 20; ++d) {
        analytics::nd::DeploymentVerdict v;
        v.deployment_id = fmt::format("dep-{}-{}-{}", k, t, d);
        v.service = fmt::format("s{}", t);
        v.environment = "production";
        v.pipeline = fmt::format("s{}-prod", t);
        v.finished_unix_ms = in.period.from_unix_ms + d * kDay + kDay / 3;
        v.status = t % 200 == 5 && d % 2 == 0 ? analytics::nd::DeploymentStatus::kRedeploy
                                              : analytics::nd::DeploymentStatus::kQpd;
        v.landed = true;
        nd->deployments.push_back(std::move(v));
      }
      nd->teams.push_back({.team_id = fmt::format("t{}", t), .engineer_weeks = 40});
    }
    org->prompts += static_cast<int64_t>(in.prompt_sketches.size());
    org->rollups += static_cast<int64_t>(in.rollups.size());
    org->changes += static_cast<int64_t>(nd->changes.size());
    org->deployments += static_cast<int64_t>(nd->deployments.size());
    in.nd = nd.get();
    org->nd.push_back(std::move(nd));
    if (k == 0) {
      org->input.current = std::move(in);
    } else {
      org->input.previous.push_back(std::move(in));
    }
  }
  org->input.directory = org->directory.get();
  return org;
}

}  // namespace goodhart::detect::bench
