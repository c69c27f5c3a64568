// Synthetic inputs for the detect benchmarks: a prompt-sketch corpus for ClusterPrompts and a
// whole organisation (directory, usage, prompts, cadence, delivery, ND results) for DetectAll.
// Deterministic (SplitMix64 streams), so every run measures the same data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/detect/detect_input.h"
#include "goodhart/detect/prompt_clusters.h"
#include "goodhart/directory/directory.h"

namespace goodhart::detect::bench {

// `people` x `weeks` person-weeks of 60-94 prompts (mean ~77; 10,000 x 13 = 10.0 M prompts).
// MinHash signatures live in a pool (the machine has 24 GiB shared by three engineers: 10 M full
// sketches would need 10.4 GB), so prompts reference pool entries: each entry is used at most once
// per week, and the per-prompt work (16 band keys, table probes, verifications) is the same as
// with distinct memory. 5% of a person-week's prompts repeat one of its earlier prompts; 1% of
// people loop (120 near-duplicate variants a week); 10% of people use a shared template twice a
// week, and half of the loopers loop on that template (excluded as org-wide); 10% of prompts are
// shorter than 30 tokens.
struct PromptCorpus {
  std::vector<uint64_t> minhash;  // pool, 128 per entry
  std::vector<uint64_t> simhash;  // pool
  std::vector<PromptRef> refs;
  uint32_t people = 0, weeks = 0;
};
std::unique_ptr<PromptCorpus> MakePromptCorpus(uint32_t people, uint32_t weeks);

// A 10,000-person organisation over 84 days (three four-week periods, ~90 days): 1,000 teams of
// 10 (product 80%, platform 10%, release 5%, sre 5%), one service per team. Per person and working
// day one usage rollup; per person and period ~12 logical changes with commits and a change
// record; deployments per team; prompts (sketches) only in the current period (30-day retention),
// 6 per working day, with cadence rows; a handful of gamers of each kind.
struct OrgInput {
  std::unique_ptr<directory::Directory> directory;
  std::vector<std::unique_ptr<analytics::nd::NdResult>> nd;  // current, previous, previous-1
  DetectInput input;
  int64_t prompts = 0, rollups = 0, changes = 0, deployments = 0;
};
std::unique_ptr<OrgInput> MakeOrgInput(int people);

}  // namespace goodhart::detect::bench
