#include "goodhart/simulate/org.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "goodhart/base/time.h"
#include "goodhart/simulate/rng.h"

namespace goodhart::simulate {

int64_t DayStartMillis(int day) {
  return CivilToMillis(2026, 1, 5) + static_cast<int64_t>(day) * kMillisPerDay;
}

int64_t PeriodFromMillis(int period) { return DayStartMillis(period * kDaysPerPeriod); }

int64_t EvaluationMillis() { return DayStartMillis(kDays + 100); }

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kProduct:
      return "product";
    case Role::kPlatform:
      return "platform";
    case Role::kRelease:
      return "release";
  }
  return "product";
}

std::string Org::RepoOf(std::string_view service) { return fmt::format("sim/{}", service); }

Org GenerateOrg(const OrgConfig& config, uint64_t seed, int run) {
  Org org{.config = config};
  const int n = config.teams * config.engineers_per_team;
  Rng rng(StreamKey({seed, static_cast<uint64_t>(run), static_cast<uint64_t>(Stream::kOrg)}));
  // Roles to exact shares: a random permutation, the first 10% platform, the next 5% release,
  // then explorers (10% of everyone) among the product engineers.
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(rng.Below(i + 1))]);
  }
  const int platform = static_cast<int>(std::lround(0.10 * n));
  const int release = static_cast<int>(std::lround(0.05 * n));
  const int explorers = static_cast<int>(std::lround(0.10 * n));
  std::vector<Role> roles(static_cast<size_t>(n), Role::kProduct);
  std::vector<bool> explorer(static_cast<size_t>(n), false);
  for (int k = 0; k < n; ++k) {
    auto i = static_cast<size_t>(order[static_cast<size_t>(k)]);
    if (k < platform) {
      roles[i] = Role::kPlatform;
    } else if (k < platform + release) {
      roles[i] = Role::kRelease;
    } else if (k < platform + release + explorers) {
      explorer[i] = true;
    }
  }
  for (int t = 0; t < config.teams; ++t) {
    org.teams.push_back(fmt::format("t{:02d}", t));
    org.services.push_back(fmt::format("t{:02d}-svc0", t));
    org.services.push_back(fmt::format("t{:02d}-svc1", t));
  }
  for (int i = 0; i < n; ++i) {
    Rng r(StreamKey({seed, static_cast<uint64_t>(run), static_cast<uint64_t>(Stream::kOrg),
                     static_cast<uint64_t>(i)}));
    Engineer e;
    e.index = i;
    e.id = fmt::format("e{:03d}", i);
    e.email = e.id + "@sim.example";
    e.team = i / config.engineers_per_team;
    e.role = roles[static_cast<size_t>(i)];
    e.explorer = explorer[static_cast<size_t>(i)];
    e.skill = r.LogNormal(0, 0.35);
    e.change_rate = config.changes_per_day * e.skill * (e.role == Role::kPlatform ? 2.0 : 1.0);
    e.size_mu = std::log(e.role == Role::kPlatform ? 12.0 : 60.0);
    e.size_sigma = e.role == Role::kPlatform ? 0.7 : 0.8;
    e.ai_intensity = r.Uniform(0.2, 1.0);
    e.defect_rate = 0.07;
    e.prompt_cv = r.LogNormal(std::log(1.4), 0.25);
    e.dup_share = e.explorer ? 0.08 : 0.05;
    org.engineers.push_back(std::move(e));
  }
  // Release trains: services shared round-robin among the release engineers.
  std::vector<int> releasers;
  for (const auto& e : org.engineers) {
    if (e.role == Role::kRelease) {
      releasers.push_back(e.index);
    }
  }
  for (int s = 0; s < org.ServiceCount(); ++s) {
    org.release_engineer.push_back(
        releasers.empty() ? -1 : releasers[static_cast<size_t>(s) % releasers.size()]);
  }
  std::string yaml = "people:\n";
  for (const auto& e : org.engineers) {
    yaml += fmt::format("  - {{id: {}, team: {}, role: {}, emails: [{}], github: {}}}\n", e.id,
                        org.teams[static_cast<size_t>(e.team)], RoleName(e.role), e.email, e.id);
  }
  yaml += "teams:\n";
  for (const auto& t : org.teams) {
    yaml += fmt::format("  - {{id: {}, name: {}}}\n", t, t);
  }
  yaml += "services:\n";
  for (int s = 0; s < org.ServiceCount(); ++s) {
    const auto& id = org.services[static_cast<size_t>(s)];
    yaml += fmt::format(
        "  - {{id: {}, team: {}, repo: {}, production_environments: [production], family: "
        "go-api}}\n",
        id, org.teams[static_cast<size_t>(s / 2)], Org::RepoOf(id));
  }
  yaml += fmt::format("bots: [\"{}\"]\n", kDeployBot);
  org.directory_yaml = std::move(yaml);
  return org;
}

}  // namespace goodhart::simulate
