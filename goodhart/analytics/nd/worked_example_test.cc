// metrics.md §3.11 through the pure functions, cell by cell: g from credit.h, R, F and D from
// quality_gates.h, ND = R * F * D * g, ND_person = sum of share x ND. (nd_engine_test.cc builds
// the same example from entities and runs it through the whole engine.)
#include <gtest/gtest.h>

#include "goodhart/analytics/nd/actors.h"
#include "goodhart/analytics/nd/credit.h"
#include "goodhart/analytics/nd/quality_gates.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory.h"

namespace goodhart::analytics::nd {
namespace {

constexpr double kEps = 1e-9;
const int64_t kDelivered = CivilToMillis(2026, 1, 6, 10);

struct Row {
  const char* name;
  double s;
  const char* approver;  // "" = self-merged, no review at all
  bool reverted_on_day_3;
  int lines_lost_by_author;  // of 10 fingerprinted lines, before day 90
  // Expected, from the spec's table (g of L4, L5, L5' unrounded).
  double g, r, f, d, nd;
};

const Row kRows[] = {
    {"L1", 60, "carol", false, 1, 0.5, 1, 1, 0.9, 0.45},
    {"L2", 12, "carol", false, 0, 0.04, 1, 1, 1, 0.04},
    {"L3", 400, "carol", false, 0, 1, 1, 1, 1, 1},
    {"L4", 100, "", false, 0, 100.0 / 120, 0, 1, 1, 0},
    {"L5", 80, "carol", true, 0, 80.0 / 120, 1, 0, 0, 0},
    {"L5'", 80, "carol", false, 0, 80.0 / 120, 1, 1, 1, 80.0 / 120},
};

class WorkedExampleGatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = directory::Directory::Parse(goodhart::testing::ReadTestdata("directory.yaml"));
    ASSERT_TRUE(dir.ok());
    directory_ = std::move(dir).value();
  }

  // ND of one row, checking each factor on the way.
  double Nd(const Row& row) {
    SCOPED_TRACE(row.name);
    NdParams params;
    ActorResolver actors(&directory_);
    std::string change = std::string("change-") + row.name;

    Credit credit = ComputeCredit(row.s, 120, params);
    EXPECT_NEAR(credit.g, row.g, kEps);

    ReviewedChange reviewed{.change_id = change, .head_sha = "h1", .merged_unix_ms = kDelivered};
    if (*row.approver != '\0') {
      model::Review review;
      review.ref.raw_id = "review-" + change;
      review.reviewer = row.approver;
      review.state = "APPROVED";
      review.commit_sha = "h1";
      review.submitted_unix_ms = kDelivered - 3'600'000;
      reviewed.reviews.push_back(review);
    }
    ReviewGate r = EvaluateReviewGate({reviewed}, {"alice"}, actors, params);
    EXPECT_EQ(r.value, row.r);

    model::Commit commit;
    commit.sha = "c0ffee" + std::string(34, '0');
    commit.files.push_back({.path = "a.go", .meaningful = row.s});
    for (uint64_t h = 1; h <= 10; ++h)
      commit.files[0].added_line_hashes.push_back(h);
    FailureContext context;
    std::vector<model::Commit> later;
    if (row.reverted_on_day_3) {
      context.reverts.push_back({.sha = "bad" + std::string(37, '0'),
                                 .reverted_sha = commit.sha.substr(0, 8),
                                 .committed_unix_ms = kDelivered + 2 * kMillisPerDay});
      model::Commit revert;
      revert.sha = "bad" + std::string(37, '0');
      revert.committed_unix_ms = kDelivered + 2 * kMillisPerDay;
      revert.reverts_sha = commit.sha;
      revert.files.push_back(
          {.path = "a.go", .removed_line_hashes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}});
      later.push_back(revert);
    }
    if (row.lines_lost_by_author > 0) {
      model::Commit rewrite;
      rewrite.sha = "e" + std::string(39, '0');
      rewrite.committed_unix_ms = kDelivered + 40 * kMillisPerDay;
      rewrite.files.push_back({.path = "a.go"});
      for (int h = 1; h <= row.lines_lost_by_author; ++h)
        rewrite.files[0].removed_line_hashes.push_back(static_cast<uint64_t>(h));
      later.push_back(rewrite);
    }
    FailureGate f = EvaluateFailureGate({{.change_id = change,
                                          .commit_shas = {commit.sha},
                                          .deployment_id = "d",
                                          .delivered_unix_ms = kDelivered}},
                                        context, params);
    EXPECT_EQ(f.value, row.f);

    std::vector<const model::Commit*> later_ptrs;
    for (const auto& c : later)
      later_ptrs.push_back(&c);
    Durability d = EvaluateDurability(
        {&commit}, [](const model::Commit&, const model::FileDiff&) { return true; }, later_ptrs,
        [](const model::Commit& c) -> std::string {
          return c.reverts_sha.empty() ? kLossByAuthor : kLossByRevert;
        },
        kDelivered - 3'600'000, kDelivered, kDelivered + 100 * kMillisPerDay, params);
    EXPECT_NEAR(d.final, row.d, kEps);

    double nd = r.value * f.value * d.final * credit.g;
    EXPECT_NEAR(nd, row.nd, kEps);
    return nd;
  }

  directory::Directory directory_;
};

TEST_F(WorkedExampleGatesTest, EveryRow) {
  for (const Row& row : kRows)
    Nd(row);
}

TEST_F(WorkedExampleGatesTest, PersonAuthoringSeventyPercentOfL1AndAllOfL3AndL5Prime) {
  double nd_person = 0.7 * Nd(kRows[0]) + 1.0 * Nd(kRows[2]) + 1.0 * Nd(kRows[5]);
  EXPECT_NEAR(nd_person, 0.315 + 1.0 + 2.0 / 3, kEps);
  EXPECT_NEAR(nd_person, 1.985, 0.005);  // the spec rounds ND(L5') to 0.67
}

}  // namespace
}  // namespace goodhart::analytics::nd
