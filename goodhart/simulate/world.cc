#include "goodhart/simulate/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "goodhart/simulate/assemble.h"

namespace goodhart::simulate {
namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Strategy World::StrategyOf(int engineer) const {
  for (const Gamer& g : gamers) {
    if (g.engineer == engineer)
      return g.strategy;
  }
  return Strategy::kHonest;
}

Result<std::vector<Strategy>> ParseGamers(const std::string& text) {
  std::vector<Strategy> out;
  if (text.empty() || Lower(text) == "none")
    return out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const std::string want = Lower(item);
    auto it = std::find_if(Strategies().begin(), Strategies().end(), [&](const StrategyInfo& s) {
      return Lower(std::string(s.id)) == want || Lower(std::string(s.name)) == want;
    });
    if (it == Strategies().end()) {
      return Status::InvalidArgument(
          fmt::format("simulate: --gamers: '{}' is not a strategy (S1..S9 or a name)", item));
    }
    out.push_back(it->strategy);
  }
  return out;
}

World SimulateWorld(const WorldOptions& options) {
  World world;
  world.org = GenerateOrg(options.org, options.seed, 0);
  const Org& org = world.org;
  for (int t = 0; t < options.org.teams && t < static_cast<int>(options.gamers.size()); ++t) {
    for (const Engineer& e : org.engineers) {
      if (e.team == t && e.role == Role::kProduct && !e.explorer) {
        world.gamers.push_back({.engineer = e.index, .strategy = options.gamers[t]});
        break;
      }
    }
  }
  world.activities.reserve(org.engineers.size());
  for (const Engineer& e : org.engineers) {
    world.activities.push_back(GenerateActivity(
        org, e, {.seed = options.seed, .run = 0, .strategy = world.StrategyOf(e.index)}));
  }
  const int n = options.org.engineers_per_team;
  for (int t = 0; t < options.org.teams; ++t) {
    std::vector<const Activity*> members;
    for (int i = t * n; i < (t + 1) * n; ++i)
      members.push_back(&world.activities[static_cast<size_t>(i)]);
    world.teams.push_back(AssembleTeam(org, t, members));
  }
  return world;
}

}  // namespace goodhart::simulate
