#include "goodhart/receivers/git/internal/subprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::receivers::git::internal {
namespace {

using goodhart::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RunProcessTest, StreamsStdinThroughAChildBothWays) {
  // 4 MiB through `cat`: more than any pipe buffer, so reading and writing must interleave.
  std::string input;
  for (int i = 0; input.size() < (4 << 20); ++i)
    input += "line " + std::to_string(i) + "\n";
  auto r = RunAndCapture({.argv = {"cat"}, .stdin_data = input});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, input);
}

TEST(RunProcessTest, ExitCodeAndStderr) {
  auto r = RunAndCapture({.argv = {"ls", "/definitely/not/here"}});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0);
  EXPECT_THAT(r->stderr_tail, HasSubstr("/definitely/not/here"));
}

TEST(RunProcessTest, MissingProgramIsUnavailable) {
  auto r = RunAndCapture({.argv = {"goodhart-no-such-program"}});
  EXPECT_THAT(r.status(),
              StatusIs(StatusCode::kUnavailable, HasSubstr("goodhart-no-such-program")));
  EXPECT_THAT(RunAndCapture({}).status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(RunProcessTest, CallbackErrorStopsAndKillsTheChild) {
  int64_t seen = 0;
  auto r = RunProcess({.argv = {"yes"}}, [&](std::string_view chunk) {
    seen += static_cast<int64_t>(chunk.size());
    return seen > (1 << 20) ? Status::Internal("enough") : Status::Ok();
  });
  EXPECT_THAT(r.status(), StatusIs(StatusCode::kInternal, HasSubstr("enough")));
}

TEST(RunProcessTest, ChildThatIgnoresStdinDoesNotKillUs) {
  // `true` exits without reading: writing to it must fail quietly, not raise SIGPIPE.
  auto r = RunAndCapture({.argv = {"true"}, .stdin_data = std::string(8 << 20, 'x')});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
}

TEST(RunProcessTest, EnvironmentSetAndRemoved) {
  setenv("GOODHART_SUBPROCESS_TEST_DROP", "1", 1);
  auto r = RunAndCapture(
      {.argv = {"env"}, .env = {"GOODHART_SUBPROCESS_TEST=42", "GOODHART_SUBPROCESS_TEST_DROP"}});
  unsetenv("GOODHART_SUBPROCESS_TEST_DROP");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->out, HasSubstr("GOODHART_SUBPROCESS_TEST=42\n"));
  EXPECT_THAT(r->out, ::testing::Not(HasSubstr("GOODHART_SUBPROCESS_TEST_DROP")));
}

TEST(CoprocessTest, TakesTurns) {
  auto cat = Coprocess::Start({.argv = {"cat"}});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  Coprocess& c = **cat;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(c.Write("request " + std::to_string(i) + "\n").ok());
    auto line = c.ReadLine();
    ASSERT_TRUE(line.ok());
    EXPECT_EQ(*line, "request " + std::to_string(i));
  }
  ASSERT_TRUE(c.Write("0123456789\nnext\n").ok());
  std::string keep;
  ASSERT_TRUE(c.Read(11, &keep, 4).ok());
  EXPECT_EQ(keep, "0123");
  EXPECT_EQ(*c.ReadLine(), "next");
}

TEST(CoprocessTest, ChildExitIsAnError) {
  auto t = Coprocess::Start({.argv = {"true"}});
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE((*t)->ReadLine().ok());
  EXPECT_THAT(Coprocess::Start({.argv = {"goodhart-no-such-program"}}).status(),
              StatusIs(StatusCode::kUnavailable));
}

}  // namespace
}  // namespace goodhart::receivers::git::internal
