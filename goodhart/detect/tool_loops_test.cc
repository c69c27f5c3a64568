#include "goodhart/detect/tool_loops.h"

#include <gtest/gtest.h>

namespace goodhart::detect {
namespace {

// Steps of `session` with the given fingerprints, one a second; fingerprint 7 is "Edit".
void Add(std::vector<store::ToolStepRow>* steps, const std::string& session,
         const std::vector<uint64_t>& fingerprints) {
  for (size_t i = 0; i < fingerprints.size(); ++i) {
    steps->push_back({.actor = "a@example.com",
                      .session_id = session,
                      .time_unix_ms = static_cast<int64_t>(i) * 1000,
                      .tool_name = fingerprints[i] == 7 ? "Edit" : "Bash",
                      .fingerprint = fingerprints[i]});
  }
}

TEST(ToolLoops, IdenticalStepsInARow) {
  std::vector<store::ToolStepRow> steps;
  Add(&steps, "s1", {1, 9, 9, 9, 9, 2});
  Add(&steps, "s2", {9, 9, 9, 1, 9});  // three in a row only
  auto loops = FindToolLoops(steps, 4);
  ASSERT_EQ(loops.size(), 1u);
  const ToolLoop& l = loops.at("s1");
  EXPECT_EQ(l.repeats, 4);
  EXPECT_EQ(l.period, 1);
  EXPECT_EQ(l.tools, "Bash");
  EXPECT_EQ(l.start_unix_ms, 1000);
  EXPECT_EQ(l.end_unix_ms, 4000);
}

TEST(ToolLoops, AlternatingStepsCountCycles) {
  std::vector<store::ToolStepRow> steps;
  Add(&steps, "s1", {3, 7, 9, 7, 9, 7, 9, 7, 9, 7, 4});  // Edit-Bash x4, then a lone Edit
  Add(&steps, "s2", {7, 9, 7, 9, 7, 9, 7, 5});           // three cycles
  Add(&steps, "s3", {7, 9, 9, 7, 9, 9, 7, 9});           // not alternating
  auto loops = FindToolLoops(steps, 4);
  ASSERT_EQ(loops.size(), 1u);
  const ToolLoop& l = loops.at("s1");
  EXPECT_EQ(l.repeats, 4);
  EXPECT_EQ(l.period, 2);
  EXPECT_EQ(l.tools, "Edit → Bash");
  EXPECT_EQ(l.start_unix_ms, 1000);
  EXPECT_EQ(l.end_unix_ms, 9000);
}

TEST(ToolLoops, LongestLoopOfASessionWins) {
  std::vector<store::ToolStepRow> steps;
  Add(&steps, "s1", {7, 9, 7, 9, 7, 9, 7, 9, 7, 9, 1, 1, 1, 1, 1, 1});
  auto loops = FindToolLoops(steps, 4);
  ASSERT_EQ(loops.size(), 1u);
  EXPECT_EQ(loops.at("s1").repeats, 6);
  EXPECT_EQ(loops.at("s1").period, 1);
}

TEST(ToolLoops, NoStepsNoLoops) { EXPECT_TRUE(FindToolLoops({}, 4).empty()); }

}  // namespace
}  // namespace goodhart::detect
