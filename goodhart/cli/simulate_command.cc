// goodhart simulate: the Goodhart test (metrics.md §6). Simulates a synthetic organisation, runs
// every gaming strategy through the production ND engine and detectors, prints the §6.5 table and
// the §6.6 pass criteria. Exit 0 when every measured criterion passes, 1 when one fails.
//
// goodhart simulate --emit DIR [--seed N] [--gamers S1,S4,...] [--github-secret S]
//                   [--expect --sketch-key K]: one simulated organisation (one seed, one run, a
// few gamers mixed in) written as the wire formats it would arrive in (simulate/emit/emit.h), for
// `goodhart replay` and `goodhart import-git`.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "goodhart/cli/command.h"
#include "goodhart/cli/heap.h"
#include "goodhart/cli/progress.h"
#include "goodhart/simulate/emit/emit.h"
#include "goodhart/simulate/simulation.h"
#include "goodhart/simulate/summary.h"

namespace goodhart::cli {
namespace {

struct SimulateOptions {
  std::string seeds = "11,23";
  int runs = 100;
  int teams = 12;
  int engineers = 8;
  int threads = 2;
  std::string format = "table";
  std::string out;
  // --emit
  std::string emit_dir;
  uint64_t seed = 11;
  double changes_per_day = 0.6;
  std::string gamers = simulate::kDefaultGamers;
  std::string github_secret, sketch_key;
  bool expect = false;
};

int RunEmit(const SimulateOptions& options, const std::string& command) {
  if (options.teams < 1 || options.engineers < 2) {
    fmt::print(stderr, "goodhart: simulate: --teams must be >= 1 and --engineers >= 2\n");
    return kExitUsage;
  }
  if (!(options.changes_per_day > 0 && options.changes_per_day <= 20)) {
    fmt::print(stderr, "goodhart: simulate: --changes-per-day must be in (0, 20]\n");
    return kExitUsage;
  }
  auto gamers = simulate::ParseGamers(options.gamers);
  if (!gamers.ok()) {
    ReportError(gamers.status());
    return kExitUsage;
  }
  if (options.expect && options.sketch_key.empty()) {
    fmt::print(stderr,
               "goodhart: simulate: --expect needs --sketch-key (the server's "
               "privacy.sketch_key)\n");
    return kExitUsage;
  }
  auto start = std::chrono::steady_clock::now();
  auto manifest =
      simulate::emit::EmitWorld({.world = {.org = {.teams = options.teams,
                                                   .engineers_per_team = options.engineers,
                                                   .changes_per_day = options.changes_per_day},
                                           .seed = options.seed,
                                           .gamers = *gamers},
                                 .dir = options.emit_dir,
                                 .github_secret = options.github_secret,
                                 .expect_sketch_key = options.expect ? options.sketch_key : "",
                                 .command = command});
  if (!manifest.ok())
    return ReportError(manifest.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& m = *manifest;
  const auto& c = m["counts"];
  fmt::print("emitted {} ({} teams x {} engineers, {} changes a day, seed {}) in {:.1f} s\n",
             options.emit_dir, options.teams, options.engineers, options.changes_per_day,
             options.seed, seconds);
  fmt::print("  directory.yaml        {} people\n", c["people"].get<int64_t>());
  fmt::print("  git/                  {} repositories, {} commits\n", m["git"].size(),
             c["commits"].get<int64_t>());
  fmt::print("  otlp/                 {} log bodies ({} events), {} metric bodies\n",
             c["otlp_log_bodies"].get<int64_t>(), c["usage_events"].get<int64_t>(),
             c["otlp_metric_bodies"].get<int64_t>());
  fmt::print("  webhooks/github/      {} deliveries ({} pull requests, {} reviews){}\n",
             c["github_deliveries"].get<int64_t>(), c["pull_requests"].get<int64_t>(),
             c["reviews"].get<int64_t>(), m["signed"].get<bool>() ? ", signed" : "");
  fmt::print("  webhooks/deployments/ {} deployment API requests\n",
             c["deployment_requests"].get<int64_t>());
  for (const auto& g : m["gamers"]) {
    fmt::print("  gamer                 {} ({}) plays {} {}\n", g["person"].get<std::string>(),
               g["team"].get<std::string>(), g["strategy"].get<std::string>(),
               g["name"].get<std::string>());
  }
  if (options.expect)
    fmt::print("  expected.json         the in-process report and flags\n");
  return kExitOk;
}

Result<std::vector<uint64_t>> ParseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      seeds.push_back(std::stoull(item, &used));
      if (used != item.size()) {
        throw std::invalid_argument(item);
      }
    } catch (const std::exception&) {
      return Status::InvalidArgument(fmt::format("simulate: --seeds: '{}' is not a number", item));
    }
  }
  if (seeds.empty()) {
    return Status::InvalidArgument("simulate: --seeds: no seed given");
  }
  return seeds;
}

int RunSimulate(const SimulateOptions& options, const std::string& command) {
  auto seeds = ParseSeeds(options.seeds);
  if (!seeds.ok()) {
    ReportError(seeds.status());
    return kExitUsage;
  }
  if (options.runs < 1 || options.teams < 1 || options.engineers < 2 || options.threads < 1) {
    fmt::print(stderr,
               "goodhart: simulate: --runs, --teams, --threads must be >= 1 and "
               "--engineers >= 2\n");
    return kExitUsage;
  }
  if (options.format != "table" && options.format != "json" && options.format != "html") {
    fmt::print(stderr, "goodhart: simulate: --format: '{}' is not table, json or html\n",
               options.format);
    return kExitUsage;
  }
  simulate::SimulationOptions sim{
      .org = {.teams = options.teams, .engineers_per_team = options.engineers},
      .seeds = *seeds,
      .runs = options.runs,
      .threads = options.threads};
  auto progress =
      std::make_unique<Progress>("simulate", static_cast<int64_t>(seeds->size()) * options.runs);
  sim.on_run_done = [&](int done, int total) {
    progress->StartItem(fmt::format("run {}/{}", done, total));
  };
  // Each run allocates and frees hundreds of MB of records (BENCHMARKS.md #6).
  ReserveHeap(BatchHeapReservation());
  auto start = std::chrono::steady_clock::now();
  std::vector<simulate::RunResult> results = simulate::RunSimulation(sim);
  progress->Finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  simulate::Summary summary = simulate::Summarize(results, sim.org, options.runs);
  summary.command = command;
  std::string text = options.format == "json"   ? simulate::FormatJson(summary)
                     : options.format == "html" ? simulate::FormatHtml(summary)
                                                : simulate::FormatTable(summary);
  if (options.out.empty()) {
    fmt::print("{}", text);
  } else {
    std::ofstream file(options.out, std::ios::binary);
    file << text;
    if (!file.good()) {
      return ReportError(
          Status::Unavailable(fmt::format("simulate: --out: cannot write {}", options.out)));
    }
  }
  fmt::print(stderr, "goodhart simulate: {} runs in {:.1f} s: {}\n", results.size(), seconds,
             summary.pass ? "PASS" : "FAIL");
  return summary.pass ? kExitOk : kExitFailure;
}

}  // namespace

CommandRunner AddSimulateCommand(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Run the Goodhart test: gaming strategies against ND and the detectors");
  cmd->add_option("--seeds", options->seeds, "Comma-separated master seeds (default 11,23)");
  cmd->add_option("--runs", options->runs, "Runs per seed (default 100)");
  cmd->add_option("--teams", options->teams, "Teams (default 12)");
  cmd->add_option("--engineers", options->engineers, "Engineers per team (default 8)");
  cmd->add_option("--threads", options->threads, "Worker threads (default 2)");
  cmd->add_option("--format", options->format, "table | json | html");
  cmd->add_option("--out", options->out, "Write the result here instead of stdout");
  cmd->add_option("--emit", options->emit_dir,
                  "Instead: write one simulated org as wire formats into this directory");
  cmd->add_option("--seed", options->seed, "--emit: the seed (default 11)");
  cmd->add_option("--changes-per-day", options->changes_per_day,
                  "--emit: honest changes per working day of an engineer of skill 1 (default 0.6)");
  cmd->add_option("--gamers", options->gamers,
                  "--emit: one strategy per team in order, S1..S9 or names, or none (default " +
                      std::string(simulate::kDefaultGamers) + ")");
  cmd->add_option("--github-secret", options->github_secret,
                  "--emit: sign GitHub deliveries (the server's webhooks.github_secret)");
  cmd->add_flag("--expect", options->expect,
                "--emit: also write expected.json, the in-process report and flags");
  cmd->add_option("--sketch-key", options->sketch_key, "--expect: the server's privacy.sketch_key");
  return [options, cmd]() -> int {
    if (!cmd->parsed()) {
      return -1;
    }
    if (!options->emit_dir.empty()) {
      std::string command = fmt::format(
          "goodhart simulate --emit {} --seed {} --teams {} --engineers {} --changes-per-day {} "
          "--gamers {}",
          options->emit_dir, options->seed, options->teams, options->engineers,
          options->changes_per_day, options->gamers);
      return RunEmit(*options, command);
    }
    std::string command = fmt::format(
        "goodhart simulate --seeds {} --runs {} --teams {} --engineers {} --format {}",
        options->seeds, options->runs, options->teams, options->engineers, options->format);
    return RunSimulate(*options, command);
  };
}

}  // namespace goodhart::cli
