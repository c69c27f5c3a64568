// The report scenarios of tests/scenarios/ through the real goodhart binary: each folder's
// directory, delivery events and usage are imported with `goodhart directory import` and
// `goodhart ingest`, `goodhart report --people --format json` is run for the folder's period,
// and the report must contain everything in the folder's expected.json (worked out by hand, see
// tests/scenarios/README.md). Objects in expected.json list the keys checked; arrays must have
// the same length and match element by element; numbers match to 1e-6.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kScenarios = GOODHART_SCENARIOS_DIR;

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  return json::parse(in);
}

// Every difference between `expected` and the part of `actual` it names, as "path: what".
void Compare(const json& expected, const json& actual, const std::string& path,
             std::vector<std::string>& diffs) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      diffs.push_back(fmt::format("{}: expected an object, got {}", path, actual.dump()));
      return;
    }
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        diffs.push_back(fmt::format("{}.{}: missing", path, key));
        continue;
      }
      Compare(value, actual[key], path + "." + key, diffs);
    }
  } else if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      diffs.push_back(
          fmt::format("{}: expected {} elements, got {}", path, expected.size(),
                      actual.is_array() ? std::to_string(actual.size()) : actual.dump()));
      return;
    }
    for (size_t i = 0; i < expected.size(); ++i)
      Compare(expected[i], actual[i], fmt::format("{}[{}]", path, i), diffs);
  } else if (expected.is_number()) {
    if (!actual.is_number() || std::abs(expected.get<double>() - actual.get<double>()) > 1e-6) {
      diffs.push_back(fmt::format("{}: expected {}, got {}", path, expected.dump(), actual.dump()));
    }
  } else if (expected != actual) {
    diffs.push_back(fmt::format("{}: expected {}, got {}", path, expected.dump(), actual.dump()));
  }
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.json"))
      names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ReportScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReportScenarioTest, ReportMatchesExpected) {
  const fs::path folder = kScenarios / GetParam();
  json scenario = ReadJson(folder / "scenario.json");
  TempDir dir;
  std::string data = dir.path() + "/data";

  CommandResult imported = RunGoodhart(
      {"directory", "import", (kScenarios / "directory.yaml").string(), "--data", data});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> ingest = {"ingest", "--format", "json", "--data", data};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".jsonl")
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  ingest.insert(ingest.end(), files.begin(), files.end());
  CommandResult ingested = RunGoodhart(ingest);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;
  for (const json& file : json::parse(ingested.out)) {
    EXPECT_EQ(file["rejected"], 0) << file.dump();
    EXPECT_GT(file["stored"].get<int64_t>(), 0) << file.dump();
  }

  CommandResult report = RunGoodhart({"report", "--from", scenario["from"].get<std::string>(),
                                      "--to", scenario["to"].get<std::string>(), "--as-of",
                                      scenario["as_of"].get<std::string>(), "--params",
                                      (kScenarios / "params.yaml").string(), "--people", "--format",
                                      "json", "--data", data});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  json actual = json::parse(report.out);
  std::vector<std::string> diffs;
  Compare(ReadJson(folder / "expected.json"), actual, "report", diffs);
  std::ostringstream all;
  for (const auto& d : diffs)
    all << "\n  " << d;
  EXPECT_TRUE(diffs.empty()) << scenario["description"].get<std::string>() << all.str();
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReportScenarioTest, ::testing::ValuesIn(ScenarioNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The comparison itself must be able to fail.
TEST(ReportScenarioCompareTest, FindsEveryKindOfDifference) {
  json expected = json::parse(R"({"org": {"nd": 0.5, "dora": {"x": null}},
                                   "people": [{"person": "alice"}], "v": "a"})");
  json actual = json::parse(R"({"org": {"nd": 0.51, "dora": {"x": 1}},
                                 "people": [{"person": "bob"}, {}], "v": "b"})");
  std::vector<std::string> diffs;
  Compare(expected, actual, "r", diffs);
  EXPECT_EQ(diffs.size(), 4u);
  diffs.clear();
  Compare(expected, expected, "r", diffs);
  EXPECT_TRUE(diffs.empty());
}

}  // namespace
}  // namespace goodhart::testing
