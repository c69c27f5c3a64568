#include "goodhart/simulate/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "goodhart/simulate/parity.h"

namespace goodhart::simulate {
namespace {

constexpr std::array<std::string_view, kTauGroups> kGroups = {"all", "product", "platform",
                                                              "release"};

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) {
    return 0;
  }
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string Signed(double v) {
  long r = std::lround(v);
  return r > 0 ? fmt::format("+{}", r) : fmt::format("{}", r);
}

std::string Pct(double share, int digits = 0) {
  return fmt::format("{:.{}f}%", 100 * share, digits);
}

// The seed's honest flag rate: engineer-windows flagged of all.
double HonestFlagRate(const SeedSummary& seed) {
  return seed.windows > 0 ? static_cast<double>(seed.flagged) / static_cast<double>(seed.windows)
                          : 0;
}

// P4's parity verdict of role `r` in the seed (parity.h).
ParityVerdict RoleParityOf(const SeedSummary& seed, size_t r) {
  return RoleParity(seed.role_flagged[r], seed.role_windows[r], HonestFlagRate(seed));
}

void Evaluate(Summary& s) {
  const auto& strategies = Strategies();
  Criterion p1{"P1", "ND* robustness: median <= +2 and p90 <= +10 for every strategy"};
  Criterion p2{"P2", "explicit delegation: raw ND median <= +5 unless delegated"};
  Criterion p3{"P3", "detection >= 90% for every delegated strategy"};
  Criterion p4{
      "P4", "honest flags <= 0.5% overall, <= 0.2% per detector, no role > 2x overall (p < 0.05)"};
  Criterion p5{"P5", "within-role tau(ND) >= 0.7 and >= max(tau prs, lines, deploy_days) - 0.02"};
  Criterion p6{"P6", "seeds agree within +-5 points on every ND/ND* cell"};
  for (auto* c : {&p1, &p2, &p3, &p4, &p5, &p6}) {
    c->pass = true;
  }
  for (const auto& seed : s.seeds) {
    for (size_t i = 0; i < strategies.size(); ++i) {
      const auto& info = strategies[i];
      const Cell& star = seed.uplift[i][kNdStar];
      if (star.median > 2 || star.p90 > 10) {
        p1.pass = false;
        p1.details.push_back(fmt::format("seed {}: {} ND* {} [{}]", seed.seed, info.name,
                                         Signed(star.median), Signed(star.p90)));
      }
      const Cell& nd = seed.uplift[i][kNd];
      if (info.delegated_to.empty() && nd.median > 5) {
        p2.pass = false;
        p2.details.push_back(
            fmt::format("seed {}: {} raw ND median {}", seed.seed, info.name, Signed(nd.median)));
      }
      if (!info.delegated_to.empty()) {
        bool ok = seed.detected[i] >= 0.9;
        p3.pass = p3.pass && ok;
        p3.details.push_back(fmt::format("seed {}: {} (delegated to {}) detected {}{}", seed.seed,
                                         info.name, info.delegated_to, Pct(seed.detected[i]),
                                         ok ? "" : " FAIL"));
      }
    }
    double overall = HonestFlagRate(seed);
    bool ok4 = overall <= 0.005;
    std::string per_detector;
    for (const auto& [d, n] : seed.flagged_by_detector) {
      double rate = static_cast<double>(n) / static_cast<double>(seed.windows);
      ok4 = ok4 && rate <= 0.002;
      per_detector += fmt::format(" {} {}", d, Pct(rate, 2));
    }
    std::string roles;
    for (int r = 0; r < kRoles; ++r) {
      auto idx = static_cast<size_t>(r);
      if (seed.role_windows[idx] == 0) {
        continue;
      }
      ParityVerdict parity = RoleParityOf(seed, idx);
      ok4 = ok4 && !parity.fails;
      roles += fmt::format(" {} {}", RoleName(static_cast<Role>(r)), Pct(parity.rate, 2));
      if (parity.rate > kParityRatio * overall) {
        roles += fmt::format(" (> 2x overall; p = {:.2f}{})", parity.p_value,
                             parity.fails ? ", significant" : ", not significant");
      }
    }
    p4.pass = p4.pass && ok4;
    p4.details.push_back(
        fmt::format("seed {}: overall {} of {} engineer-windows; by detector:{}; "
                    "by role:{}{}",
                    seed.seed, Pct(overall, 2), seed.windows,
                    per_detector.empty() ? " none" : per_detector, roles, ok4 ? "" : " FAIL"));
    for (int model = 0; model < kValueModels; ++model) {
      const auto& t = seed.tau[static_cast<size_t>(model)];
      const size_t product = 1;
      double nd = t[kNd][product];
      double rival = std::max({t[kPrs][product], t[kLines][product], t[kDeployDays][product]});
      bool ok = nd >= 0.7 && nd >= rival - 0.02;
      p5.pass = p5.pass && ok;
      p5.details.push_back(
          fmt::format("seed {}, value model v{}: tau(ND) {:.2f} within product vs max(prs, lines, "
                      "deploy_days) {:.2f}{}",
                      seed.seed, model + 1, nd, rival, ok ? "" : " FAIL"));
    }
  }
  if (s.seeds.size() < 2) {
    p6.measured = false;
    p6.details.push_back("needs >= 2 seeds");
  } else {
    double worst = 0;
    std::string where;
    for (size_t a = 0; a < s.seeds.size(); ++a) {
      for (size_t b = a + 1; b < s.seeds.size(); ++b) {
        for (size_t i = 0; i < strategies.size(); ++i) {
          for (int m : {static_cast<int>(kNd), static_cast<int>(kNdStar)}) {
            const Cell& x = s.seeds[a].uplift[i][static_cast<size_t>(m)];
            const Cell& y = s.seeds[b].uplift[i][static_cast<size_t>(m)];
            double gap = std::max(std::abs(x.median - y.median), std::abs(x.p90 - y.p90));
            if (gap > worst) {
              worst = gap;
              where = fmt::format("{} {}", strategies[i].name, MetricName(m));
            }
          }
        }
      }
    }
    p6.pass = worst <= 5;
    p6.details.push_back(
        fmt::format("largest gap {:.1f} points ({})", worst, where.empty() ? "none" : where));
  }
  p4.details.push_back("tenure and part-time groups are not modelled (every engineer full time)");
  s.criteria = {p1, p2, p3, p4, p5, p6};
  s.pass = true;
  for (const auto& c : s.criteria) {
    s.pass = s.pass && (!c.measured || c.pass);
  }
}

}  // namespace

Summary Summarize(const std::vector<RunResult>& results, const OrgConfig& org, int runs) {
  Summary s{.org = org, .runs = runs};
  const auto& strategies = Strategies();
  std::map<uint64_t, std::vector<const RunResult*>> by_seed;
  std::vector<uint64_t> order;
  for (const auto& r : results) {
    if (by_seed[r.seed].empty()) {
      order.push_back(r.seed);
    }
    by_seed[r.seed].push_back(&r);
  }
  for (uint64_t seed : order) {
    const auto& rs = by_seed[seed];
    SeedSummary ss{.seed = seed, .runs = static_cast<int>(rs.size())};
    for (size_t i = 0; i < strategies.size(); ++i) {
      std::array<Cell, kMetricCount> cells;
      for (int m = 0; m < kMetricCount; ++m) {
        std::vector<double> v;
        for (const auto* r : rs) {
          v.push_back(r->uplift[i][static_cast<size_t>(m)]);
        }
        cells[static_cast<size_t>(m)] = {Quantile(v, 0.5), Quantile(v, 0.9)};
      }
      ss.uplift.push_back(cells);
      double detected = 0;
      std::map<std::string, double> by;
      std::vector<double> change;
      for (const auto* r : rs) {
        detected += r->detected[i] ? 1 : 0;
        for (const auto& d : r->detected_by[i]) {
          by[d] += 1.0 / static_cast<double>(rs.size());
        }
        change.push_back(r->value_change[i]);
      }
      ss.detected.push_back(detected / static_cast<double>(rs.size()));
      ss.detected_by.push_back(std::move(by));
      ss.value_change.push_back(Quantile(change, 0.5));
    }
    for (const auto* r : rs) {
      ss.windows += r->engineers;
      ss.flagged += r->flagged;
      ss.other_flags += r->honest_other_flags;
      for (const auto& [d, n] : r->flagged_by_detector) {
        ss.flagged_by_detector[d] += n;
      }
      for (size_t k = 0; k < kRoles; ++k) {
        ss.role_windows[k] += r->role_engineers[k];
        ss.role_flagged[k] += r->role_flagged[k];
      }
      for (size_t model = 0; model < kValueModels; ++model) {
        for (size_t m = 0; m < kMetricCount; ++m) {
          for (size_t g = 0; g < kTauGroups; ++g) {
            ss.tau[model][m][g] += r->tau[model][m][g] / static_cast<double>(rs.size());
          }
        }
      }
    }
    s.seeds.push_back(std::move(ss));
  }
  Evaluate(s);
  return s;
}

std::string FormatTable(const Summary& s) {
  std::string out =
      fmt::format("goodhart simulate: {} teams x {} engineers, {} runs per seed, seeds {}\n",
                  s.org.teams, s.org.engineers_per_team, s.runs, [&] {
                    std::string seeds;
                    for (const auto& x : s.seeds) {
                      seeds += seeds.empty() ? "" : ",";
                      seeds += std::to_string(x.seed);
                    }
                    return seeds;
                  }());
  if (!s.command.empty()) {
    out += "command: " + s.command + "\n";
  }
  out +=
      "cells: median rank uplift of the gamer in percentile points [p90]; detected: flagged in "
      ">= 2 of 3 periods\n";
  const auto& strategies = Strategies();
  for (const auto& seed : s.seeds) {
    out += fmt::format("\nSeed {}:\n{:<15}", seed.seed, "strategy");
    for (int m = 0; m < kMetricCount; ++m) {
      out += fmt::format(" {:>11}", MetricName(m));
    }
    out += fmt::format(" {:>9}  {}\n", "detected", "by detector (>= 2 of 3 periods)");
    for (size_t i = 0; i < strategies.size(); ++i) {
      out += fmt::format("{:<15}", strategies[i].name);
      for (int m = 0; m < kMetricCount; ++m) {
        const Cell& c = seed.uplift[i][static_cast<size_t>(m)];
        out += fmt::format(" {:>11}", fmt::format("{} [{}]", Signed(c.median), Signed(c.p90)));
      }
      std::string by;
      for (const auto& [d, r] : seed.detected_by[i]) {
        by += fmt::format("{}{} {}", by.empty() ? "" : ", ", d, Pct(r));
      }
      out += fmt::format(" {:>9}  {}\n", Pct(seed.detected[i]), by.empty() ? "-" : by);
    }
    std::string detectors;
    for (const auto& [d, n] : seed.flagged_by_detector) {
      detectors += fmt::format("{}{} x{}", detectors.empty() ? "" : ", ", d, n);
    }
    out += fmt::format(
        "honest engineers flagged (>=2 of 3 periods): {} of {} engineer-windows ({}) "
        "(detectors involved: {})\n",
        seed.flagged, seed.windows, Pct(HonestFlagRate(seed), 2),
        detectors.empty() ? "none" : detectors);
    out += "  by role:";
    for (size_t r = 0; r < kRoles; ++r) {
      out += fmt::format(" {} {}/{}", RoleName(static_cast<Role>(r)), seed.role_flagged[r],
                         seed.role_windows[r]);
    }
    out += fmt::format("; non-person flags in honest runs: {}\n", seed.other_flags);
    for (int model = 0; model < kValueModels; ++model) {
      for (size_t g = 0; g < kTauGroups; ++g) {
        out += fmt::format("Kendall tau vs true value (v{}), {:<8}:", model + 1, kGroups[g]);
        for (int m = 0; m < kNdStar; ++m) {
          out += fmt::format(" {} {:.2f}", MetricName(m),
                             seed.tau[static_cast<size_t>(model)][static_cast<size_t>(m)][g]);
        }
        out += "\n";
      }
    }
    out += "gamer's true value change (v1, median):";
    for (size_t i = 0; i < strategies.size(); ++i) {
      out += fmt::format(" {} {:+.1f}", strategies[i].name, seed.value_change[i]);
    }
    out += "\n";
  }
  out += "\nPass criteria (metrics.md §6.6):\n";
  for (const auto& c : s.criteria) {
    out += fmt::format("  {} {:<5} {}\n", c.id, !c.measured ? "n/a" : (c.pass ? "PASS" : "FAIL"),
                       c.name);
    for (const auto& d : c.details) {
      out += "       " + d + "\n";
    }
  }
  out += fmt::format("Result: {}\n", s.pass ? "PASS" : "FAIL");
  return out;
}

std::string FormatJson(const Summary& s) {
  nlohmann::json j;
  j["org"] = {{"teams", s.org.teams}, {"engineers_per_team", s.org.engineers_per_team}};
  j["runs"] = s.runs;
  j["command"] = s.command;
  const auto& strategies = Strategies();
  for (const auto& seed : s.seeds) {
    nlohmann::json js;
    js["seed"] = seed.seed;
    js["runs"] = seed.runs;
    for (size_t i = 0; i < strategies.size(); ++i) {
      nlohmann::json row;
      row["strategy"] = strategies[i].name;
      row["id"] = strategies[i].id;
      for (int m = 0; m < kMetricCount; ++m) {
        const Cell& c = seed.uplift[i][static_cast<size_t>(m)];
        row["uplift"][std::string(MetricName(m))] = {{"median", c.median}, {"p90", c.p90}};
      }
      row["detected"] = seed.detected[i];
      row["detected_by"] = seed.detected_by[i];
      row["true_value_change_median"] = seed.value_change[i];
      js["strategies"].push_back(row);
    }
    js["honest"] = {{"engineer_windows", seed.windows},
                    {"flagged", seed.flagged},
                    {"by_detector", seed.flagged_by_detector},
                    {"non_person_flags", seed.other_flags}};
    for (size_t r = 0; r < kRoles; ++r) {
      ParityVerdict parity = RoleParityOf(seed, r);
      js["honest"]["by_role"][std::string(RoleName(static_cast<Role>(r)))] = {
          {"windows", seed.role_windows[r]},
          {"flagged", seed.role_flagged[r]},
          {"parity_p_value", parity.p_value},
          {"parity_fails", parity.fails}};
    }
    for (int model = 0; model < kValueModels; ++model) {
      for (size_t g = 0; g < kTauGroups; ++g) {
        for (int m = 0; m < kMetricCount; ++m) {
          js["kendall_tau"][fmt::format("v{}", model + 1)][std::string(kGroups[g])]
            [std::string(MetricName(m))] =
                seed.tau[static_cast<size_t>(model)][static_cast<size_t>(m)][g];
        }
      }
    }
    j["seeds"].push_back(js);
  }
  for (const auto& c : s.criteria) {
    j["criteria"].push_back({{"id", c.id},
                             {"name", c.name},
                             {"measured", c.measured},
                             {"pass", c.pass},
                             {"details", c.details}});
  }
  j["pass"] = s.pass;
  return j.dump(2) + "\n";
}

}  // namespace goodhart::simulate
