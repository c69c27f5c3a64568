#include "goodhart/detect/detect_all.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/detect/internal/testing_input.h"

namespace goodhart::detect {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;
using namespace testing;  // NOLINT(google-build-using-namespace): test builders

class DetectAllTest : public ::testing::Test {
 protected:
  DetectAllTest()
      : dir_(MustParseDirectory(DirectoryYaml({{"pay", "product", "go-api", "p", 12}}))) {
    for (int k = 0; k < 3; ++k) {
      periods_[k].period = PeriodAt(-k);
      nds_[k].period_from_unix_ms = periods_[k].period.from_unix_ms;
      nds_[k].period_to_unix_ms = periods_[k].period.to_unix_ms;
      periods_[k].nd = &nds_[k];
    }
  }
  // p03 runs a prompt script on day 2 of period k; $50 of their $100 spend that period.
  void Script(int k) {
    PeriodInput& in = periods_[k];
    int64_t day = DayOfMillis(in.period.from_unix_ms) + 2;
    store::PromptCadenceRow row{.actor = "p03@example.com", .day = day};
    for (int i = 0; i < 100; ++i) {
      row.prompt_times_unix_ms.push_back(day * kDay + 2 * kHour + i * 60'000);
    }
    in.prompt_cadence.push_back(row);
    in.rollups.push_back(Rollup("p03@example.com", day, 1'000'000, 50'000'000));
    in.rollups.push_back(Rollup("p03@example.com", day + 1, 1'000'000, 50'000'000));
  }
  // p05 merges six pull requests with AI trailers in period k and uses no AI: D13.
  void AiTrailersWithoutUsage(int k) {
    PeriodInput& in = periods_[k];
    for (int c = 0; c < 6; ++c) {
      model::Commit commit{.sha = fmt::format("p05-{}-c{}", k, c),
                           .author_email = "p05@example.com",
                           .authored_unix_ms = in.period.from_unix_ms + c * kDay + 10 * kHour};
      commit.ai_markers.push_back({"claude-code", "", "trailer", "Co-Authored-By: Claude"});
      in.delivery.commits.push_back(commit);
      in.delivery.changes.push_back({.id = fmt::format("p05-{}-pr{}", k, c),
                                     .author = "p05@example.com",
                                     .state = "merged",
                                     .head_sha = commit.sha,
                                     .merged_unix_ms = commit.authored_unix_ms + kHour,
                                     .merged = true});
    }
  }
  DetectInput Input(int previous) {
    DetectInput input{.current = periods_[0], .directory = &dir_};
    for (int k = 1; k <= previous; ++k) {
      input.previous.push_back(periods_[k]);
    }
    return input;
  }
  static const Flag* Find(const std::vector<Flag>& flags, const std::string& detector) {
    for (const auto& f : flags) {
      if (f.detector_id == detector) {
        return &f;
      }
    }
    return nullptr;
  }

  directory::Directory dir_;
  PeriodInput periods_[3];
  analytics::nd::NdResult nds_[3];
  DetectParams params_;
};

TEST_F(DetectAllTest, TierAWithoutDirectEvidenceNeedsTwoOfThreePeriods) {
  Script(0);
  auto out = DetectAll(Input(2), params_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Find(out->flags, "D4"), nullptr);
  const Flag* held = Find(out->suppressed, "D4");
  ASSERT_NE(held, nullptr);
  EXPECT_TRUE(held->tier_passed);
  EXPECT_EQ(held->suppressed_reason,
            "not persistent: met its tier rule in 1 of the last 3 periods (needs 2)");

  Script(2);  // two periods back: 2 of 3
  out = DetectAll(Input(2), params_);
  ASSERT_TRUE(out.ok());
  const Flag* f = Find(out->flags, "D4");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->persistent_periods, 2);
  EXPECT_EQ(f->gate, "tier A");
  EXPECT_TRUE(f->shown);  // $50 of $100: 50% >= 20%
  EXPECT_EQ(f->materiality.reason, "costs $50.00 of $100 AI spend (50%; shown from 20% or $200)");
  EXPECT_EQ(f->params_version, "detect-1.0");
  EXPECT_EQ(f->id, FlagId("D4", {SubjectKind::kPerson, "p03"}, PeriodAt(0)));
  EXPECT_EQ(f->team, "pay");
}

// Without the informational detectors, D13's flag is gone and every other flag is as it was.
TEST_F(DetectAllTest, SkippingInformationalDetectorsChangesNoOtherFlag) {
  for (int k : {0, 1}) {
    Script(k);
    AiTrailersWithoutUsage(k);
  }
  auto all = DetectAll(Input(2), params_);
  params_.run_informational = false;
  auto reviewed = DetectAll(Input(2), params_);
  ASSERT_TRUE(all.ok() && reviewed.ok());
  ASSERT_NE(Find(all->flags, "D13"), nullptr);
  ASSERT_NE(Find(all->flags, "D4"), nullptr);
  auto without_d13 = [](std::vector<Flag> flags) {
    std::erase_if(flags, [](const Flag& f) { return f.detector_id == "D13"; });
    return flags;
  };
  EXPECT_EQ(reviewed->flags, without_d13(all->flags));
  EXPECT_EQ(reviewed->suppressed, without_d13(all->suppressed));
  EXPECT_EQ(reviewed->tier_b_tests, all->tier_b_tests);
}

// A detection run's periods share one history (PeriodInput::shared_delivery, shared_nd) instead of
// each holding a copy of it: the detectors must find the same, whichever way they read it.
TEST_F(DetectAllTest, ASharedHistoryGivesWhatACopyPerPeriodGives) {
  auto history = std::make_shared<store::DeliveryRecords>();
  auto credited = std::make_shared<analytics::nd::NdResult>();
  for (int k : {0, 1, 2}) {
    Script(k);
    AiTrailersWithoutUsage(k);
    const PeriodInput& in = periods_[k];
    for (int c = 0; c < 6; ++c) {  // p05's changes, delivered
      credited->changes.push_back(Change(fmt::format("p05-{}-pr{}", k, c), "pay-api", "p05",
                                         in.delivery.changes[c].merged_unix_ms + kHour, 40, 60, 0.6,
                                         {in.delivery.commits[c].sha}));
    }
    for (int i = 0; i < 10; ++i) {  // a pipeline of redeploys: D6
      analytics::nd::DeploymentVerdict v;
      v.deployment_id = fmt::format("d{}-{}", k, i);
      v.pipeline = "payments-prod";
      v.service = "pay-api";
      v.status = analytics::nd::DeploymentStatus::kRedeploy;
      v.finished_unix_ms = in.period.from_unix_ms + i * kDay + 12 * kHour;
      credited->deployments.push_back(v);
    }
    history->commits.insert(history->commits.end(), in.delivery.commits.begin(),
                            in.delivery.commits.end());
    history->changes.insert(history->changes.end(), in.delivery.changes.begin(),
                            in.delivery.changes.end());
  }
  analytics::nd::NdResult copies[3], sums[3];
  DetectInput owned = Input(2), shared = Input(2);
  PeriodInput* owned_periods[] = {&owned.current, &owned.previous[0], &owned.previous[1]};
  PeriodInput* shared_periods[] = {&shared.current, &shared.previous[0], &shared.previous[1]};
  for (int k : {0, 1, 2}) {
    sums[k] = nds_[k];
    sums[k].changes.clear();
    for (const auto& l : credited->changes) {  // the period's sums (people), from its changes
      if (l.delivered_unix_ms >= periods_[k].period.from_unix_ms &&
          l.delivered_unix_ms < periods_[k].period.to_unix_ms)
        sums[k].changes.push_back(l);
    }
    SumPeople(sums[k]);
    sums[k].changes.clear();
    copies[k] = sums[k];
    copies[k].changes = credited->changes;
    copies[k].deployments = credited->deployments;
    owned_periods[k]->delivery = *history;
    owned_periods[k]->nd = &copies[k];
    shared_periods[k]->delivery = {};
    shared_periods[k]->shared_delivery = history;
    shared_periods[k]->shared_nd = credited;
    shared_periods[k]->nd = &sums[k];
  }
  auto a = DetectAll(owned, params_), b = DetectAll(shared, params_);
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* detector : {"D4", "D6", "D13"})
    ASSERT_NE(Find(a->flags, detector), nullptr) << detector;  // not vacuous
  EXPECT_EQ(b->flags, a->flags);
  EXPECT_EQ(b->suppressed, a->suppressed);
  EXPECT_EQ(b->tier_b_tests, a->tier_b_tests);
}

TEST_F(DetectAllTest, PriorFlagsCountTowardsPersistence) {
  Script(0);
  Flag prior;
  prior.detector_id = "D4";
  prior.subject = {SubjectKind::kPerson, "p03"};
  prior.period = PeriodAt(-1);
  prior.tier_passed = true;
  DetectInput input = Input(0);
  input.prior_flags.push_back(prior);
  auto out = DetectAll(input, params_);
  ASSERT_TRUE(out.ok());
  ASSERT_NE(Find(out->flags, "D4"), nullptr);
  EXPECT_EQ(Find(out->flags, "D4")->persistent_periods, 2);
  // A prior flag for another period or one that did not pass its tier does not count.
  input.prior_flags[0].tier_passed = false;
  out = DetectAll(input, params_);
  EXPECT_EQ(Find(out->flags, "D4"), nullptr);
}

TEST_F(DetectAllTest, DirectEvidenceIsExemptFromPersistence) {
  for (int i = 0; i < 20; ++i) {
    analytics::nd::DeploymentVerdict v;
    v.deployment_id = fmt::format("d{}", i);
    v.pipeline = "payments-prod";
    v.service = "pay-api";
    v.status =
        i < 10 ? analytics::nd::DeploymentStatus::kRedeploy : analytics::nd::DeploymentStatus::kQpd;
    v.finished_unix_ms = periods_[0].period.from_unix_ms + i * kHour;
    nds_[0].deployments.push_back(v);
  }
  auto out = DetectAll(Input(2), params_);
  ASSERT_TRUE(out.ok());
  const Flag* f = Find(out->flags, "D6");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->persistent_periods, 1);
  EXPECT_TRUE(f->direct_evidence);
  EXPECT_TRUE(f->shown);
}

TEST_F(DetectAllTest, SharedSlashCommandTemplateRaisesNothing) {
  // The whole org uses one slash-command 60 times in the week, in sessions that never ship.
  int64_t t = periods_[0].period.from_unix_ms + 9 * kHour;
  for (int i = 0; i < 12; ++i) {
    for (int k = 0; k < 60; ++k) {
      periods_[0].prompt_sketches.push_back(PromptRow(
          fmt::format("p{:02d}@example.com", i), t + k * 300'000, fmt::format("p{}-{}", i, k / 10),
          Sketch(31337, 2, static_cast<uint64_t>(k + 1))));
    }
  }
  auto out = DetectAll(Input(2), params_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Find(out->flags, "D3"), nullptr);
  EXPECT_EQ(Find(out->suppressed, "D3"), nullptr);
}

TEST_F(DetectAllTest, ErrorsAndWarnings) {
  DetectInput bad = Input(0);
  bad.current.period = {10, 5};
  EXPECT_THAT(DetectAll(bad, params_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("detect: input: current.period: empty or reversed")));
  DetectParams wrong;
  wrong.bh_q = 2;
  EXPECT_THAT(DetectAll(Input(0), wrong).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("detect: params: bh_q")));
  auto out = DetectAll(Input(0), params_);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->warnings, ::testing::Contains(HasSubstr("no per-session usage")));
  EXPECT_THAT(out->warnings, ::testing::Contains(HasSubstr("only 0 of the 2 earlier periods")));
  EXPECT_EQ(out->params_version, "detect-1.0");
}

}  // namespace
}  // namespace goodhart::detect
