// Near-duplicate prompt clustering for D3 (metrics.md §5.2 D3, §2.5): a person's prompts are
// clustered per week at estimated Jaccard >= 0.8 over the stored keyed sketches, and clusters that
// people across the organisation share (templates, slash-commands: >= 5 distinct users) are
// excluded.
//
// Candidates come from LSH banding of the 128-slot MinHash (16 bands x 8 rows: P(candidate) =
// 1 - (1 - J^8)^16 = 0.95 at J = 0.8) and from the four 16-bit blocks of the SimHash (two
// fingerprints within Hamming distance 3 agree on at least one block). A candidate pair is an
// edge when its estimated Jaccard (share of equal MinHash slots) is >= min_jaccard or its SimHash
// distance is <= max_simhash_distance; clusters are the connected components (single linkage via
// union-find). Within one band bucket each prompt is compared with the bucket's first prompt only,
// and pairs already in one cluster are not compared again, so a 500-prompt loop costs ~500
// comparisons, not 125,000.
//
// Only person-weeks that could reach the D3 thresholds are clustered (>= min_prompts prompts of
// >= min_tokens tokens, and those >= min_share of the week's prompts). Only person-weeks whose
// self-clustered prompts reach the thresholds are checked against other users' prompts of the
// same week for the template rule, which keeps the organisation-wide scan to the weeks that need
// it.
#pragma once

#include <cstdint>
#include <vector>

namespace goodhart::detect {

struct PromptRef {
  uint32_t person = 0;  // dense index, < person_count
  uint32_t week = 0;    // < week_count
  int32_t tokens = 0;   // PromptSketch::token_estimate
  uint64_t simhash = 0;
  const uint64_t* minhash = nullptr;  // model::kMinHashSize (128) values; not owned
};

struct ClusterParams {
  double min_jaccard = 0.8;
  int max_simhash_distance = 3;
  int min_tokens = 30;         // shorter prompts ("continue", "run the tests") never cluster
  int64_t template_users = 5;  // a cluster matched by this many distinct users is a template
  int64_t min_prompts = 40;    // person-weeks reported: >= this many self-clustered prompts ...
  double min_share = 0.5;      // ... forming >= this share of the person's prompts that week
  int threads = 0;             // 0: hardware concurrency
};

struct PromptCluster {
  std::vector<uint32_t> members;                  // indices into the input, ascending
  double min_similarity = 1, max_similarity = 1;  // estimated Jaccard of members vs the first
  int64_t users =
      1;  // distinct users with a near-duplicate that week, counted up to template_users
  bool org_template = false;  // users >= template_users: excluded
};

struct PersonWeek {
  uint32_t person = 0, week = 0;
  int64_t prompts = 0;                  // all the person's prompts that week
  int64_t eligible = 0;                 // of at least min_tokens
  int64_t clustered = 0;                // in self-clusters of >= 2, templates excluded
  int64_t template_prompts = 0;         // in clusters excluded as org-wide templates
  bool meets_threshold = false;         // clustered >= min_prompts and >= min_share x prompts
  std::vector<PromptCluster> clusters;  // size >= 2, largest first, templates included
};

struct ClusterStats {
  int64_t prompts = 0;
  int64_t person_weeks = 0;
  int64_t person_weeks_clustered = 0;  // passed the eligibility pre-check and were clustered
  int64_t prompts_clustered = 0;       // prompts those person-weeks hold
  int64_t in_self_clusters = 0;        // prompts in self-clusters (before template exclusion)
  int64_t candidate_pairs = 0;         // LSH / SimHash candidate pairs verified
  int64_t edges = 0;                   // verified pairs that joined two clusters
  int64_t template_weeks_scanned = 0;
};

struct ClusterResult {
  // Person-weeks whose self-clusters reached the thresholds before template exclusion, by
  // (person, week); meets_threshold tells whether they still do after it.
  std::vector<PersonWeek> person_weeks;
  ClusterStats stats;
};

// REQUIRES: every prompt's person < person_count, week < week_count, minhash != nullptr.
// Deterministic: the result does not depend on the thread count.
ClusterResult ClusterPrompts(const std::vector<PromptRef>& prompts, uint32_t person_count,
                             uint32_t week_count, const ClusterParams& params);

// Estimated Jaccard of two 128-slot MinHash signatures: the share of equal slots.
double EstimatedJaccard(const uint64_t* a, const uint64_t* b);

}  // namespace goodhart::detect
