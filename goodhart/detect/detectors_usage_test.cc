// Scenarios for the usage detectors (D1-D5, D13): each fires on a gamer with the expected
// explanation and evidence, and stays quiet (or is held back by the framework) for an honest
// look-alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goodhart/detect/detect_all.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/gating.h"
#include "goodhart/detect/internal/testing_input.h"

namespace goodhart::detect {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // NOLINT(google-build-using-namespace): test builders

std::string Email(const std::string& id) { return id + "@example.com"; }

// Twelve product engineers p00..p11 (team pay, family go-api).
class UsageDetectorsTest : public ::testing::Test {
 protected:
  UsageDetectorsTest()
      : dir_(MustParseDirectory(DirectoryYaml({{"pay", "product", "go-api", "p", 12}}))) {
    in_.period = PeriodAt(0);
    nd_.period_from_unix_ms = in_.period.from_unix_ms;
    nd_.period_to_unix_ms = in_.period.to_unix_ms;
  }
  int64_t Day(int d) const { return DayOfMillis(in_.period.from_unix_ms) + d; }
  // 25 days of usage at `tokens_per_day` ($3 per million tokens), one session a day.
  void Usage(const std::string& id, int64_t tokens_per_day) {
    for (int d = 0; d < 25; ++d) {
      in_.rollups.push_back(Rollup(Email(id), Day(d), tokens_per_day, tokens_per_day * 3));
    }
  }
  // A commit by `id` every day (their sessions are linked).
  void DailyCommits(const std::string& id) {
    for (int d = 0; d < 28; ++d) {
      model::Commit c{.sha = fmt::format("{}-{}", id, d),
                      .author_email = Email(id),
                      .authored_unix_ms = in_.period.from_unix_ms + d * kDay + 15 * kHour};
      in_.delivery.commits.push_back(c);
    }
  }
  // `count` logical changes of ND 1 each for `id`.
  void Delivered(const std::string& id, int count, double nd_each = 1) {
    for (int i = 0; i < count; ++i) {
      nd_.changes.push_back(Change(fmt::format("{}-L{}", id, i), "pay-api", id,
                                   in_.period.from_unix_ms + (i + 1) * kDay, 100, 100, nd_each));
    }
  }
  void Finish() {
    SumPeople(nd_);
    in_.nd = &nd_;
  }

  directory::Directory dir_;
  PeriodInput in_;
  analytics::nd::NdResult nd_;
  DetectParams params_;
};

// D1: a tokenmaxxer with 500M tokens and almost no ND fires on z >= 5 alone; an explorer with
// heavy, legitimate usage who commits every day crosses z 3.5 but is held back (no corroboration).
TEST_F(UsageDetectorsTest, D1TokenmaxxerFiresExplorerIsHeldBack) {
  for (int i = 0; i < 10; ++i) {
    std::string id = fmt::format("p{:02d}", i);
    Usage(id, 400'000 + 40'000 * i);
    DailyCommits(id);
    Delivered(id, 3);
  }
  Usage("p10", 2'000'000);  // explorer: 5x the median person
  DailyCommits("p10");
  Delivered("p10", 3);
  Usage("p11", 20'000'000);  // maxxer
  Delivered("p11", 1, 0.2);
  Finish();
  DetectorRun run = RunDetector(&DetectCostToOutput, in_, &dir_, params_);
  EXPECT_EQ(run.p_values.size(), 12u);
  const Candidate* maxxer = FindCandidate(run, "p11");
  ASSERT_NE(maxxer, nullptr);
  const Flag& f = maxxer->flag;
  EXPECT_EQ(f.detector_id, "D1");
  EXPECT_EQ(f.tier, Tier::kB);
  EXPECT_GE(*f.z, 5);
  EXPECT_EQ(f.peer_group, "product/go-api (n=12)");
  EXPECT_THAT(f.explanation,
              HasSubstr("Your AI usage from 2026-06-01 to 2026-06-28 cost $1,500 (500M tokens "
                        "over 25 sessions) while your changes delivered 0.2 ND"));
  EXPECT_THAT(f.explanation, HasSubstr("For peers in product/go-api (n=12), the median cost per "
                                       "ND is $"));
  EXPECT_THAT(f.explanation, HasSubstr("100% of your tokens came from sessions with no accepted "
                                       "edit or commit linked within 7 days"));
  ASSERT_EQ(f.evidence.size(), 5u);
  EXPECT_EQ(f.evidence[0].id, "2026-06-01");
  EXPECT_EQ(f.evidence[0].value, "$60.00 (20.0M tokens)");
  EXPECT_EQ(f.materiality.basis, MaterialityBasis::kCost);
  EXPECT_GT(f.materiality.cost_micros, 1'000'000'000);  // most of the $1,500

  const Candidate* explorer = FindCandidate(run, "p10");
  ASSERT_NE(explorer, nullptr);
  EXPECT_GE(*explorer->flag.z, 3.5);
  EXPECT_LT(*explorer->flag.z, 5);
  // D2 does not corroborate the explorer: their days are all followed by commits.
  DetectorRun d2 = RunDetector(&DetectOrphanTokens, in_, &dir_, params_);
  EXPECT_EQ(FindCandidate(d2, "p10"), nullptr);
  TierResult tiers = ApplyTierRules({run, d2}, {}, params_);
  bool explorer_passed = false, maxxer_passed = false;
  for (const auto& p : tiers.passed) {
    explorer_passed |= p.subject.id == "p10";
    maxxer_passed |= p.subject.id == "p11" && p.detector_id == "D1";
  }
  EXPECT_FALSE(explorer_passed);
  EXPECT_TRUE(maxxer_passed);
}

// D1 role-typical drop (§5.1 peer groups): three platform engineers with ordinary usage whose
// many small changes earn little ND by design (§6.2, §3.7) have no platform peer group of 8, so
// they are compared org-wide, where their cost per ND looks extreme. D1 is role-typical for
// platform work there and is dropped, not raised; with a platform group of 8 they are compared
// with each other and nothing crosses.
TEST(UsageDetectorsRoleTest, D1IsRoleTypicalForPlatformWithoutAPlatformPeerGroup) {
  for (int platform : {3, 8}) {
    SCOPED_TRACE(platform);
    directory::Directory dir = MustParseDirectory(DirectoryYaml(
        {{"pay", "product", "go-api", "p", 12}, {"plat", "platform", "go-api", "k", platform}}));
    PeriodInput in;
    in.period = PeriodAt(0);
    analytics::nd::NdResult nd;
    nd.period_from_unix_ms = in.period.from_unix_ms;
    nd.period_to_unix_ms = in.period.to_unix_ms;
    auto person = [&](const std::string& id, int64_t tokens_per_day, int changes, double nd_each) {
      for (int d = 0; d < 25; ++d) {
        in.rollups.push_back(Rollup(Email(id), DayOfMillis(in.period.from_unix_ms) + d,
                                    tokens_per_day, tokens_per_day * 3));
      }
      for (int i = 0; i < changes; ++i) {
        nd.changes.push_back(Change(fmt::format("{}-L{}", id, i), "pay-api", id,
                                    in.period.from_unix_ms + (i % 27 + 1) * kDay, 12, 100,
                                    nd_each));
      }
    };
    for (int i = 0; i < 12; ++i) {
      person(fmt::format("p{:02d}", i), 400'000 + 20'000 * i, 3, 1);
    }
    for (int i = 0; i < platform; ++i) {
      person(fmt::format("k{:02d}", i), 400'000 + 20'000 * i, 24, 0.01);
    }
    SumPeople(nd);
    in.nd = &nd;
    DetectParams params;
    DetectorRun run = RunDetector(&DetectCostToOutput, in, &dir, params);
    for (int i = 0; i < platform; ++i) {
      EXPECT_EQ(FindCandidate(run, fmt::format("k{:02d}", i)), nullptr);
    }
    if (platform == 3) {
      ASSERT_EQ(run.dropped.size(), 3u);
      EXPECT_THAT(run.dropped[0].suppressed_reason,
                  HasSubstr("role-typical signal without a role peer group: D1 is typical of "
                            "platform work and platform/go-api has fewer than 8 people"));
      // The old default (D7 only) raised them: the drop is what keeps them out.
      params.role_typical_platform = {"D7"};
      DetectorRun old = RunDetector(&DetectCostToOutput, in, &dir, params);
      EXPECT_NE(FindCandidate(old, "k00"), nullptr);
    } else {
      EXPECT_TRUE(run.dropped.empty());
    }
  }
}

// D2: a person whose usage is never followed by a commit or PR; look-alike: the same volume with
// commits.
TEST_F(UsageDetectorsTest, D2OrphanTokensPerDay) {
  for (int i = 0; i < 11; ++i) {
    std::string id = fmt::format("p{:02d}", i);
    Usage(id, i == 10 ? 3'000'000 : 400'000 + 20'000 * i);  // p10: heavy, but commits
    DailyCommits(id);
  }
  Usage("p11", 3'000'000);
  Finish();
  DetectorRun run = RunDetector(&DetectOrphanTokens, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p11");
  EXPECT_THAT(f.explanation,
              HasSubstr("On 25 of your 25 active days from 2026-06-01 to 2026-06-28 (100% of your "
                        "75.0M tokens) your AI usage was not followed by any commit or PR within "
                        "7 days; the peer median in product/go-api (n=12) is 0%"));
  EXPECT_THAT(f.explanation, HasSubstr("Largest examples: 2026-06-01, 2026-06-02 and 2026-06-03"));
  EXPECT_EQ(f.evidence.size(), 5u);
  EXPECT_EQ(f.evidence[0].value, "3.0M tokens");
}

// D2 with per-session usage and AI links: exact sessions.
TEST_F(UsageDetectorsTest, D2OrphanSessionsExact) {
  for (int i = 0; i < 12; ++i) {
    std::string id = fmt::format("p{:02d}", i);
    Usage(id, 1'000'000);
    for (int s = 0; s < 10; ++s) {
      std::string sid = fmt::format("{}-s{}", id, s);
      int64_t start = in_.period.from_unix_ms + s * 2 * kDay + 9 * kHour;
      analytics::companion::SessionUsage su{.session_id = sid,
                                            .actor = Email(id),
                                            .start_unix_ms = start,
                                            .end_unix_ms = start + kHour};
      su.tokens.input_uncached = i == 11 ? 5'000'000 : 1'000'000;
      in_.sessions.push_back(su);
      bool linked = i == 11 ? s == 0 : s != 9;
      if (linked) {
        in_.ai_links.push_back({sid, "c-" + sid, "E2", "session_overlap"});
      }
    }
  }
  Finish();
  DetectorRun run = RunDetector(&DetectOrphanTokens, in_, &dir_, params_);
  const Candidate* c = FindCandidate(run, "p11");
  ASSERT_NE(c, nullptr);
  EXPECT_THAT(c->flag.explanation,
              HasSubstr("9 of your 10 agent sessions from 2026-06-01 to 2026-06-28 (90% of your "
                        "50.0M tokens) produced no accepted edits, commits or PRs linked within 7 "
                        "days; the peer median in product/go-api (n=12) is 10%"));
  EXPECT_EQ(c->flag.evidence[0].id, "p11-s1");
  EXPECT_EQ(run.candidates.size(), 1u);
}

// D3: a looping person fires; the org-wide slash-command template does not; a repeated workflow
// whose sessions ship does not.
TEST_F(UsageDetectorsTest, D3PromptLoopFiresTemplatesAndShippingWorkflowsDoNot) {
  int64_t t = in_.period.from_unix_ms + 9 * kHour;  // week 0
  for (int i = 0; i < 12; ++i) {
    std::string id = fmt::format("p{:02d}", i);
    // Everyone: 50 uses of the org's /review template and 10 unique prompts.
    for (int k = 0; k < 50; ++k) {
      in_.prompt_sketches.push_back(
          PromptRow(Email(id), t + k * 60'000, fmt::format("{}-t{}", id, k % 5),
                    Sketch(4242, 3, static_cast<uint64_t>(i * 100 + k + 1))));
    }
    for (int k = 0; k < 10; ++k) {
      in_.prompt_sketches.push_back(PromptRow(Email(id), t + kHour + k * 60'000,
                                              fmt::format("{}-u", id),
                                              Sketch(10'000 + i * 100 + k)));
    }
  }
  // p05 loops: 60 near-identical prompts over 6 sessions that never ship.
  for (int k = 0; k < 60; ++k) {
    in_.prompt_sketches.push_back(PromptRow(Email("p05"), t + 2 * kDay + k * 120'000,
                                            fmt::format("loop-{}", k / 10),
                                            Sketch(555, 5, static_cast<uint64_t>(k + 1))));
  }
  // p06: the same shape, but every session is followed by a commit.
  for (int k = 0; k < 60; ++k) {
    in_.prompt_sketches.push_back(PromptRow(Email("p06"), t + 2 * kDay + k * 120'000,
                                            fmt::format("work-{}", k / 10),
                                            Sketch(666, 5, static_cast<uint64_t>(k + 1))));
  }
  DailyCommits("p06");
  Finish();
  DetectorRun run = RunDetector(&DetectPromptLoops, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p05");
  EXPECT_EQ(f.tier, Tier::kA);
  EXPECT_DOUBLE_EQ(f.score, 60);
  EXPECT_THAT(f.explanation, HasSubstr("60 prompts between 2026-06-03 and 2026-06-03 were "
                                       "near-identical (estimated similarity 0."));
  EXPECT_THAT(f.explanation, HasSubstr("and 6 of the 6 sessions they started produced no edits or "
                                       "commits"));
  EXPECT_THAT(f.explanation, HasSubstr("Shared templates and slash-commands used by 5 or more "
                                       "people, and prompts under 30 tokens, are not counted"));
  ASSERT_EQ(f.evidence.size(), 5u);
  EXPECT_EQ(f.evidence[0].id, "loop-0");
  EXPECT_EQ(f.evidence[0].value, "10 near-identical prompts");
}

// D4: 184 prompts at 59.8-60.1 s intervals fire; a heavy but bursty human does not.
TEST_F(UsageDetectorsTest, D4ScriptedCadence) {
  int64_t day = Day(2);
  store::PromptCadenceRow script{.actor = Email("p03"), .day = day};
  for (int k = 0; k < 184; ++k) {
    script.prompt_times_unix_ms.push_back(day * kDay + 2 * kHour + k * 60'000 + (k % 3) * 100);
  }
  in_.prompt_cadence.push_back(script);
  uint64_t st = 7;
  for (int i = 0; i < 12; ++i) {
    if (i == 3) {
      continue;
    }
    store::PromptCadenceRow human{.actor = Email(fmt::format("p{:02d}", i)), .day = day};
    int64_t t = day * kDay + 8 * kHour;
    for (int k = 0; k < (i == 4 ? 150 : 60); ++k) {
      // Bursty: mostly 10-60 s apart, sometimes a 5-30 min pause.
      uint64_t r = SplitMix(st);
      t += (r % 10 == 0) ? 300'000 + static_cast<int64_t>(r % 1'500'000)
                         : 10'000 + static_cast<int64_t>(r % 50'000);
      human.prompt_times_unix_ms.push_back(t);
    }
    in_.prompt_cadence.push_back(human);
  }
  Finish();
  DetectorRun run = RunDetector(&DetectScriptedCadence, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p03");
  EXPECT_THAT(f.explanation,
              HasSubstr("On 2026-06-03, 02:00-05:03 UTC, 184 prompts were sent from your "
                        "credentials at 59.8-60.1 s intervals (CV 0.002; 100% of the gaps within "
                        "5% of"));
  EXPECT_THAT(f.explanation, HasSubstr("This looks like a scheduled script. Please move automation "
                                       "to a service account."));
  EXPECT_EQ(f.evidence[0].id, "2026-06-03");
}

// D5: three runaway sessions (3 h, nothing shipped) fire; long sessions that ship, or only two
// runaways, do not.
TEST_F(UsageDetectorsTest, D5RunawaySessionsNeedRecurrence) {
  auto session = [&](const std::string& id, int n, int64_t hours, bool linked) {
    std::string sid = fmt::format("{}-s{}", id, n);
    int64_t start = in_.period.from_unix_ms + (n + 1) * kDay + 10 * kHour;
    analytics::companion::SessionUsage su{.session_id = sid,
                                          .actor = Email(id),
                                          .start_unix_ms = start,
                                          .end_unix_ms = start + hours * kHour + 10 * 60'000};
    su.tokens.input_uncached = 8'000'000;
    in_.sessions.push_back(su);
    if (linked) {
      in_.ai_links.push_back({sid, "c-" + sid, "E2", "git_commit_id"});
    }
  };
  for (int n = 0; n < 3; ++n) {
    session("p02", n, 3, false);
    session("p04", n, 3, true);
  }
  session("p06", 0, 3, false);
  session("p06", 1, 3, false);
  for (int i = 7; i < 12; ++i) {
    session(fmt::format("p{:02d}", i), 0, 1, true);
  }
  for (const char* id : {"p02", "p04", "p06"}) {
    Usage(id, 1'000'000);
  }
  Finish();
  DetectorRun run = RunDetector(&DetectRunawaySessions, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p02");
  EXPECT_TRUE(f.direct_evidence);
  EXPECT_THAT(f.explanation,
              HasSubstr("3 of your agent sessions from 2026-06-01 to 2026-06-28 looped on a "
                        "tool, or produced no accepted edit or commit and ran long or expensive. "
                        "The largest, session p02-s0, ran 3 h 10 min with no accepted edit or "
                        "commit between 2026-06-02 10:00 and 13:10 UTC (8.0M tokens, ~$24.00)"));
  ASSERT_EQ(f.evidence.size(), 3u);
  EXPECT_EQ(f.evidence[0].id, "p02-s0");
  EXPECT_EQ(f.materiality.cost_micros, 72'000'000);  // 3 x 8M tokens x $3/M
}

// D5's loop signal: three sessions that each repeat the same tool step (same arguments, same
// result) fire even though the person ships every day; the cost is estimated from the sessions'
// share of their person-days. An A-B cycle of only three rounds, varied steps, or loops in just
// two sessions do not fire.
TEST_F(UsageDetectorsTest, D5ToolLoopsNeedRecurrence) {
  // `steps` fingerprints, one a minute from 09:00 on day n+1, in session "<id>-s<n>".
  auto session = [&](const std::string& id, int n, const std::vector<uint64_t>& steps) {
    std::string sid = fmt::format("{}-s{}", id, n);
    int64_t start = in_.period.from_unix_ms + (n + 1) * kDay + 9 * kHour;
    in_.prompt_sketches.push_back(
        PromptRow(Email(id), start, sid, Sketch(static_cast<uint64_t>(n) + 1, 0)));
    for (size_t i = 0; i < steps.size(); ++i) {
      in_.tool_steps.push_back({.actor = Email(id),
                                .session_id = sid,
                                .time_unix_ms = start + static_cast<int64_t>(i + 1) * 60'000,
                                .tool_name = steps[i] == 7 ? "Edit" : "Bash",
                                .fingerprint = steps[i]});
    }
  };
  for (int n = 0; n < 3; ++n) {
    session("p03", n, {1, 2, 9, 9, 9, 9, 9, 9, 3});  // the same failing Bash step six times
    session("p05", n, {7, 9, 7, 9, 7, 9, 4, 5, 6});  // Edit -> Bash three rounds: below 4
  }
  session("p08", 0, {7, 9, 7, 9, 7, 9, 7, 9, 7, 9});  // five rounds, but in two sessions only
  session("p08", 1, {9, 9, 9, 9});
  for (const char* id : {"p03", "p05", "p08"}) {
    Usage(id, 1'000'000);
    DailyCommits(id);
  }
  std::sort(in_.tool_steps.begin(), in_.tool_steps.end(), [](const auto& a, const auto& b) {
    return std::tie(a.session_id, a.time_unix_ms) < std::tie(b.session_id, b.time_unix_ms);
  });
  Finish();
  DetectorRun run = RunDetector(&DetectRunawaySessions, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  const Flag& f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p03");
  EXPECT_EQ(f.detector_version, "D5-2");
  EXPECT_THAT(f.explanation,
              HasSubstr("The largest, session p03-s0, repeated the same Bash step (same "
                        "arguments, same result) 6 times in a row over 5 min between 2026-06-02 "
                        "09:00 and 09:09 UTC (an estimated 1.0M tokens, ~$3.00)"));
  ASSERT_EQ(f.evidence.size(), 3u);
  EXPECT_THAT(f.evidence[0].value, HasSubstr("9 tool steps"));
  // Each session is the person's only activity on its day: all of that day's tokens.
  EXPECT_EQ(f.materiality.cost_micros, 9'000'000);
}

// D13: AI trailers with no AI usage at all (informational); the same trailers with usage do not.
TEST_F(UsageDetectorsTest, D13DeclaredAiWithoutEvidenceIsInformational) {
  for (const char* id : {"p07", "p08"}) {
    for (int c = 0; c < 6; ++c) {
      model::Commit commit{.sha = fmt::format("{}-c{}", id, c),
                           .author_email = Email(id),
                           .authored_unix_ms = in_.period.from_unix_ms + c * kDay + 10 * kHour};
      commit.ai_markers.push_back({"claude-code", "", "trailer", "Co-Authored-By: Claude"});
      in_.delivery.commits.push_back(commit);
      in_.delivery.changes.push_back({.id = fmt::format("{}-pr{}", id, c),
                                      .author = Email(id),
                                      .state = "merged",
                                      .head_sha = commit.sha,
                                      .merged_unix_ms = commit.authored_unix_ms + kHour,
                                      .merged = true});
    }
  }
  Usage("p08", 500'000);
  Finish();
  DetectorRun run = RunDetector(&DetectAiCreditInflation, in_, &dir_, params_);
  ASSERT_EQ(run.candidates.size(), 1u);
  Flag f = run.candidates[0].flag;
  EXPECT_EQ(f.subject.id, "p07");
  EXPECT_EQ(f.tier, Tier::kInfo);
  EXPECT_THAT(f.explanation, HasSubstr("6 of your 6 changes merged from 2026-06-01 to 2026-06-28 "
                                       "declare AI help"));
  ApplyMateriality(f, params_);
  EXPECT_FALSE(f.shown);
}

}  // namespace
}  // namespace goodhart::detect
