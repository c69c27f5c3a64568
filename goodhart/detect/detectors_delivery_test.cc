// Scenarios for the delivery detectors (D6-D12): each fires on a gamer with the expected
// explanation and evidence, and stays quiet for an honest look-alike (a release engineer with many
// deployments, a platform engineer with many small config changes, a planned large feature, a
// two-person team).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "goodhart/detect/detect_all.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/testing_input.h"

namespace goodhart::detect {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // NOLINT(google-build-using-namespace): test builders
using analytics::nd::DeploymentStatus;

class DeliveryDetectorsTest : public ::testing::Test {
 protected:
  DeliveryDetectorsTest()
      : dir_(MustParseDirectory(DirectoryYaml({{"pay", "product", "go-api", "p", 12},
                                               {"plat", "platform engineer", "terraform", "k", 8},
                                               {"rel", "release engineer", "train", "r", 2}}))) {
    in_.period = PeriodAt(0);
    prev_.period = PeriodAt(-1);
  }
  int64_t At(int day, const Period& p) const { return p.from_unix_ms + day * kDay + 12 * kHour; }
  analytics::nd::DeploymentVerdict Deployment(const std::string& id, const std::string& pipeline,
                                              const std::string& service, DeploymentStatus status,
                                              int64_t at) {
    analytics::nd::DeploymentVerdict v;
    v.deployment_id = id;
    v.pipeline = pipeline;
    v.pipeline_id =
        "run-" + id;  // each deployment is a run of its pipeline, as with GitHub Actions
    v.service = service;
    v.environment = "production";
    v.status = status;
    v.finished_unix_ms = at;
    v.artifact_digest = status == DeploymentStatus::kRedeploy ? "sha256:aaa" : "sha256:" + id;
    v.reason = status == DeploymentStatus::kRedeploy ? "the digest was already running" : "";
    return v;
  }
  // `count` changes for `owner` in `service`, `micro` of them with S = 8 (S_ref 100).
  void Changes(analytics::nd::NdResult& nd, const Period& p, const std::string& owner,
               const std::string& service, int count, int micro, double s = 120) {
    for (int i = 0; i < count; ++i) {
      double size = i < micro ? 8 : s;
      nd.changes.push_back(Change(fmt::format("{}-{}-{}", owner, p.from_unix_ms, i), service, owner,
                                  At(i % 27, p), size, 100, std::min(1.0, size / 100)));
    }
  }
  // D10's input for one person: six changes in the previous period of size `s_before` and six in
  // this one of `s_now` (pull requests #900+i and #910+i), one commit each, whose only file is
  // `file(k, s)` (k = 0 previous, 1 current); `ai_now` marks the current commits as Claude's.
  template <typename FileOf>
  void SizedChanges(const std::string& id, double s_before, double s_now, FileOf file,
                    bool ai_now = false) {
    for (int k = 0; k < 2; ++k) {
      auto& nd = k == 0 ? prev_nd_ : nd_;
      auto& in = k == 0 ? prev_ : in_;
      double s = k == 0 ? s_before : s_now;
      for (int i = 0; i < 6; ++i) {
        std::string sha = fmt::format("{}-{}-{}", id, k, i);
        auto l = Change(sha, "pay-api", id, At(i * 3, in.period), s, 100, 1, {sha});
        l.parts[0].number = 900 + i + 10 * k;
        nd.changes.push_back(l);
        model::Commit c{.sha = sha, .author_email = id + "@example.com"};
        c.files.push_back(file(k, s));
        if (k == 1 && ai_now) {
          c.ai_markers.push_back({"claude-code", "", "trailer", "Co-Authored-By: Claude"});
        }
        in.delivery.commits.push_back(c);
      }
    }
  }
  // [0] the current period, [1] and [2] the two before, [3] the twelve weeks before those (a
  // frozen own baseline quarter: 2026-01-12 to 2026-04-05).
  static std::vector<PeriodInput> PeriodsAndQuarterBefore() {
    std::vector<PeriodInput> periods(4);
    for (int k = 0; k < 3; ++k) {
      periods[static_cast<size_t>(k)].period = PeriodAt(-k);
    }
    periods[3].period = {PeriodAt(-5).from_unix_ms, PeriodAt(-2).from_unix_ms};
    return periods;
  }
  void Finish() {
    SumPeople(nd_);
    in_.nd = &nd_;
    prev_.nd = &prev_nd_;
  }

  directory::Directory dir_;
  PeriodInput in_, prev_;
  analytics::nd::NdResult nd_, prev_nd_;
  DetectParams params_;
};

// D6: a pipeline redeploying the running image fires; a release engineer's train with many real
// deployments and a few redeploys does not; a declared config pipeline is exempt.
TEST_F(DeliveryDetectorsTest, D6NoopDeployments) {
  for (int i = 0; i < 40; ++i) {
    nd_.deployments.push_back(
        Deployment(fmt::format("pay-{}", i), "payments-prod", "pay-api",
                   i % 10 < 3 ? DeploymentStatus::kRedeploy : DeploymentStatus::kQpd,
                   At(i % 27, in_.period) + i * 60'000));
  }
  for (int i = 0; i < 65; ++i) {
    nd_.deployments.push_back(
        Deployment(fmt::format("rel-{}", i), "release-train", "rel-api",
                   i < 5 ? DeploymentStatus::kRedeploy : DeploymentStatus::kQpd,
                   At(i % 27, in_.period) + i * 60'000));
  }
  for (int i = 0; i < 20; ++i) {
    nd_.deployments.push_back(Deployment(fmt::format("cfg-{}", i), "plat-config", "plat-api",
                                         i < 15 ? DeploymentStatus::kNoop : DeploymentStatus::kQpd,
                                         At(i % 27, in_.period)));
  }
  params_.d6_config_pipelines = {"plat-config"};
  Finish();
  DetectorRun run = RunDetector(&DetectNoopDeployments, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject, (Subject{SubjectKind::kPipeline, "payments-prod"}));
  EXPECT_EQ(f.team, "pay");
  EXPECT_DOUBLE_EQ(f.score, 12);
  EXPECT_EQ(f.explanation,
            "Pipeline `payments-prod` ran 40 deployments from 2026-06-01 to 2026-06-28; 12 "
            "re-deployed an artifact already running (e.g. sha256:aaa). These are excluded from "
            "qualifying deployments and from deployment frequency, so they change no ND; the "
            "flag is about the trustworthiness of the deployment data.");
  EXPECT_EQ(f.evidence.size(), 5u);
  EXPECT_EQ(f.evidence[0].id, "pay-0");
  EXPECT_EQ(f.materiality.basis, MaterialityBasis::kDataIntegrity);
  // Without the declaration the config pipeline fires too.
  params_.d6_config_pipelines.clear();
  EXPECT_EQ(RunDetector(&DetectNoopDeployments, in_, &dir_, params_).candidates.size(), 2u);
}

// A sender of the generic deployment API that names its config-only pipeline by a stable
// pipeline_id and no definition declared it by that id before D6-2; it stays exempt, though its
// deployments now join their service's group, and the service's other deployments still count.
TEST_F(DeliveryDetectorsTest, D6ExemptsDeploymentsWhosePipelineIdIsDeclared) {
  for (int i = 0; i < 20; ++i) {
    auto v = Deployment(fmt::format("cfg-{}", i), "", "plat-api",
                        i < 15 ? DeploymentStatus::kNoop : DeploymentStatus::kQpd,
                        At(i % 27, in_.period) + i * 60'000);
    v.pipeline_id = "config-sync";
    nd_.deployments.push_back(v);
  }
  for (int i = 0; i < 12; ++i) {  // the same service's own redeploys, from another pipeline
    nd_.deployments.push_back(Deployment(fmt::format("app-{}", i), "", "plat-api",
                                         DeploymentStatus::kRedeploy,
                                         At(i % 27, in_.period) + i * 60'000 + 1));
  }
  Finish();
  params_.d6_config_pipelines = {"config-sync"};
  DetectorRun run = RunDetector(&DetectNoopDeployments, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  EXPECT_EQ(run.candidates[0].flag.subject,
            (Subject{SubjectKind::kPipeline, "plat-api/production"}));
  EXPECT_DOUBLE_EQ(run.candidates[0].flag.score, 12);  // the 15 declared no-ops are left out
  params_.d6_config_pipelines.clear();
  run = RunDetector(&DetectNoopDeployments, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  EXPECT_DOUBLE_EQ(run.candidates[0].flag.score, 27);
}

// D6 judges a pipeline by its definition, never by its runs: GitHub Actions gives every
// deployment its own run (pipeline_id), so keyed by run no pipeline would ever reach 10 no-ops.
// Without a definition, the service and environment stand for the pipeline. A definition that
// deploys several services belongs to the team of the one it deployed most, whatever the order.
TEST_F(DeliveryDetectorsTest, D6GroupsRunsByPipelineElseByServiceAndEnvironment) {
  for (int i = 0; i < 30; ++i) {
    auto v = Deployment(fmt::format("pay-{}", i), "", "pay-api",
                        i % 3 == 0 ? DeploymentStatus::kQpd : DeploymentStatus::kRedeploy,
                        At(i % 27, in_.period) + i * 60'000);
    ASSERT_EQ(v.pipeline_id, fmt::format("run-pay-{}", i));  // one run per deployment
    nd_.deployments.push_back(v);
  }
  for (int i = 0; i < 12; ++i) {  // 8 of plat-api first, then 4 of pay-api
    nd_.deployments.push_back(
        Deployment(fmt::format("mono-{}", i), "mono-deploy", i < 8 ? "plat-api" : "pay-api",
                   DeploymentStatus::kRedeploy, At(i % 27, in_.period) + i * 60'000));
  }
  Finish();
  DetectorRun run = RunDetector(&DetectNoopDeployments, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 2u);
  const Flag* by_service = nullptr;
  const Flag* mono = nullptr;
  for (const auto& c : run.candidates) {
    (c.flag.subject.id == "mono-deploy" ? mono : by_service) = &c.flag;
  }
  ASSERT_NE(by_service, nullptr);
  ASSERT_NE(mono, nullptr);
  EXPECT_EQ(by_service->subject, (Subject{SubjectKind::kPipeline, "pay-api/production"}));
  EXPECT_DOUBLE_EQ(by_service->score, 20);
  EXPECT_EQ(by_service->team, "pay");
  EXPECT_DOUBLE_EQ(mono->score, 12);
  EXPECT_EQ(mono->team, "plat");
}

// D7: a product engineer flooding micro-changes fires; platform engineers whose changes are small
// by nature are compared with each other and do not.
TEST_F(DeliveryDetectorsTest, D7MicroChangesPlatformHasItsOwnPeers) {
  for (int i = 0; i < 11; ++i) {
    Changes(nd_, in_.period, fmt::format("p{:02d}", i), "pay-api", 25, 3 + i % 3);
  }
  Changes(nd_, in_.period, "p11", "pay-api", 40, 26);
  for (int i = 0; i < 8; ++i) {
    Changes(nd_, in_.period, fmt::format("k{:02d}", i), "plat-api", 30, 20 + i % 4);
  }
  Finish();
  DetectorRun run = RunDetector(&DetectMicroChanges, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p11");
  EXPECT_EQ(f.explanation,
            "65% of your 40 merged changes from 2026-06-01 to 2026-06-28 were under 25 meaningful "
            "lines (peer median 16%, 90th percentile 20% in product/go-api (n=12)). They earn "
            "little ND (by design) but inflate pull-request and deployment counts shown "
            "elsewhere.");
  EXPECT_EQ(f.evidence.size(), 5u);
  EXPECT_EQ(f.evidence[0].value, "8 meaningful lines in pay-api");
  EXPECT_EQ(run.p_values.size(), 20u);
}

// D7 role-typical drop: with only three platform engineers their group falls back to org-wide,
// where small changes look extreme, so D7 is dropped for them rather than raised.
TEST_F(DeliveryDetectorsTest, D7RoleTypicalSignalIsDroppedWithoutARolePeerGroup) {
  for (int i = 0; i < 12; ++i) {
    Changes(nd_, in_.period, fmt::format("p{:02d}", i), "pay-api", 25, 3 + i % 3);
  }
  for (int i = 0; i < 3; ++i) {
    Changes(nd_, in_.period, fmt::format("k{:02d}", i), "plat-api", 30, 22);
  }
  Finish();
  DetectorRun run = RunDetector(&DetectMicroChanges, in_, &dir_, params_);
  EXPECT_TRUE(run.candidates.empty());
  ASSERT_EQ(run.dropped.size(), 3u);
  EXPECT_THAT(run.dropped[0].suppressed_reason,
              HasSubstr("role-typical signal without a role peer group: D7 is typical of "
                        "platform work and platform/terraform has fewer than 8 people"));
  EXPECT_EQ(run.dropped[0].peer_group, "");
}

// D8: three changes reverted and reapplied unchanged fire; the same pattern after failing checks
// does not.
TEST_F(DeliveryDetectorsTest, D8RevertAndReapply) {
  auto pattern = [&](const std::string& who, int number, int day, bool failing) {
    std::string sha = fmt::format("{}c{}", who, number), revert = sha + "r", again = sha + "a";
    int64_t t = in_.period.from_unix_ms + day * kDay;
    in_.delivery.commits.push_back({.sha = sha,
                                    .author_email = who + "@example.com",
                                    .authored_unix_ms = t,
                                    .committed_unix_ms = t,
                                    .patch_id = "patch-" + sha});
    in_.delivery.commits.push_back({.sha = revert,
                                    .author_email = who + "@example.com",
                                    .committed_unix_ms = t + kDay,
                                    .reverts_sha = sha});
    in_.delivery.commits.push_back({.sha = again,
                                    .author_email = who + "@example.com",
                                    .committed_unix_ms = t + kDay + (2 + number % 3) * kDay,
                                    .patch_id = "patch-" + sha});
    auto l =
        Change(fmt::format("{}-{}", who, number), "pay-api", who, t + kHour, 100, 100, 1, {sha});
    l.parts[0].number = number;
    nd_.changes.push_back(l);
    if (failing) {
      in_.delivery.pipeline_runs.push_back(
          {.id = "ci-" + sha, .head_sha = sha, .conclusion = "failure"});
    }
  };
  pattern("p03", 812, 1, false);
  pattern("p03", 846, 5, false);
  pattern("p03", 860, 9, false);
  pattern("p04", 900, 1, true);
  pattern("p04", 901, 5, true);
  pattern("p04", 902, 9, true);
  Finish();
  DetectorRun run = RunDetector(&DetectRevertReapply, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p03");
  EXPECT_TRUE(f.direct_evidence);
  EXPECT_EQ(f.explanation,
            "Changes #812, #846 and #860 were each reverted and re-merged unchanged (identical "
            "patch-id) within 2-4 days, with no failing check or incident explaining the revert "
            "(2026-06-01 to 2026-06-28). Reapplied changes are credited once, so this earns no "
            "extra ND, but it inflates pull-request, deployment and churn counts.");
  ASSERT_EQ(f.evidence.size(), 3u);
  EXPECT_EQ(f.evidence[0].id, "#812");
  EXPECT_THAT(f.evidence[0].value, HasSubstr("reverted by p03c812r on 2026-06-03"));
}

// D9a: 3 of 12 changes without eligible approval fire (25% > 10%); 2 of 20 (10%) do not.
TEST_F(DeliveryDetectorsTest, D9aReviewBypass) {
  Changes(nd_, in_.period, "p05", "pay-api", 12, 0);
  Changes(nd_, in_.period, "p06", "pay-api", 20, 0);
  int bypass5 = 0, bypass6 = 0;
  for (auto& l : nd_.changes) {
    if (l.owner == "p05" && bypass5 < 3) {
      l.review = {.value = 0, .reason = "merged by an admin without approval"};
      l.nd = 0;
      l.credit.g = 1;
      l.failure.value = 1;
      ++bypass5;
    } else if (l.owner == "p06" && bypass6 < 2) {
      l.review.value = 0;
      ++bypass6;
    }
  }
  Finish();
  DetectorRun run = RunDetector(&DetectReviewBypass, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p05");
  EXPECT_EQ(f.explanation,
            "3 of your 12 changes delivered from 2026-06-01 to 2026-06-28 merged without an "
            "independent approval after the last push (first reason: merged by an admin without "
            "approval). These earn 0 ND until reviewed post-merge (break-glass window: 2 working "
            "days); together they would have earned 3.00 ND.");
  EXPECT_DOUBLE_EQ(f.materiality.nd_effect, 3);
}

// D9b: a closed review ring fires; the two members of a two-person team do not.
TEST_F(DeliveryDetectorsTest, D9bReviewRingButNotATwoPersonTeam) {
  auto approve = [&](const std::string& author, const std::string& reviewer, int n) {
    for (int i = 0; i < n; ++i) {
      auto l = Change(fmt::format("{}-by-{}-{}", author, reviewer, i), "pay-api", author,
                      At(i, in_.period), 120, 100, 1);
      l.review.approvals.push_back({.change_id = l.parts[0].change_id,
                                    .reviewer = reviewer,
                                    .submitted_unix_ms = At(i, in_.period) - kHour});
      nd_.changes.push_back(l);
    }
  };
  approve("p07", "p08", 12);
  approve("p08", "p07", 12);
  approve("r00", "r01", 12);  // the release team has exactly two people
  approve("r01", "r00", 12);
  for (int i = 0; i < 6; ++i) {
    approve(fmt::format("p{:02d}", i), fmt::format("p{:02d}", (i + 1) % 6), 3);
  }
  Finish();
  DetectorRun run = RunDetector(&DetectRubberStamping, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 2u);
  EXPECT_NE(FindCandidate(run, "p07"), nullptr);
  const Flag& f = FindCandidate(run, "p08")->flag;
  EXPECT_FALSE(FindCandidate(run, "p08")->statistical);
  EXPECT_THAT(f.explanation, HasSubstr("12 of your 12 approvals went to p07, who gave at least 80% "
                                       "of theirs to you (a closed review ring)"));
  EXPECT_EQ(f.evidence[0].id, "p07");
}

// D10: a person whose changes tripled in size, with AI share and raw lines up, fires; a person
// with a planned larger feature (bigger changes only) does not.
TEST_F(DeliveryDetectorsTest, D10DiffPadding) {
  auto person = [&](const std::string& id, double s_before, double s_now, bool ai_now,
                    double raw_ratio) {
    SizedChanges(
        id, s_before, s_now,
        [&](int k, double s) {
          return model::FileDiff{.path = "a.go",
                                 .added = static_cast<int64_t>(s * (k == 1 ? raw_ratio : 1.2))};
        },
        ai_now);
  };
  for (int i = 0; i < 10; ++i) {
    person(fmt::format("p{:02d}", i), 60 + 5 * i, 62 + 5 * i, false, 1.2 + 0.02 * i);
  }
  person("p10", 60, 120, false, 1.2);  // planned larger feature: bigger only
  person("p11", 50, 150, true, 3.0);   // padding
  Finish();
  DetectorRun run = RunDetector(&DetectDiffPadding, in_, &dir_, params_, {&prev_});
  EXPECT_EQ(run.p_values.size(), 12u);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p11");
  EXPECT_GE(*f.z, 5);
  EXPECT_THAT(f.explanation,
              HasSubstr("Your changes from 2026-06-01 to 2026-06-28 average 3.0x the meaningful "
                        "lines of your own previous period (peers in product/go-api (n=12): median "
                        "1.0x), the share of your changes with AI evidence went from 0% to 100%, "
                        "and you added 3.0x as many raw lines as meaningful ones"));
  EXPECT_THAT(f.explanation, HasSubstr("Largest examples: #910 and #911."));
  EXPECT_NEAR(f.materiality.nd_effect, 6 * (1 - 1 / 3.0), 1e-9);
}

// D10's third signal counts duplicated blocks (FileDiff::copied, metrics.md §5.2 (3)): a padder
// whose changes doubled with the padding pasted as copied blocks fires, and the explanation gives
// the duplicated share against the peers'; the same growth and the same raw lines without copies
// (blank lines, say) score lower.
TEST_F(DeliveryDetectorsTest, D10CountsDuplicatedBlocks) {
  auto run_with = [&](double extra_share, bool as_copies) {
    nd_ = {};
    prev_nd_ = {};
    in_.delivery.commits.clear();
    prev_.delivery.commits.clear();
    auto person = [&](const std::string& id, double s_before, double s_now, double extra_of_size,
                      bool copies) {
      SizedChanges(id, s_before, s_now, [&](int k, double s) {
        auto added = static_cast<int64_t>(std::lround(s * 1.2));
        auto extra = k == 1 ? static_cast<int64_t>(std::lround(extra_of_size * s * 1.2)) : 0;
        return model::FileDiff{
            .path = "a.go", .added = added + extra, .copied = copies ? extra : 0};
      });
    };
    for (int i = 0; i < 10; ++i) {
      person(fmt::format("p{:02d}", i), 60 + 5 * i, 60 + 5 * i + i % 3, 0.01 * (i % 3), true);
    }
    person("p11", 60, 120, extra_share, as_copies);
    Finish();
    return RunDetector(&DetectDiffPadding, in_, &dir_, params_, {&prev_});
  };
  EXPECT_EQ(FindCandidate(run_with(0, true), "p11"), nullptr);
  // 20% more raw lines: as blank lines they stay below Tier B's 3.5; as copied blocks they pass
  // it (Z 3.9: a candidate that needs corroboration).
  EXPECT_EQ(FindCandidate(run_with(0.2, false), "p11"), nullptr);
  DetectorRun copied = run_with(0.2, true);
  const Candidate* candidate = FindCandidate(copied, "p11");
  ASSERT_NE(candidate, nullptr);
  EXPECT_LT(*candidate->flag.z, 5);
  DetectorRun pasted = run_with(0.6, true);
  ASSERT_EQ(pasted.candidates.size(), 1u);
  const Flag& f = pasted.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p11");
  EXPECT_GE(*f.z, 5);
  EXPECT_THAT(f.explanation, HasSubstr("37% of them in duplicated blocks (peer median 1.0%)"));
}

// D10 own baseline (§5.2 "own previous quarter"): a padder whose changes have been 5x their
// earlier size for the last three periods. Against the periods before each one (the default
// history) the padding is its own baseline and nothing stands out; against the quarter before it
// (DetectInput::own_baseline, frozen for the quarter) it fires in every period, so it also
// persists. The honest peers grow ~3% a period and stay quiet either way.
TEST_F(DeliveryDetectorsTest, D10OwnBaselineIsThePreviousQuarterNotThePaddedPeriods) {
  analytics::nd::NdResult nd;           // every period's L; each PeriodInput reads its own period
  std::vector<PeriodInput> periods(4);  // [0] current, [1], [2] earlier, [3] the quarter before
  for (int k = 0; k < 4; ++k) {
    periods[static_cast<size_t>(k)].period = PeriodAt(-k);
  }
  auto person = [&](const std::string& id, double s_before, double growth, bool pads) {
    for (int k = 0; k < 4; ++k) {
      PeriodInput& in = periods[static_cast<size_t>(k)];
      const bool padded = pads && k < 3;
      double s = padded ? s_before * 5 : s_before * std::pow(growth, 3 - k);
      for (int i = 0; i < 6; ++i) {
        std::string sha = fmt::format("{}-{}-{}", id, k, i);
        nd.changes.push_back(Change(sha, "pay-api", id, At(i * 3, in.period), s, 100, 1, {sha}));
        model::Commit c{.sha = sha, .author_email = id + "@example.com"};
        c.files.push_back({.path = "a.go", .added = static_cast<int64_t>(s * 1.2)});
        if (pads) {  // an AI user before and after: only the size moves
          c.ai_markers.push_back({"claude-code", "", "trailer", "Co-Authored-By: Claude"});
        }
        in.delivery.commits.push_back(c);
      }
    }
  };
  for (int i = 0; i < 10; ++i) {
    person(fmt::format("p{:02d}", i), 60 + 5 * i, 1.03, false);
  }
  person("p11", 50, 1, true);
  SumPeople(nd);
  for (auto& p : periods) {
    p.nd = &nd;
  }
  auto d10_for_padder = [](const DetectOutput& out) {
    for (const auto& f : out.flags) {
      if (f.detector_id == "D10" && f.subject.id == "p11") {
        return &f;
      }
    }
    return static_cast<const Flag*>(nullptr);
  };
  DetectInput trailing{
      .current = periods[0], .previous = {periods[1], periods[2], periods[3]}, .directory = &dir_};
  auto without = DetectAll(trailing, params_);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(d10_for_padder(*without), nullptr);

  DetectInput quarter = trailing;
  quarter.own_baseline = {periods[3]};
  auto with = DetectAll(quarter, params_);
  ASSERT_TRUE(with.ok());
  const Flag* f = d10_for_padder(*with);
  ASSERT_NE(f, nullptr);
  EXPECT_GE(*f->z, 5);
  EXPECT_EQ(f->persistent_periods, 3);
  EXPECT_THAT(f->explanation, HasSubstr("average 5.0x the meaningful lines of your own previous "
                                        "period"));
  for (const auto& g : with->flags) {
    EXPECT_FALSE(g.detector_id == "D10" && g.subject.id != "p11") << g.subject.id;
  }
}

// D10 with a frozen quarter as own baseline: a padder is compared with the quarter and the
// explanation names it; people with too few changes in the quarter (new to the team, or a store
// younger than a quarter) fall back to the periods before this one: a newcomer who pads is
// found against those, an honest newcomer is not flagged.
TEST_F(DeliveryDetectorsTest, D10FallsBackToThePreviousPeriodsForPeopleNewToTheQuarter) {
  analytics::nd::NdResult nd;
  std::vector<PeriodInput> periods = PeriodsAndQuarterBefore();
  // Sizes in the quarter and in periods [2], [1], [0]; 0: no changes there.
  auto person = [&](const std::string& id, std::array<double, 4> sizes, bool ai) {
    for (size_t k = 0; k < 4; ++k) {
      const double s = sizes[3 - k];
      for (int i = 0; s > 0 && i < 6; ++i) {
        std::string sha = fmt::format("{}-{}-{}", id, k, i);
        nd.changes.push_back(
            Change(sha, "pay-api", id, At(i * 3, periods[k].period), s, 100, 1, {sha}));
        model::Commit c{.sha = sha, .author_email = id + "@example.com"};
        c.files.push_back({.path = "a.go", .added = static_cast<int64_t>(s * 1.2)});
        if (ai) {
          c.ai_markers.push_back({"claude-code", "", "trailer", "Co-Authored-By: Claude"});
        }
        periods[k].delivery.commits.push_back(c);
      }
    }
  };
  for (int i = 0; i < 9; ++i) {
    double s = 60 + 5 * i;
    person(fmt::format("p{:02d}", i), {s, s * 1.03, s * 1.06, s * 1.09}, false);
  }
  person("p09", {0, 60, 62, 64}, false);     // honest newcomer
  person("p10", {0, 60, 60, 300}, true);     // newcomer padding this period
  person("p11", {50, 250, 250, 250}, true);  // padding for three periods
  SumPeople(nd);
  for (auto& p : periods) {
    p.nd = &nd;
  }
  People people(&dir_, {});
  DetectContext ctx(periods[0], {&periods[1], &periods[2]}, people, params_, {&periods[3]});
  DetectorRun run = DetectDiffPadding(ctx);
  EXPECT_EQ(run.p_values.size(), 12u);
  ASSERT_EQ(run.candidates.size(), 2u);
  ASSERT_NE(FindCandidate(run, "p11"), nullptr);
  EXPECT_THAT(FindCandidate(run, "p11")->flag.explanation,
              HasSubstr("average 5.0x the meaningful lines of your own previous quarter "
                        "(2026-01-12 to 2026-04-05)"));
  ASSERT_NE(FindCandidate(run, "p10"), nullptr);
  EXPECT_THAT(FindCandidate(run, "p10")->flag.explanation,
              HasSubstr("average 5.0x the meaningful lines of your own previous 2 periods"));
}

// D11: rollbacks with no incidents fire; a team that files incidents for most rollbacks does not.
TEST_F(DeliveryDetectorsTest, D11FailureSuppression) {
  for (int i = 0; i < 6; ++i) {
    auto pay = Deployment(fmt::format("pay-{}", i), "payments-prod", "pay-api",
                          DeploymentStatus::kFailed, At(i * 2, in_.period));
    pay.rolled_back_by = fmt::format("pay-rb-{}", i);
    pay.rolled_back_unix_ms = pay.finished_unix_ms + kHour;
    nd_.deployments.push_back(pay);
    auto plat = Deployment(fmt::format("plat-{}", i), "plat-prod", "plat-api",
                           DeploymentStatus::kFailed, At(i * 2, in_.period));
    plat.rolled_back_by = fmt::format("plat-rb-{}", i);
    nd_.deployments.push_back(plat);
    if (i < 4) {
      in_.delivery.incidents.push_back({.id = fmt::format("inc-{}", i),
                                        .service = "plat-api",
                                        .severity = "sev2",
                                        .caused_by_deployment = plat.deployment_id,
                                        .started_unix_ms = plat.finished_unix_ms + 600'000});
    }
  }
  for (int i = 0; i < 30; ++i) {
    nd_.deployments.push_back(Deployment(fmt::format("pay-ok-{}", i), "payments-prod", "pay-api",
                                         DeploymentStatus::kQpd, At(i % 27, in_.period)));
  }
  Finish();
  DetectorRun run = RunDetector(&DetectFailureSuppression, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject, (Subject{SubjectKind::kTeam, "pay"}));
  EXPECT_FALSE(run.candidates[0].statistical);
  EXPECT_EQ(f.explanation,
            "From 2026-06-01 to 2026-06-28 the team had 6 shadow failures (6 rollbacks, 0 "
            "reverts, 0 hotfixes) but 0 linked incidents (ratio 0.00, threshold 0.50). Change "
            "failure rate computed from incidents alone would be 0%; goodhart's CFR counts "
            "shadow failures and is 17%. Why it matters: failures that are not recorded as "
            "incidents make CFR look better than it is.");
  EXPECT_EQ(f.evidence[0].id, "pay-0");
}

// D11, second signal: a team that lowers the severity of most of its incidents after opening them
// fires against the other teams; a team with two downgrades (triage corrections) does not.
TEST_F(DeliveryDetectorsTest, D11SeverityDowngrades) {
  auto run_with = [&](int pay_downgrades) {
    PeriodInput in = in_;
    auto incident = [&](const std::string& id, const std::string& service, const std::string& first,
                        const std::string& now, int day) {
      model::Incident i{
          .id = id, .service = service, .severity = now, .started_unix_ms = At(day, in.period)};
      i.initial_severity = first;
      in.delivery.incidents.push_back(i);
    };
    for (int i = 0; i < 5; ++i) {
      incident(fmt::format("pay-inc-{}", i), "pay-api", "SEV1",
               i < pay_downgrades ? "SEV4" : "SEV1", i);
    }
    for (int i = 0; i < 6; ++i)
      incident(fmt::format("plat-inc-{}", i), "plat-api", "sev2", "sev2", i);
    for (int i = 0; i < 4; ++i)
      incident(fmt::format("rel-inc-{}", i), "rel-api", "P2", "P2", i);
    return RunDetector(&DetectFailureSuppression, in, &dir_, params_);
  };
  Finish();
  DetectorRun run = run_with(4);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject, (Subject{SubjectKind::kTeam, "pay"}));
  EXPECT_TRUE(run.candidates[0].statistical);
  EXPECT_EQ(f.explanation,
            "From 2026-06-01 to 2026-06-28 4 of the team's 5 incidents (80%) had their severity "
            "lowered after they were opened; the median team downgraded 0% (robust z 26.98). Why "
            "it matters: an incident relabelled below Sev3 no longer fails the change that "
            "caused it, so ND and the change failure rate look better than they are.");
  ASSERT_EQ(f.evidence.size(), 4u);
  EXPECT_EQ(f.evidence[0].id, "pay-inc-0");
  EXPECT_EQ(f.evidence[0].value, "SEV1 -> SEV4");
  EXPECT_TRUE(run_with(2).candidates.empty());  // below d11_min_downgrades
}

// D12: the micro-change share of a service more than doubles; a service whose changes are small
// by nature, steadily, does not.
TEST_F(DeliveryDetectorsTest, D12BaselineManipulation) {
  Changes(prev_nd_, prev_.period, "p01", "pay-api", 20, 3);
  Changes(nd_, in_.period, "p01", "pay-api", 20, 10);
  Changes(prev_nd_, prev_.period, "k01", "plat-api", 20, 14);
  Changes(nd_, in_.period, "k01", "plat-api", 20, 15);
  Finish();
  DetectorRun run = RunDetector(&DetectBaselineManipulation, in_, &dir_, params_, {&prev_});
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject, (Subject{SubjectKind::kService, "pay-api"}));
  EXPECT_EQ(f.team, "pay");
  EXPECT_THAT(f.explanation,
              HasSubstr("For service pay-api: 50% of the 20 changes delivered to pay-api from "
                        "2026-06-01 to 2026-06-28 were below 25 meaningful lines, against 15% in "
                        "the previous period"));
  EXPECT_EQ(f.recommended_action, "Freeze S_ref for pay-api at 100 lines pending review.");
}

// D12 with a frozen quarter as own baseline compares quarter on quarter: this quarter so far (the
// current period and the earlier ones after the baseline) against the quarter. A service whose
// micro share doubled over the quarter fires; one whose share jumped in one period only (which
// period on period would flag) does not.
TEST_F(DeliveryDetectorsTest, D12ComparesQuarterOnQuarterWithAFrozenBaseline) {
  analytics::nd::NdResult nd;
  std::vector<PeriodInput> periods = PeriodsAndQuarterBefore();
  Changes(nd, periods[3].period, "p01", "pay-api", 60, 9);
  Changes(nd, periods[3].period, "k01", "plat-api", 60, 12);
  for (int k = 0; k < 3; ++k) {
    Changes(nd, periods[static_cast<size_t>(k)].period, "p01", "pay-api", 20, 10);
    Changes(nd, periods[static_cast<size_t>(k)].period, "k01", "plat-api", 20, k == 0 ? 9 : 4);
  }
  SumPeople(nd);
  for (auto& p : periods) {
    p.nd = &nd;
  }
  People people(&dir_, {});
  DetectContext period_on_period(periods[0], {&periods[1], &periods[2]}, people, params_);
  EXPECT_EQ(DetectBaselineManipulation(period_on_period).candidates.size(), 1u);  // plat-api

  DetectContext ctx(periods[0], {&periods[1], &periods[2]}, people, params_, {&periods[3]});
  DetectorRun run = DetectBaselineManipulation(ctx);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject, (Subject{SubjectKind::kService, "pay-api"}));
  EXPECT_EQ(f.peer_group, "own history (previous quarter)");
  EXPECT_THAT(f.explanation,
              HasSubstr("50% of the 60 changes delivered to pay-api from 2026-04-06 to 2026-06-28 "
                        "were below 25 meaningful lines, against 15% in the previous quarter "
                        "(2026-01-12 to 2026-04-05)"));
}

}  // namespace
}  // namespace goodhart::detect
