// goodhart simulate: the Goodhart test (metrics.md §6). Simulates a synthetic organisation, runs
// every gaming strategy through the production ND engine and detectors, prints the §6.5 table and
// the §6.6 pass criteria. Exit 0 when every measured criterion passes, 1 when one fails.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "goodhart/cli/command.h"
#include "goodhart/cli/progress.h"
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
};

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
  return [options, cmd]() -> int {
    if (!cmd->parsed()) {
      return -1;
    }
    std::string command = fmt::format(
        "goodhart simulate --seeds {} --runs {} --teams {} --engineers {} --format {}",
        options->seeds, options->runs, options->teams, options->engineers, options->format);
    return RunSimulate(*options, command);
  };
}

}  // namespace goodhart::cli
