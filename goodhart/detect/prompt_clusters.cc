#include "goodhart/detect/prompt_clusters.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <mutex>
#include <numeric>
#include <thread>

#include "goodhart/base/status.h"

namespace goodhart::detect {
namespace {

constexpr int kSlots = 128;
constexpr int kBands = 16;
constexpr int kRows = 8;
constexpr int kSimBlocks = 4;
constexpr int kKeys = kBands + kSimBlocks;
static_assert(kBands * kRows == kSlots);

inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The band keys need not match the stored LSH format (processors/sketch LshBands): they live only
// inside one clustering call. MinHash slots are already hash values, so rotating and xoring the 8
// rows of a band and one finaliser gives a well-spread key at a fraction of XXH3's cost.
inline void BandKeys(const uint64_t* m, uint64_t* keys) {
  for (int b = 0; b < kBands; ++b) {
    uint64_t x = 0;
    for (int r = 0; r < kRows; ++r) {
      x ^= std::rotl(m[b * kRows + r], r * 8 + 1);
    }
    keys[b] = Mix64(x + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(b + 1));
  }
}

inline void Keys(const PromptRef& p, uint64_t* keys) {
  BandKeys(p.minhash, keys);
  for (int k = 0; k < kSimBlocks; ++k) {
    uint64_t block = (p.simhash >> (16 * k)) & 0xffff;
    keys[kBands + k] = Mix64(block | (static_cast<uint64_t>(k + 1) << 20) | (1ULL << 40));
  }
}

// The next prompts' signatures are random accesses into the sketch memory: fetch them early.
inline void Prefetch(const uint64_t* minhash) {
  for (int line = 0; line < kSlots; line += 8) {
    __builtin_prefetch(minhash + line);
  }
}

// Share of equal slots >= min_equal / 128, with an early exit once too many differ.
inline bool JaccardAtLeast(const uint64_t* a, const uint64_t* b, int min_equal) {
  int max_diff = kSlots - min_equal, diff = 0;
  for (int chunk = 0; chunk < kSlots; chunk += 16) {
    for (int i = chunk; i < chunk + 16; ++i) {
      diff += a[i] != b[i] ? 1 : 0;
    }
    if (diff > max_diff) {
      return false;
    }
  }
  return true;
}

struct Verifier {
  int min_equal;
  int max_distance;
  bool operator()(const PromptRef& a, const PromptRef& b) const {
    return std::popcount(a.simhash ^ b.simhash) <= max_distance ||
           JaccardAtLeast(a.minhash, b.minhash, min_equal);
  }
};

// Open addressing with generation stamps, so a table is never cleared between groups.
class KeyTable {
 public:
  void Reset(size_t entries) {
    size_t cap = std::bit_ceil(std::max<size_t>(16, entries * 2));
    if (cap > keys_.size()) {
      keys_.assign(cap, 0);
      vals_.assign(cap, 0);
      gens_.assign(cap, 0);
    }
    mask_ = cap - 1;
    ++gen_;
    if (gen_ == 0) {  // wrapped: clear the stamps once
      std::fill(gens_.begin(), gens_.end(), 0);
      gen_ = 1;
    }
  }
  // Inserts key -> val when absent and returns nullptr; else returns the stored value.
  const uint32_t* FindOrInsert(uint64_t key, uint32_t val) {
    size_t i = key & mask_;
    while (true) {
      if (gens_[i] != gen_) {
        gens_[i] = gen_;
        keys_[i] = key;
        vals_[i] = val;
        return nullptr;
      }
      if (keys_[i] == key) {
        return &vals_[i];
      }
      i = (i + 1) & mask_;
    }
  }
  const uint32_t* Find(uint64_t key) const {
    size_t i = key & mask_;
    while (gens_[i] == gen_) {
      if (keys_[i] == key) {
        return &vals_[i];
      }
      i = (i + 1) & mask_;
    }
    return nullptr;
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> vals_;
  std::vector<uint32_t> gens_;
  size_t mask_ = 0;
  uint32_t gen_ = 0;
};

struct UnionFind {
  std::vector<uint32_t> parent;
  void Reset(size_t n) {
    parent.resize(n);
    std::iota(parent.begin(), parent.end(), 0);
  }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a < b) {
      parent[b] = a;
    } else if (b < a) {
      parent[a] = b;
    }
  }
};

struct Workspace {
  KeyTable table;
  UnionFind uf;
  std::vector<uint32_t> eligible;
  std::vector<uint64_t> roots;
  ClusterStats stats;
  std::vector<PersonWeek> kept;
};

void ClusterGroup(const std::vector<PromptRef>& prompts, const uint32_t* members, size_t n,
                  const ClusterParams& params, const Verifier& verify, Workspace& ws) {
  ws.stats.person_weeks += 1;
  ws.eligible.clear();
  for (size_t i = 0; i < n; ++i) {
    if (prompts[members[i]].tokens >= params.min_tokens) {
      ws.eligible.push_back(members[i]);
    }
  }
  const auto m = static_cast<int64_t>(ws.eligible.size());
  if (m < 2 || m < params.min_prompts ||
      static_cast<double>(m) < params.min_share * static_cast<double>(n)) {
    return;  // cannot reach the thresholds even if every eligible prompt clustered
  }
  ws.stats.person_weeks_clustered += 1;
  ws.stats.prompts_clustered += static_cast<int64_t>(n);
  ws.uf.Reset(static_cast<size_t>(m));
  ws.table.Reset(static_cast<size_t>(m) * kKeys);
  uint64_t keys[kKeys];
  for (uint32_t i = 0; i < static_cast<uint32_t>(m); ++i) {
    if (i + 2 < static_cast<uint32_t>(m)) {
      Prefetch(prompts[ws.eligible[i + 2]].minhash);
    }
    const PromptRef& p = prompts[ws.eligible[i]];
    Keys(p, keys);
    for (uint64_t key : keys) {
      const uint32_t* rep = ws.table.FindOrInsert(key, i);
      if (rep == nullptr || ws.uf.Find(i) == ws.uf.Find(*rep)) {
        continue;
      }
      ws.stats.candidate_pairs += 1;
      if (verify(p, prompts[ws.eligible[*rep]])) {
        ws.uf.Union(i, *rep);
        ws.stats.edges += 1;
      }
    }
  }
  // Components of size >= 2: sort (root, prompt) pairs.
  ws.roots.clear();
  for (uint32_t i = 0; i < static_cast<uint32_t>(m); ++i) {
    ws.roots.push_back((static_cast<uint64_t>(ws.uf.Find(i)) << 32) | ws.eligible[i]);
  }
  std::sort(ws.roots.begin(), ws.roots.end());
  int64_t clustered = 0;
  std::vector<PromptCluster> clusters;
  for (size_t a = 0; a < ws.roots.size();) {
    size_t b = a + 1;
    while (b < ws.roots.size() && (ws.roots[b] >> 32) == (ws.roots[a] >> 32)) {
      ++b;
    }
    if (b - a >= 2) {
      PromptCluster c;
      for (size_t k = a; k < b; ++k) {
        c.members.push_back(static_cast<uint32_t>(ws.roots[k] & 0xffffffffu));
      }
      clustered += static_cast<int64_t>(c.members.size());
      clusters.push_back(std::move(c));
    }
    a = b;
  }
  ws.stats.in_self_clusters += clustered;
  if (clustered < params.min_prompts ||
      static_cast<double>(clustered) < params.min_share * static_cast<double>(n)) {
    return;
  }
  for (auto& c : clusters) {
    const uint64_t* first = prompts[c.members[0]].minhash;
    for (size_t k = 1; k < c.members.size(); ++k) {
      double j = EstimatedJaccard(first, prompts[c.members[k]].minhash);
      c.min_similarity = std::min(c.min_similarity, j);
      c.max_similarity = k == 1 ? j : std::max(c.max_similarity, j);
    }
  }
  std::sort(clusters.begin(), clusters.end(), [](const auto& a, const auto& b) {
    return a.members.size() != b.members.size() ? a.members.size() > b.members.size()
                                                : a.members[0] < b.members[0];
  });
  const PromptRef& any = prompts[members[0]];
  ws.kept.push_back({.person = any.person,
                     .week = any.week,
                     .prompts = static_cast<int64_t>(n),
                     .eligible = m,
                     .clustered = clustered,
                     .clusters = std::move(clusters)});
}

// For the kept person-weeks of one week: which other users have a near-duplicate of each
// cluster. Every prompt of the week is probed against the band keys of up to
// kTemplateRepresentatives members per cluster (members of one cluster are near-duplicates of each
// other, so a few stand for all of them and the table stays in cache). Persons are visited in
// order, so a cluster's users list is sorted and "already counted" is a look at its last entry;
// a cluster stops being probed once it has template_users users.
constexpr size_t kTemplateRepresentatives = 8;

void CheckTemplates(const std::vector<PromptRef>& prompts, const std::vector<uint32_t>& order,
                    const std::vector<size_t>& offsets, uint32_t person_count, uint32_t week_count,
                    uint32_t week, std::vector<PersonWeek*>& kept, const Verifier& verify,
                    int64_t template_users, unsigned threads) {
  struct Entry {
    uint64_t key;
    uint32_t cluster;  // index into `clusters`
    uint32_t prompt;
  };
  std::vector<std::pair<PersonWeek*, PromptCluster*>> clusters;
  std::vector<Entry> entries;
  uint64_t keys[kBands];
  for (PersonWeek* pw : kept) {
    for (auto& c : pw->clusters) {
      auto ci = static_cast<uint32_t>(clusters.size());
      clusters.push_back({pw, &c});
      for (size_t m = 0; m < std::min(c.members.size(), kTemplateRepresentatives); ++m) {
        BandKeys(prompts[c.members[m]].minhash, keys);
        for (int k = 0; k < kBands; ++k) {
          entries.push_back({keys[k], ci, c.members[m]});
        }
      }
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.cluster < b.cluster;
  });
  // One entry per (key, cluster).
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const Entry& a, const Entry& b) {
                              return a.key == b.key && a.cluster == b.cluster;
                            }),
                entries.end());
  KeyTable index;
  index.Reset(entries.size());
  for (uint32_t i = 0; i < entries.size(); ++i) {
    (void)index.FindOrInsert(entries[i].key, i);
  }
  // Two halves of the people in parallel; each half counts users up to the cap, and the merged
  // count is capped again, so the result does not depend on the split.
  auto scan = [&](uint32_t from, uint32_t to, std::vector<std::vector<uint32_t>>& users) {
    users.assign(clusters.size(), {});
    uint64_t k16[kBands];
    for (uint32_t person = from; person < to; ++person) {
      size_t g = static_cast<size_t>(person) * week_count + week;
      for (size_t o = offsets[g]; o < offsets[g + 1]; ++o) {
        if (o + 2 < offsets[g + 1]) {
          Prefetch(prompts[order[o + 2]].minhash);
        }
        const PromptRef& p = prompts[order[o]];
        BandKeys(p.minhash, k16);
        for (int k = 0; k < kBands; ++k) {
          const uint32_t* first = index.Find(k16[k]);
          if (first == nullptr) {
            continue;
          }
          for (uint32_t e = *first; e < entries.size() && entries[e].key == k16[k]; ++e) {
            auto& u = users[entries[e].cluster];
            if (clusters[entries[e].cluster].first->person == person ||
                (!u.empty() && u.back() == person) ||
                static_cast<int64_t>(u.size()) + 1 >= template_users) {
              continue;
            }
            if (verify(p, prompts[entries[e].prompt])) {
              u.push_back(person);
            }
          }
        }
      }
    }
  };
  std::vector<std::vector<uint32_t>> users, second;
  if (threads > 1 && person_count >= 2) {
    std::thread t(scan, person_count / 2, person_count, std::ref(second));
    scan(0, person_count / 2, users);
    t.join();
    for (size_t ci = 0; ci < users.size(); ++ci) {
      users[ci].insert(users[ci].end(), second[ci].begin(), second[ci].end());
      if (static_cast<int64_t>(users[ci].size()) + 1 > template_users) {
        users[ci].resize(static_cast<size_t>(template_users - 1));
      }
    }
  } else {
    scan(0, person_count, users);
  }
  for (size_t ci = 0; ci < clusters.size(); ++ci) {
    clusters[ci].second->users = 1 + static_cast<int64_t>(users[ci].size());
  }
}

}  // namespace

double EstimatedJaccard(const uint64_t* a, const uint64_t* b) {
  int equal = 0;
  for (int i = 0; i < kSlots; ++i) {
    equal += a[i] == b[i] ? 1 : 0;
  }
  return static_cast<double>(equal) / kSlots;
}

ClusterResult ClusterPrompts(const std::vector<PromptRef>& prompts, uint32_t person_count,
                             uint32_t week_count, const ClusterParams& params) {
  ClusterResult result;
  result.stats.prompts = static_cast<int64_t>(prompts.size());
  const size_t groups = static_cast<size_t>(person_count) * week_count;
  // Counting sort by (person, week), stable.
  std::vector<size_t> offsets(groups + 1, 0);
  for (const auto& p : prompts) {
    GOODHART_CHECK(p.person < person_count && p.week < week_count && p.minhash != nullptr);
    offsets[static_cast<size_t>(p.person) * week_count + p.week + 1] += 1;
  }
  for (size_t g = 0; g < groups; ++g) {
    offsets[g + 1] += offsets[g];
  }
  std::vector<uint32_t> order(prompts.size());
  {
    std::vector<size_t> next(offsets.begin(), offsets.end() - 1);
    for (uint32_t i = 0; i < static_cast<uint32_t>(prompts.size()); ++i) {
      const auto& p = prompts[i];
      order[next[static_cast<size_t>(p.person) * week_count + p.week]++] = i;
    }
  }
  const Verifier verify{
      .min_equal = static_cast<int>(std::ceil(params.min_jaccard * kSlots - 1e-9)),
      .max_distance = params.max_simhash_distance};

  unsigned threads = params.threads > 0 ? static_cast<unsigned>(params.threads)
                                        : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, groups / 64)));
  std::vector<Workspace> spaces(threads);
  std::atomic<size_t> next_group{0};
  constexpr size_t kChunk = 64;
  auto work = [&](Workspace& ws) {
    while (true) {
      size_t begin = next_group.fetch_add(kChunk);
      if (begin >= groups) {
        break;
      }
      for (size_t g = begin; g < std::min(groups, begin + kChunk); ++g) {
        size_t n = offsets[g + 1] - offsets[g];
        if (n > 0) {
          ClusterGroup(prompts, order.data() + offsets[g], n, params, verify, ws);
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) {
    pool.emplace_back(work, std::ref(spaces[t]));
  }
  work(spaces[0]);
  for (auto& t : pool) {
    t.join();
  }
  for (auto& ws : spaces) {
    result.stats.person_weeks += ws.stats.person_weeks;
    result.stats.person_weeks_clustered += ws.stats.person_weeks_clustered;
    result.stats.prompts_clustered += ws.stats.prompts_clustered;
    result.stats.in_self_clusters += ws.stats.in_self_clusters;
    result.stats.candidate_pairs += ws.stats.candidate_pairs;
    result.stats.edges += ws.stats.edges;
    for (auto& pw : ws.kept) {
      result.person_weeks.push_back(std::move(pw));
    }
  }
  std::sort(result.person_weeks.begin(), result.person_weeks.end(),
            [](const PersonWeek& a, const PersonWeek& b) {
              return a.person != b.person ? a.person < b.person : a.week < b.week;
            });

  // Template exclusion, week by week, for the person-weeks kept.
  std::vector<std::vector<PersonWeek*>> by_week(week_count);
  for (auto& pw : result.person_weeks) {
    by_week[pw.week].push_back(&pw);
  }
  for (uint32_t w = 0; w < week_count; ++w) {
    if (by_week[w].empty()) {
      continue;
    }
    result.stats.template_weeks_scanned += 1;
    CheckTemplates(prompts, order, offsets, person_count, week_count, w, by_week[w], verify,
                   params.template_users, threads);
  }
  for (auto& pw : result.person_weeks) {
    pw.clustered = 0;
    pw.template_prompts = 0;
    for (auto& c : pw.clusters) {
      c.org_template = c.users >= params.template_users;
      (c.org_template ? pw.template_prompts : pw.clustered) +=
          static_cast<int64_t>(c.members.size());
    }
    pw.meets_threshold =
        pw.clustered >= params.min_prompts &&
        static_cast<double>(pw.clustered) >= params.min_share * static_cast<double>(pw.prompts);
  }
  return result;
}

}  // namespace goodhart::detect
