// One simulated organisation as a single world (issue #6, `goodhart simulate --emit`): one seed,
// one run, honest engineers with a few gamers mixed in, each playing one strategy of metrics.md
// §6.3 from the first test period on. Unlike the Goodhart test (simulation.h), which replays one
// gamer under every strategy against honest peers, this is the org as it would be observed: every
// record of every engineer at once, assembled per team into delivery records.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/simulate/activity.h"
#include "goodhart/simulate/org.h"
#include "goodhart/simulate/strategy.h"
#include "goodhart/store/store.h"

namespace goodhart::simulate {

// The default mix: one gamer per team, in this order, as long as there are teams (a 3-team org
// gets tokenmaxx, trivial and noop). Every strategy is represented once there are 9 teams.
inline constexpr char kDefaultGamers[] = "S1,S4,S3,S7,S6,S8,S9,S2,S5";

struct WorldOptions {
  OrgConfig org;
  uint64_t seed = 11;
  // Strategies, one per team in order (team 0 gets the first). More strategies than teams: the
  // rest are left out.
  std::vector<Strategy> gamers;
};

struct Gamer {
  int engineer = 0;  // index into Org::engineers
  Strategy strategy = Strategy::kHonest;
};

struct World {
  Org org;
  std::vector<Activity> activities;           // per engineer, org order
  std::vector<Gamer> gamers;                  // in team order
  std::vector<store::DeliveryRecords> teams;  // AssembleTeam per team: commits with parents
  Strategy StrategyOf(int engineer) const;
};

// "S1,S4" or "tokenmaxx,trivial" (ids or names, any case); "" or "none" is no gamer.
// kInvalidArgument names an unknown entry: "simulate: --gamers: 'S12' is not a strategy".
Result<std::vector<Strategy>> ParseGamers(const std::string& text);

// Deterministic in (options). A team's gamer is its first product engineer who is not an
// explorer (a team without one has no gamer).
World SimulateWorld(const WorldOptions& options);

}  // namespace goodhart::simulate
