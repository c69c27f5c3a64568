#include "goodhart/detect/prompt_clusters.h"

#include <gtest/gtest.h>

#include "goodhart/detect/internal/testing_input.h"

namespace goodhart::detect {
namespace {

using testing::Sketch;

struct Corpus {
  std::vector<model::PromptSketch> sketches;
  std::vector<PromptRef> refs;
  void Add(uint32_t person, uint32_t week, model::PromptSketch s) {
    sketches.push_back(s);
    refs.push_back({person, week, s.token_estimate, s.simhash, nullptr});
  }
  std::vector<PromptRef> Refs() {
    for (size_t i = 0; i < refs.size(); ++i) {
      refs[i].minhash = sketches[i].minhash.data();
    }
    return refs;
  }
};

ClusterParams Small() { return {.min_prompts = 5, .min_share = 0.5, .threads = 2}; }

TEST(PromptClustersTest, ClustersNearDuplicatesAtJaccardPointEight) {
  Corpus c;
  // Person 0, week 0: 8 variants of one prompt (10 of 128 slots changed: J ~ 0.85-0.92), 2
  // unrelated prompts, and 2 variants of another prompt with 40 slots changed (J ~ 0.6: no edge).
  for (uint64_t v = 1; v <= 8; ++v) {
    c.Add(0, 0, Sketch(100, 10, v));
  }
  c.Add(0, 0, Sketch(200));
  c.Add(0, 0, Sketch(201));
  c.Add(0, 0, Sketch(300, 40, 1));
  c.Add(0, 0, Sketch(300, 40, 2));
  auto refs = c.Refs();
  auto r = ClusterPrompts(refs, 1, 1, Small());
  ASSERT_EQ(r.person_weeks.size(), 1u);
  const PersonWeek& pw = r.person_weeks[0];
  EXPECT_EQ(pw.prompts, 12);
  EXPECT_EQ(pw.clustered, 8);
  EXPECT_TRUE(pw.meets_threshold);  // 8 >= 5 and 8/12 >= 0.5
  ASSERT_EQ(pw.clusters.size(), 1u);
  EXPECT_EQ(pw.clusters[0].members, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_GE(pw.clusters[0].min_similarity, 0.8);
  EXPECT_LT(pw.clusters[0].min_similarity, 1.0);
  EXPECT_EQ(r.stats.in_self_clusters, 8);
}

TEST(PromptClustersTest, SimHashWithinThreeBitsJoinsEvenWhenMinHashDiffers) {
  Corpus c;
  for (int i = 0; i < 6; ++i) {
    auto s = Sketch(500 + static_cast<uint64_t>(i));         // unrelated MinHash
    s.simhash = 0xabcdef0123456789ULL ^ (uint64_t{1} << i);  // SimHash within distance 2
    c.Add(0, 0, s);
  }
  auto refs = c.Refs();
  auto r = ClusterPrompts(refs, 1, 1, Small());
  ASSERT_EQ(r.person_weeks.size(), 1u);
  EXPECT_EQ(r.person_weeks[0].clustered, 6);
}

TEST(PromptClustersTest, ShortPromptsAndOtherWeeksDoNotCluster) {
  Corpus c;
  for (uint64_t v = 1; v <= 6; ++v) {
    c.Add(0, 0, Sketch(100, 0, 0, /*tokens=*/12));  // "continue": identical but short
  }
  for (uint64_t v = 1; v <= 3; ++v) {
    c.Add(0, 0, Sketch(700, 5, v));
    c.Add(0, 1, Sketch(700, 5, v + 10));
  }
  auto refs = c.Refs();
  auto r = ClusterPrompts(refs, 1, 2, Small());
  EXPECT_TRUE(r.person_weeks.empty());  // 3 per week < 5
  EXPECT_EQ(r.stats.person_weeks, 2);
}

TEST(PromptClustersTest, OrgWideTemplatesAreExcluded) {
  Corpus c;
  // Person 0 sends a shared slash-command template 10 times and a private loop 10 times.
  for (uint64_t v = 1; v <= 10; ++v) {
    c.Add(0, 0, Sketch(42, 4, v));
    c.Add(0, 0, Sketch(77, 4, v));
  }
  // Four other people use the template once each (5 users in all).
  for (uint32_t p = 1; p <= 4; ++p) {
    c.Add(p, 0, Sketch(42, 4, 100 + p));
    c.Add(p, 0, Sketch(900 + p));
  }
  auto refs = c.Refs();
  ClusterParams params = Small();
  params.min_prompts = 10;
  auto r = ClusterPrompts(refs, 5, 1, params);
  ASSERT_EQ(r.person_weeks.size(), 1u);
  const PersonWeek& pw = r.person_weeks[0];
  ASSERT_EQ(pw.clusters.size(), 2u);
  int templates = 0;
  for (const auto& cl : pw.clusters) {
    templates += cl.org_template ? 1 : 0;
    EXPECT_EQ(cl.users, cl.org_template ? 5 : 1);
  }
  EXPECT_EQ(templates, 1);
  EXPECT_EQ(pw.template_prompts, 10);
  EXPECT_EQ(pw.clustered, 10);
  EXPECT_TRUE(pw.meets_threshold);  // 10 >= 10 and 10/20 >= 0.5
  // With only three other users it is not a template.
  refs.pop_back();
  refs.pop_back();
  r = ClusterPrompts(refs, 5, 1, params);
  EXPECT_EQ(r.person_weeks[0].template_prompts, 0);
}

TEST(PromptClustersTest, ResultDoesNotDependOnThreads) {
  Corpus c;
  for (uint32_t p = 0; p < 300; ++p) {
    for (uint64_t v = 1; v <= 12; ++v) {
      c.Add(p, p % 3, Sketch(p % 7 == 0 ? 5 : 1000 + p * 20 + v, 6, v));
    }
  }
  auto refs = c.Refs();
  ClusterParams one = Small(), two = Small();
  one.threads = 1;
  two.threads = 2;
  auto a = ClusterPrompts(refs, 300, 3, one);
  auto b = ClusterPrompts(refs, 300, 3, two);
  ASSERT_EQ(a.person_weeks.size(), b.person_weeks.size());
  for (size_t i = 0; i < a.person_weeks.size(); ++i) {
    EXPECT_EQ(a.person_weeks[i].clustered, b.person_weeks[i].clustered);
    EXPECT_EQ(a.person_weeks[i].template_prompts, b.person_weeks[i].template_prompts);
  }
  EXPECT_EQ(a.stats.in_self_clusters, b.stats.in_self_clusters);
  // p % 7 == 0 share seed 5 within their week: 43 people, ~14 per week: templates.
  EXPECT_GT(a.person_weeks.size(), 0u);
  for (const auto& pw : a.person_weeks) {
    EXPECT_EQ(pw.person % 7, 0u);
    EXPECT_FALSE(pw.meets_threshold);
  }
}

}  // namespace
}  // namespace goodhart::detect
