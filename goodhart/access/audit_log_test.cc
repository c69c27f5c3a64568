#include "goodhart/access/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "goodhart/base/testing/temp_dir.h"

namespace goodhart::access {
namespace {

// A test's audit log path, in a directory removed when the test ends.
struct TempLog {
  goodhart::testing::TempDir dir{"audit"};
  std::string path = dir.path() + "/audit.jsonl";
};

TEST(AuditLogTest, AppendsAndReadsBack) {
  TempLog temp;
  AuditLog log(temp.path);
  EXPECT_TRUE(log.ReadAll()->empty());
  AuditRecord a{.time_unix_ms = 1'767'225'600'000,
                .principal = "root",
                .role = "admin",
                .action = "GET /api/v1/report",
                .subjects = {"alice", "bob"},
                .detail = "from=2026-01-01&to=2026-03-31"};
  AuditRecord b = a;
  b.principal = "alice";
  b.subjects = {"alice"};
  ASSERT_TRUE(log.Append(a).ok());
  ASSERT_TRUE(log.Append(b).ok());
  auto all = log.ReadAll();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], a);
  EXPECT_EQ((*all)[1], b);
}

// With an fsync per read (0) and with the background fsync (the default, 100 ms), every line is
// in the file when Append returns.
TEST(AuditLogTest, ConcurrentAppendsKeepWholeLines) {
  for (int64_t interval : {0, 100}) {
    TempLog temp;
    AuditLog log(temp.path, {.fsync_interval_ms = interval});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < 25; ++i) {
          AuditRecord r{.time_unix_ms = i, .principal = "p" + std::to_string(t), .role = "admin"};
          ASSERT_TRUE(log.Append(r).ok());
        }
      });
    }
    for (auto& th : threads)
      th.join();
    EXPECT_EQ(log.ReadAll()->size(), 100u) << "fsync_interval_ms " << interval;
  }
}

// Closing the log does not wait for the next background fsync (a minute away here): the test
// would hang otherwise. What was written stays.
TEST(AuditLogTest, ClosingFsyncsWithoutWaitingForTheInterval) {
  TempLog temp;
  std::string path = temp.path;
  {
    AuditLog log(path, {.fsync_interval_ms = 60'000});
    ASSERT_TRUE(log.Append({.time_unix_ms = 1, .principal = "p", .role = "admin"}).ok());
  }
  auto after = AuditLog(path, {.fsync_interval_ms = 0}).ReadAll();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 1u);
}

// A rotated log (renamed away by logrotate) keeps its lines; the next append starts a new file.
TEST(AuditLogTest, AppendsGoToANewFileAfterRotation) {
  TempLog temp;
  std::string path = temp.path;
  AuditLog log(path);
  ASSERT_TRUE(log.Append({.time_unix_ms = 1, .principal = "before", .role = "admin"}).ok());
  std::filesystem::rename(path, path + ".1");
  ASSERT_TRUE(log.Append({.time_unix_ms = 2, .principal = "after", .role = "admin"}).ok());
  auto now = log.ReadAll();
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].principal, "after");
  auto rotated = AuditLog(path + ".1").ReadAll();
  ASSERT_TRUE(rotated.ok());
  ASSERT_EQ(rotated->size(), 1u);
  EXPECT_EQ((*rotated)[0].principal, "before");
}

TEST(AuditLogTest, UnwritablePathIsUnavailableAndBadLinesAreDataLoss) {
  AuditLog nowhere("/nonexistent-dir/audit.jsonl");
  EXPECT_EQ(nowhere.Append({}).code(), StatusCode::kUnavailable);
  TempLog temp;
  std::string path = temp.path;
  std::ofstream(path) << "{not json\n";
  EXPECT_EQ(AuditLog(path).ReadAll().status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace goodhart::access
