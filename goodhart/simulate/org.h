// The synthetic organisation of the Goodhart test (metrics.md §6.2): teams of engineers with
// honest heterogeneity (skill, change sizes, platform/config and release roles, explorers, AI
// intensity, defect rate, prompt timing, near-duplicate share), two services per team, and the
// directory YAML that goodhart's real directory parser reads. Also the simulated calendar: one
// baseline period and three test periods of four weeks (20 working days) each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goodhart::simulate {

// The calendar: period 0 is the baseline, 1..3 the test periods. Day 0 is Monday 2026-01-05.
inline constexpr int kPeriods = 4;
inline constexpr int kDaysPerPeriod = 28;
inline constexpr int kDays = kPeriods * kDaysPerPeriod;
int64_t DayStartMillis(int day);
int64_t PeriodFromMillis(int period);  // [PeriodFromMillis(k), PeriodFromMillis(k + 1))
inline bool IsWorkingDay(int day) { return day % 7 < 5; }
// When every logical change of the test periods is final (T_final = 90 days after the last).
int64_t EvaluationMillis();

enum class Role { kProduct, kPlatform, kRelease };
// "product", "platform", "release" (the directory roles; detect::RoleFamily maps them).
std::string_view RoleName(Role role);
inline constexpr int kRoles = 3;

struct Engineer {
  int index = 0;          // 0..N-1
  std::string id, email;  // "e017", "e017@sim.example"
  int team = 0;
  Role role = Role::kProduct;
  bool explorer = false;    // product engineers with 4x exploratory, artifact-less AI usage
  double skill = 1;         // lognormal(0, 0.35): scales the change rate
  double change_rate = 0;   // expected changes per working day
  double size_mu = 0;       // ln of the median change size (meaningful lines)
  double size_sigma = 0;    // lognormal sigma of change sizes
  double ai_intensity = 0;  // U(0.2, 1): share of changes made with an AI session
  double defect_rate = 0.07;
  double prompt_cv = 1.4;   // lognormal(ln 1.4, 0.25): CV of gaps between prompts
  double dup_share = 0.05;  // share of prompts that repeat an earlier one nearly verbatim
};

struct OrgConfig {
  int teams = 12;
  int engineers_per_team = 8;
  // Honest changes per working day of an engineer of skill 1 (platform engineers make twice as
  // many). At 0.6 a product engineer ships about 12 changes in a four-week period, below D7's 20,
  // so only a large organisation has a D7 peer group of product engineers (docs/simulate.md).
  double changes_per_day = 0.6;
};

struct Org {
  OrgConfig config;
  std::vector<Engineer> engineers;
  std::vector<std::string> teams;     // "t00"
  std::vector<std::string> services;  // "t00-svc0", "t00-svc1": service s belongs to team s / 2
  // Per service: the release engineer who runs its daily release train (-1: the deploy bot).
  std::vector<int> release_engineer;
  std::string directory_yaml;  // people (roles, emails, GitHub login = id), teams, services, bots
  int ServiceCount() const { return static_cast<int>(services.size()); }
  static std::string RepoOf(std::string_view service);  // "sim/<service>"
};

inline constexpr char kDeployBot[] = "deploy-bot";

// The organisation of one (seed, run): roles are assigned to exact shares (10% platform, 5%
// release, explorers 10% of everyone, taken from product), traits drawn per engineer.
Org GenerateOrg(const OrgConfig& config, uint64_t seed, int run);

}  // namespace goodhart::simulate
