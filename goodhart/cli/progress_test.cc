#include "goodhart/cli/progress.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace goodhart::cli {
namespace {

// Runs `draw` with stderr on `fd` (a terminal or a pipe) and returns what was written to the
// other end, read from `read_fd`.
template <typename Draw>
std::string WithStderrOn(int fd, int read_fd, Draw draw) {
  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(fd, STDERR_FILENO);
  draw();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fd);
  std::string out;
  char buf[4096];
  ::fcntl(read_fd, F_SETFL, O_NONBLOCK);
  for (ssize_t n; (n = ::read(read_fd, buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(read_fd);
  return out;
}

void TwoPhases() {
  Progress progress("report", 2);
  progress.StartItem("reading the store");
  progress.StartItem("crediting");
  progress.Finish();
}

TEST(ProgressTest, ATerminalSeesEachPhaseAndTheLineIsClearedAtTheEnd) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string out = WithStderrOn(slave, master, TwoPhases);
  EXPECT_NE(out.find("report: 1/2 reading the store"), std::string::npos) << out;
  EXPECT_NE(out.find("report: 2/2 crediting"), std::string::npos) << out;
  EXPECT_EQ(out.find("records"), std::string::npos) << out;  // phases count no records
  ASSERT_GE(out.size(), 4u);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K") << out;  // Finish clears the line
}

TEST(ProgressTest, RecordsAreCountedWhenThereAreAny) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string out = WithStderrOn(slave, master, [] {
    Progress progress("import", 0);
    progress.StartItem("a.jsonl");
    progress.Add(1200);
    progress.StartItem("b.jsonl");  // a new item draws at once
  });
  EXPECT_NE(out.find("import: 2 b.jsonl  1200 records"), std::string::npos) << out;  // no total
}

// With a tick, the line is drawn again while a step runs, without the command reporting anything:
// the elapsed seconds keep counting.
TEST(ProgressTest, ATickRedrawsALongStep) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string out = WithStderrOn(slave, master, [] {
    Progress progress("detect", 3, std::chrono::milliseconds(5));
    progress.StartItem("reading");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  });
  size_t draws = 0;
  for (size_t at = out.find("detect: 1/3 reading"); at != std::string::npos;
       at = out.find("detect: 1/3 reading", at + 1))
    ++draws;
  EXPECT_GE(draws, 2u) << out;
}

TEST(ProgressTest, ATickDrawsNothingIntoAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_EQ(WithStderrOn(fds[1], fds[0],
                         [] {
                           Progress progress("detect", 3, std::chrono::milliseconds(5));
                           progress.StartItem("reading");
                           std::this_thread::sleep_for(std::chrono::milliseconds(50));
                         }),
            "");
}

TEST(ProgressTest, APipeGetsNothing) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_EQ(WithStderrOn(fds[1], fds[0], TwoPhases), "");
}

}  // namespace
}  // namespace goodhart::cli
