// The Goodhart test's persistence rule (docs/simulate.md): a detector flags an engineer when it
// met its tier rule in >= 2 of the 3 test periods. The simulator applies it to each period's
// flags itself, and stops detecting a strategy world early once the rule's outcome is settled.
#pragma once

#include <array>
#include <set>
#include <string>
#include <vector>

#include "goodhart/detect/flag.h"
#include "goodhart/simulate/org.h"

namespace goodhart::simulate {

// Flags that met their detector's tier rule in each test period (index 0, the baseline, is not
// evaluated and stays empty): raised ones and those suppressed only for want of persistence. A
// detector meeting its tier rule in >= 2 of the 3 test periods is the framework's persistence rule
// within the test window.
using RaisedFlags = std::array<std::vector<detect::Flag>, kPeriods>;

// Detectors that flagged `engineer` in each test period. A pipeline flag counts for the engineer
// when its evidence names a deployment they triggered.
std::array<std::set<std::string>, kPeriods> FlagsOf(const RaisedFlags& raised, const Engineer& e);

// Detectors (and "any") that flagged in >= 2 of the 3 test periods.
std::vector<std::string> Persistent(const std::array<std::set<std::string>, kPeriods>& by_period,
                                    bool* any);

// True when the first two test periods settle Persistent() for the engineer whatever the last
// test period holds: no detector, and not "any", stands at exactly one flagged period of two.
bool Settled(const RaisedFlags& raised, const Engineer& e);

}  // namespace goodhart::simulate
