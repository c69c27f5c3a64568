#include "goodhart/processors/substance/substance.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "goodhart/base/hash.h"
#include "goodhart/processors/substance/file_classifier.h"
#include "goodhart/processors/substance/internal/line_rules.h"

namespace goodhart::processors {
namespace {

enum class State : uint8_t { kNone, kBlank, kWhitespace, kMoved, kCopied, kPaired };
enum class Kind : uint8_t { kTrivial, kComment, kDocs, kCode, kFindReplace };

struct Line {
  const DiffLine* src = nullptr;
  uint32_t file = 0;
  char op = ' ';
  bool blank = false, comment = false, trivial = false, find_replace = false;
  State state = State::kNone;
  int32_t alnum = 0;
  int64_t partner = -1;  // an added line's removed half when it updates one
  uint64_t hash = 0;     // XXH3-64 of the whitespace-free text (blank lines are never matched)
};

struct Range {
  size_t begin = 0, end = 0;
};

// A candidate list is scanned this far at most: popular lines ("}", "return nil") would make the
// block search quadratic otherwise.
constexpr size_t kMaxMoveCandidates = 256;
// LCS tables above this many cells fall back to in-order multiset matching.
constexpr size_t kMaxLcsCells = size_t{1} << 20;
// Rename pairing compares every deleted with every added file; git caps this too.
constexpr size_t kMaxRenamePairs = 10000;
constexpr uint64_t kRollBase = 0x9E3779B97F4A7C15ULL;

class Measurer {
 public:
  Measurer(const std::vector<FilePatch>& patches, const GitAttributes& attrs,
           const SubstanceOptions& options)
      : patches_(patches), attrs_(attrs), options_(options) {}

  SubstanceResult Run() {
    BuildLines();
    PairWhitespace();
    PairRenames();
    FindMoves();
    FindCopies();
    PairUpdates();
    FindReplaceBatches();
    return Weigh();
  }

 private:
  void BuildLines();
  void PairWhitespace();
  void PairRenames();
  void FindMoves();
  void FindCopies();
  void PairUpdates();
  void PairInOrder(const std::vector<size_t>& removed, const std::vector<size_t>& added);
  void FindReplaceBatches();
  SubstanceResult Weigh();

  // The non-blank lines of `op` in `r`, in order.
  std::vector<size_t> Side(Range r, char op, bool only_unpaired) const {
    std::vector<size_t> out;
    for (size_t i = r.begin; i < r.end; ++i) {
      if (lines_[i].op == op && !lines_[i].blank &&
          (!only_unpaired || lines_[i].state == State::kNone)) {
        out.push_back(i);
      }
    }
    return out;
  }
  void Mark(size_t i, State s) {
    if (lines_[i].state == State::kNone)
      lines_[i].state = s;
  }

  const std::vector<FilePatch>& patches_;
  const GitAttributes& attrs_;
  const SubstanceOptions& options_;
  std::vector<FileClass> classes_;
  std::vector<Line> lines_;
  std::vector<Range> hunks_;        // all lines of a hunk, context included
  std::vector<Range> blocks_;       // maximal runs of added/removed lines inside a hunk
  std::vector<int64_t> rename_of_;  // for an added file: the deleted file it renames, or -1
};

void Measurer::BuildLines() {
  classes_.reserve(patches_.size());
  rename_of_.assign(patches_.size(), -1);
  for (uint32_t f = 0; f < patches_.size(); ++f) {
    const FilePatch& patch = patches_[f];
    classes_.push_back(ClassifyFile(patch, attrs_, options_));
    if (patch.binary)
      continue;
    for (const std::vector<DiffLine>& hunk : patch.hunks) {
      internal::CommentTracker old_side(classes_[f].comments), new_side(classes_[f].comments);
      Range h{lines_.size(), lines_.size()};
      for (const DiffLine& d : hunk) {
        Line l;
        l.src = &d;
        l.file = f;
        l.op = d.op == '+' || d.op == '-' ? d.op : ' ';
        std::string stripped = internal::StripWhitespace(d.text);
        l.blank = stripped.empty();
        if (!l.blank)
          l.hash = Hash64(stripped);
        l.alnum = static_cast<int32_t>(internal::CountAlnum(stripped));
        bool old_comment = l.op != '+' && old_side.Next(d.text);
        bool new_comment = l.op != '-' && new_side.Next(d.text);
        l.comment = l.op == '-' ? old_comment : new_comment;
        l.trivial =
            !l.blank && internal::IsTrivialLine(internal::CodePart(d.text, classes_[f].comments));
        if (l.blank && l.op != ' ')
          l.state = State::kBlank;
        lines_.push_back(l);
      }
      h.end = lines_.size();
      hunks_.push_back(h);
      for (size_t i = h.begin; i < h.end;) {
        if (lines_[i].op == ' ') {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < h.end && lines_[j].op != ' ')
          ++j;
        blocks_.push_back({i, j});
        i = j;
      }
    }
  }
}

void Measurer::PairWhitespace() {
  std::vector<uint32_t> table;
  for (Range b : blocks_) {
    std::vector<size_t> removed = Side(b, '-', true), added = Side(b, '+', true);
    if (removed.empty() || added.empty())
      continue;
    const size_t n = removed.size(), m = added.size();
    if ((n + 1) * (m + 1) > kMaxLcsCells) {
      std::unordered_map<uint64_t, std::vector<size_t>> by_hash;
      for (size_t k = n; k-- > 0;)
        by_hash[lines_[removed[k]].hash].push_back(removed[k]);
      for (size_t a : added) {
        auto it = by_hash.find(lines_[a].hash);
        if (it == by_hash.end() || it->second.empty())
          continue;
        Mark(it->second.back(), State::kWhitespace);
        Mark(a, State::kWhitespace);
        it->second.pop_back();
      }
      continue;
    }
    // Longest common subsequence of the two sides' whitespace-free lines.
    table.assign((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return table[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = lines_[removed[i]].hash == lines_[added[j]].hash
                       ? at(i + 1, j + 1) + 1
                       : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    for (size_t i = 0, j = 0; i < n && j < m;) {
      if (lines_[removed[i]].hash == lines_[added[j]].hash) {
        Mark(removed[i++], State::kWhitespace);
        Mark(added[j++], State::kWhitespace);
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        ++i;
      } else {
        ++j;
      }
    }
  }
}

void Measurer::PairRenames() {
  std::vector<uint32_t> deleted, added;
  for (uint32_t f = 0; f < patches_.size(); ++f) {
    const FilePatch& p = patches_[f];
    if (p.binary || !p.old_path.empty())
      continue;
    if (p.is_deleted)
      deleted.push_back(f);
    else if (p.is_new)
      added.push_back(f);
  }
  if (deleted.empty() || added.empty() || deleted.size() * added.size() > kMaxRenamePairs)
    return;
  std::vector<std::vector<uint64_t>> hashes(patches_.size());
  for (const Line& l : lines_) {
    if (!l.blank && l.op != ' ')
      hashes[l.file].push_back(l.hash);
  }
  for (auto& h : hashes)
    std::sort(h.begin(), h.end());
  struct Candidate {
    double similarity;
    uint32_t del, add;
  };
  std::vector<Candidate> candidates;
  for (uint32_t d : deleted) {
    for (uint32_t a : added) {
      const auto &x = hashes[d], &y = hashes[a];
      if (x.empty() || y.empty())
        continue;
      size_t common = 0;
      for (size_t i = 0, j = 0; i < x.size() && j < y.size();) {
        if (x[i] == y[j]) {
          ++common, ++i, ++j;
        } else if (x[i] < y[j]) {
          ++i;
        } else {
          ++j;
        }
      }
      double sim = 2.0 * static_cast<double>(common) / static_cast<double>(x.size() + y.size());
      if (sim >= options_.rename_min_similarity)
        candidates.push_back({sim, d, a});
    }
  }
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Candidate& a, const Candidate& b) { return a.similarity > b.similarity; });
  std::vector<bool> used(patches_.size(), false);
  for (const Candidate& c : candidates) {
    if (used[c.del] || used[c.add])
      continue;
    used[c.del] = used[c.add] = true;
    rename_of_[c.add] = c.del;
    std::unordered_map<uint64_t, std::vector<size_t>> removed;
    for (size_t i = lines_.size(); i-- > 0;) {
      if (lines_[i].file == c.del && !lines_[i].blank && lines_[i].state == State::kNone)
        removed[lines_[i].hash].push_back(i);
    }
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].file != c.add || lines_[i].blank || lines_[i].state != State::kNone)
        continue;
      auto it = removed.find(lines_[i].hash);
      if (it == removed.end() || it->second.empty())
        continue;
      Mark(it->second.back(), State::kMoved);
      Mark(i, State::kMoved);
      it->second.pop_back();
    }
  }
}

void Measurer::FindMoves() {
  std::vector<std::vector<size_t>> removed_runs, added_runs;
  for (Range b : blocks_) {
    if (auto r = Side(b, '-', false); !r.empty())
      removed_runs.push_back(std::move(r));
    if (auto a = Side(b, '+', false); !a.empty())
      added_runs.push_back(std::move(a));
  }
  if (removed_runs.empty() || added_runs.empty())
    return;
  std::unordered_map<size_t, std::pair<size_t, size_t>> where;  // line -> (run, position)
  std::unordered_map<uint64_t, std::vector<size_t>> by_hash;
  for (size_t r = 0; r < removed_runs.size(); ++r) {
    for (size_t p = 0; p < removed_runs[r].size(); ++p) {
      size_t i = removed_runs[r][p];
      if (lines_[i].state != State::kNone)
        continue;
      where[i] = {r, p};
      by_hash[lines_[i].hash].push_back(i);
    }
  }
  for (const std::vector<size_t>& run : added_runs) {
    for (size_t j = 0; j < run.size();) {
      const Line& first = lines_[run[j]];
      auto it = first.state == State::kNone ? by_hash.find(first.hash) : by_hash.end();
      size_t best_len = 0, best_run = 0, best_pos = 0;
      int64_t best_alnum = 0;
      if (it != by_hash.end()) {
        size_t scanned = 0;
        for (size_t cand : it->second) {
          if (++scanned > kMaxMoveCandidates)
            break;
          if (lines_[cand].state != State::kNone)
            continue;
          auto [r, p] = where[cand];
          const std::vector<size_t>& rrun = removed_runs[r];
          size_t k = 0;
          int64_t alnum = 0;
          while (j + k < run.size() && p + k < rrun.size()) {
            const Line& x = lines_[run[j + k]];
            const Line& y = lines_[rrun[p + k]];
            if (x.state != State::kNone || y.state != State::kNone || x.hash != y.hash)
              break;
            alnum += x.alnum;
            ++k;
          }
          if (alnum > best_alnum) {
            best_alnum = alnum;
            best_len = k;
            best_run = r;
            best_pos = p;
          }
        }
      }
      if (best_len == 0 || best_alnum < options_.moved_min_alnum) {
        ++j;
        continue;
      }
      for (size_t k = 0; k < best_len; ++k) {
        Mark(run[j + k], State::kMoved);
        Mark(removed_runs[best_run][best_pos + k], State::kMoved);
      }
      j += best_len;
    }
  }
}

void Measurer::FindCopies() {
  const size_t w = static_cast<size_t>(options_.copy_min_lines);
  uint64_t top = 1;  // kRollBase^(w-1)
  for (size_t i = 1; i < w; ++i)
    top *= kRollBase;
  // Calls fn(position, window hash) for every window of `seq` holding enough alphanumerics.
  auto windows = [&](const std::vector<size_t>& seq, auto fn) {
    if (seq.size() < w)
      return;
    uint64_t h = 0;
    int64_t alnum = 0;
    for (size_t i = 0; i < seq.size(); ++i) {
      if (i >= w) {
        h -= lines_[seq[i - w]].hash * top;
        alnum -= lines_[seq[i - w]].alnum;
      }
      h = h * kRollBase + lines_[seq[i]].hash;
      alnum += lines_[seq[i]].alnum;
      if (i + 1 >= w && alnum >= options_.copy_min_alnum)
        fn(i + 1 - w, h);
    }
  };
  std::unordered_set<uint64_t> existing;
  for (Range h : hunks_) {
    std::vector<size_t> old_side;
    for (size_t i = h.begin; i < h.end; ++i) {
      if (lines_[i].op != '+' && !lines_[i].blank)
        old_side.push_back(i);
    }
    windows(old_side, [&](size_t, uint64_t hash) { existing.insert(hash); });
  }
  std::unordered_map<uint64_t, std::pair<size_t, size_t>> first_seen;  // hash -> (run, position)
  size_t run_id = 0;
  for (Range b : blocks_) {
    std::vector<size_t> run = Side(b, '+', false);
    windows(run, [&](size_t p, uint64_t hash) {
      bool copy = existing.count(hash) > 0;
      if (!copy) {
        auto [it, inserted] = first_seen.try_emplace(hash, run_id, p);
        copy = !inserted && (it->second.first != run_id || p >= it->second.second + w);
      }
      if (copy) {
        for (size_t k = 0; k < w; ++k)
          Mark(run[p + k], State::kCopied);
      }
    });
    ++run_id;
  }
}

void Measurer::PairInOrder(const std::vector<size_t>& removed, const std::vector<size_t>& added) {
  // Keyword-only lines pair with each other, and code lines with code lines.
  for (bool trivial : {false, true}) {
    std::vector<size_t> r, a;
    for (size_t i : removed) {
      if (lines_[i].state == State::kNone && lines_[i].trivial == trivial)
        r.push_back(i);
    }
    for (size_t i : added) {
      if (lines_[i].state == State::kNone && lines_[i].trivial == trivial)
        a.push_back(i);
    }
    for (size_t k = 0; k < std::min(r.size(), a.size()); ++k) {
      lines_[a[k]].partner = static_cast<int64_t>(r[k]);
      lines_[r[k]].state = State::kPaired;
    }
  }
}

void Measurer::PairUpdates() {
  for (Range b : blocks_)
    PairInOrder(Side(b, '-', true), Side(b, '+', true));
  // The edited lines of a rename pair pair up as updates, as in a git -M diff.
  std::vector<std::vector<size_t>> removed(patches_.size()), added(patches_.size());
  bool any = false;
  for (size_t f = 0; f < patches_.size(); ++f)
    any = any || rename_of_[f] >= 0;
  if (!any)
    return;
  for (size_t i = 0; i < lines_.size(); ++i) {
    if (!lines_[i].blank && lines_[i].op != ' ')
      (lines_[i].op == '-' ? removed : added)[lines_[i].file].push_back(i);
  }
  for (size_t f = 0; f < patches_.size(); ++f) {
    if (rename_of_[f] >= 0)
      PairInOrder(removed[static_cast<size_t>(rename_of_[f])], added[f]);
  }
}

void Measurer::FindReplaceBatches() {
  std::unordered_map<std::string, int64_t> count;
  std::vector<std::pair<size_t, std::string>> keyed;
  for (size_t i = 0; i < lines_.size(); ++i) {
    const Line& l = lines_[i];
    if (l.partner < 0 || l.state != State::kNone)
      continue;
    std::string key =
        internal::SubstitutionKey(lines_[static_cast<size_t>(l.partner)].src->text, l.src->text);
    if (key.empty())
      continue;
    ++count[key];
    keyed.emplace_back(i, std::move(key));
  }
  for (const auto& [i, key] : keyed) {
    if (count[key] >= options_.find_replace_min_lines)
      lines_[i].find_replace = true;
  }
}

SubstanceResult Measurer::Weigh() {
  SubstanceResult result;
  LineCounts& counts = result.lines;
  std::vector<model::FileDiff> files(patches_.size());
  for (size_t f = 0; f < patches_.size(); ++f) {
    const FilePatch& p = patches_[f];
    files[f].path = p.path;
    files[f].old_path = p.old_path;
    files[f].binary = p.binary;
    files[f].exclusion = classes_[f].exclusion;
  }
  auto kind_of = [&](const Line& l) {
    if (l.trivial)
      return Kind::kTrivial;
    if (classes_[l.file].docs)
      return Kind::kDocs;
    return l.comment ? Kind::kComment : Kind::kCode;
  };
  auto weight_of = [&](Kind k) {
    switch (k) {
      case Kind::kTrivial:
        return 0.0;
      case Kind::kComment:
        return options_.comment_weight;
      case Kind::kDocs:
        return options_.docs_weight;
      case Kind::kFindReplace:
        return options_.find_replace_weight;
      case Kind::kCode:
        break;
    }
    return options_.code_weight;
  };
  for (const Line& l : lines_) {
    if (l.op == ' ')
      continue;
    model::FileDiff& fd = files[l.file];
    (l.op == '+' ? fd.added : fd.deleted) += 1;
    const FileClass& cls = classes_[l.file];
    if (!cls.exclusion.empty()) {
      ++counts.excluded;
      continue;
    }
    switch (l.state) {
      case State::kBlank:
      case State::kWhitespace:
        ++counts.whitespace;
        continue;
      case State::kMoved:
        ++counts.moved;
        continue;
      case State::kCopied:
        ++counts.copied;
        fd.copied += l.op == '+' ? 1 : 0;
        continue;
      case State::kPaired:
        ++counts.paired;
        fd.removed_line_hashes.push_back(l.hash);  // the old content of an updated line is gone
        continue;
      case State::kNone:
        break;
    }
    Kind kind = kind_of(l);
    double w = weight_of(kind);
    if (l.partner >= 0) {
      Kind other = kind_of(lines_[static_cast<size_t>(l.partner)]);
      if (weight_of(other) > w) {
        kind = other;
        w = weight_of(other);
      }
    }
    if (w > 0 && l.find_replace && options_.find_replace_weight < w) {
      kind = Kind::kFindReplace;
      w = options_.find_replace_weight;
    }
    if (w <= 0) {
      ++counts.trivial;
      continue;
    }
    switch (kind) {
      case Kind::kComment:
        ++counts.comment;
        break;
      case Kind::kDocs:
        ++counts.docs;
        break;
      case Kind::kFindReplace:
        ++counts.find_replace;
        break;
      default:
        ++counts.code;
        break;
    }
    counts.updated += l.partner >= 0 ? 1 : 0;
    if (cls.test) {
      ++counts.test;
      w *= options_.test_weight;
    }
    fd.meaningful += w;
    (l.op == '+' ? fd.added_line_hashes : fd.removed_line_hashes).push_back(l.hash);
  }
  for (size_t f = 0; f < files.size(); ++f) {
    const FileClass& cls = classes_[f];
    if (!cls.exclusion.empty())
      continue;
    if (cls.test)
      result.test_meaningful += files[f].meaningful;
    else if (!cls.docs)
      result.production_meaningful += files[f].meaningful;
  }
  double cap = options_.test_cap_ratio * result.production_meaningful;
  if (result.test_meaningful > cap) {
    result.test_capped = true;
    double factor = result.test_meaningful > 0 ? cap / result.test_meaningful : 0;
    for (size_t f = 0; f < files.size(); ++f) {
      if (classes_[f].test && classes_[f].exclusion.empty())
        files[f].meaningful *= factor;
    }
  }
  // A rename pair becomes one file, as git -M would have shown it.
  std::vector<bool> merged(patches_.size(), false);
  for (size_t f = 0; f < files.size(); ++f) {
    if (rename_of_[f] < 0)
      continue;
    const model::FileDiff& del = files[static_cast<size_t>(rename_of_[f])];
    files[f].old_path = del.path;
    files[f].deleted += del.deleted;
    files[f].meaningful += del.meaningful;
    files[f].removed_line_hashes.insert(files[f].removed_line_hashes.end(),
                                        del.removed_line_hashes.begin(),
                                        del.removed_line_hashes.end());
    merged[static_cast<size_t>(rename_of_[f])] = true;
  }
  for (size_t f = 0; f < files.size(); ++f) {
    if (merged[f])
      continue;
    result.meaningful += files[f].meaningful;
    result.files.push_back(std::move(files[f]));
  }
  return result;
}

}  // namespace

SubstanceResult MeasureSubstance(const std::vector<FilePatch>& patches, const GitAttributes& attrs,
                                 const SubstanceOptions& options) {
  return Measurer(patches, attrs, options).Run();
}

}  // namespace goodhart::processors
