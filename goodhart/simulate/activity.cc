#include "goodhart/simulate/activity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/base/time.h"
#include "goodhart/simulate/rng.h"

namespace goodhart::simulate {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr double kMicrosPerToken = 3;  // $3 per million tokens

// The honest draws of one change, in a fixed order: the same change under every strategy.
struct ChangeDraws {
  int s = 1;  // pure substance (meaningful lines)
  int service_pick = 0;
  bool continues = false;  // joins the previous change's work item (a natural logical change)
  double defect_u = 1;
  bool reverted = false;  // a defect found and reverted (else it stays, undetected)
  int revert_delay = 1;   // working days
  double noise = 1;       // true-value noise
  int64_t merge_offset = 0;
  bool ai = false, marker = false, own_deploy = false;
  int reviewer_offset = 1;
  int64_t review_lead = kHour;
  double raw_factor = 1.2;
  int prompts = 0;
  double keep_u = 0;  // the change is dropped when keep_u < divert
  uint64_t sketch_key = 0;
  double bypass_u = 1;  // S7: merged without review when < 0.8
};

ChangeDraws DrawChange(Rng& r, const Engineer& e) {
  ChangeDraws d;
  d.s = std::max(1, static_cast<int>(std::lround(r.LogNormal(e.size_mu, e.size_sigma))));
  d.service_pick = r.Below(2);
  d.continues = r.Bernoulli(0.10);
  d.defect_u = r.Uniform();
  d.reverted = r.Bernoulli(0.6);
  d.revert_delay = 1 + r.Below(3);
  d.noise = r.LogNormal(0, 0.5);
  d.merge_offset = static_cast<int64_t>(r.Uniform(0, 7) * static_cast<double>(kHour));
  d.ai = r.Bernoulli(e.ai_intensity);
  d.marker = r.Bernoulli(0.7);
  d.own_deploy = r.Bernoulli(0.6);
  d.reviewer_offset = 1 + r.Below(1 << 20);
  d.review_lead = static_cast<int64_t>(r.Uniform(0.5, 3) * static_cast<double>(kHour));
  d.raw_factor = r.Uniform(1.1, 1.35);
  d.prompts = 2 + r.Poisson(2 + 4 * e.ai_intensity);
  d.keep_u = r.Uniform();
  d.sketch_key = r.Next();
  d.bypass_u = r.Uniform();
  return d;
}

int AddWorkingDays(int day, int n) {
  while (n > 0) {
    ++day;
    n -= IsWorkingDay(day) ? 1 : 0;
  }
  return day;
}

std::string Sha(uint64_t key) {
  return fmt::format("{:016x}{:016x}{:08x}", Mix64(key), Mix64(key ^ 0x5bd1e995ULL),
                     static_cast<uint32_t>(key));
}

model::PromptSketch FreshSketch(uint64_t key, int32_t tokens) {
  model::PromptSketch s;
  for (size_t i = 0; i < s.minhash.size(); ++i) {
    s.minhash[i] = Mix64(key + 0x9e3779b97f4a7c15ULL * (i + 1));
  }
  s.simhash = Mix64(key ^ 0xa0761d6478bd642fULL);
  s.token_estimate = tokens;
  return s;
}

// A near-verbatim repeat of `base`: 8 of 128 MinHash slots and one SimHash bit differ, so two
// repeats of one base have estimated Jaccard ~0.875 and Hamming distance <= 2.
model::PromptSketch NearDuplicate(const model::PromptSketch& base, Rng& r) {
  model::PromptSketch s = base;
  for (int i = 0; i < 8; ++i) {
    s.minhash[static_cast<size_t>(r.Below(model::kMinHashSize))] = r.Next();
  }
  s.simhash ^= uint64_t{1} << r.Below(64);
  return s;
}

class Generator {
 public:
  Generator(const Org& org, const Engineer& e, const ActivityOptions& o)
      : org_(org), e_(e), o_(o), info_(InfoOf(o.strategy)) {}

  Activity Run() {
    for (int day = 0; day < kDays; ++day) {
      if (IsWorkingDay(day)) {
        Day(day);
      }
    }
    if (o_.strategy == Strategy::kRevertReapply && !o_.strip_gaming) {
      RevertAndReapply();
    }
    for (auto& [day, state] : days_) {
      FlushDay(day, state);
    }
    return std::move(out_);
  }

 private:
  struct DayState {
    std::vector<int64_t> times;
    int64_t tokens = 0;
    int64_t prompts = 0;
    int64_t sessions = 0;
    bool has_base = false;
    model::PromptSketch base;  // the prompt near-duplicates repeat
  };
  struct Pr {  // what later steps (S6, reverts) need of a merged pull request
    int day = 0;
    int service = 0;
    std::string head_sha, work_item;
    std::vector<model::FileDiff> files;  // of its last commit
    std::string patch_id;
  };

  // Gaming starts after the baseline period, which stays honest (it freezes own baselines).
  bool Gaming() const {
    return o_.strategy != Strategy::kHonest && !o_.strip_gaming && day_ >= kDaysPerPeriod;
  }
  bool Diverting() const { return o_.strategy != Strategy::kHonest && day_ >= kDaysPerPeriod; }
  bool Has(Strategy s) const {
    if (!Gaming()) {
      return false;
    }
    if (o_.strategy == s) {
      return true;
    }
    return o_.strategy == Strategy::kCombined &&
           (s == Strategy::kTokenmaxx || s == Strategy::kDeploySplit || s == Strategy::kTrivial ||
            s == Strategy::kPadding);
  }
  uint64_t Key(std::initializer_list<uint64_t> parts) const {
    std::vector<uint64_t> all = {o_.seed, static_cast<uint64_t>(o_.run)};
    all.insert(all.end(), parts.begin(), parts.end());
    uint64_t h = 0x676f6f6468617274ULL;
    for (uint64_t p : all) {
      h = Mix64(h ^ Mix64(p + 0x632be59bd9b4e019ULL));
    }
    return h;
  }
  int64_t ChangeNumber(int day, int item, int part) const {
    return static_cast<int64_t>(e_.index) * 10'000'000 + day * 10'000 + item * 4 + part;
  }
  int Teammate(int offset) const {
    const int n = org_.config.engineers_per_team;
    int local = e_.index % n;
    int other = (local + 1 + offset % (n - 1)) % n;
    return e_.team * n + other;
  }

  model::FileDiff File(const std::string& path, int meaningful, int raw, uint64_t key) const {
    model::FileDiff f;
    f.path = path;
    f.added = std::max(raw, meaningful);
    f.meaningful = meaningful;
    f.added_line_hashes.reserve(static_cast<size_t>(meaningful));
    for (int i = 0; i < meaningful; ++i) {
      f.added_line_hashes.push_back(Mix64(key + static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL));
    }
    return f;
  }

  // Adds a commit on the service's repo; parents are set at assembly. Returns its sha.
  std::string AddCommit(int service, int64_t at, std::vector<model::FileDiff> files, uint64_t key,
                        std::string patch_id = "", bool ai_marker = false) {
    model::Commit c;
    c.ref = {.source = "git", .raw_id = ""};
    c.repo = Org::RepoOf(org_.services[static_cast<size_t>(service)]);
    c.sha = Sha(key);
    c.ref.raw_id = c.sha;
    c.author_name = e_.id;
    c.author_email = e_.email;
    c.committer_name = e_.id;
    c.committer_email = e_.email;
    c.authored_unix_ms = at - 2 * kHour;
    c.committed_unix_ms = at;
    c.subject = fmt::format("commit {}", c.sha.substr(0, 8));
    c.files = std::move(files);
    for (const auto& f : c.files) {
      c.meaningful_lines += f.meaningful;
    }
    c.patch_id = patch_id.empty() ? "pid-" + c.sha : std::move(patch_id);
    if (ai_marker) {
      c.ai_markers.push_back({.tool = "claude-code",
                              .model = "",
                              .kind = "trailer",
                              .raw = "Co-authored-by: Claude <noreply@anthropic.com>"});
    }
    out_.commits.push_back(std::move(c));
    return out_.commits.back().sha;
  }

  struct PrSpec {
    int day = 0, item = 0, part = 0;
    int service = 0;
    std::string work_item, title;
    std::vector<std::vector<model::FileDiff>> commits;  // one list of files per commit
    int64_t merged = 0;
    bool reviewed = true;
    int reviewer = 0;
    int64_t review_lead = kHour;
    bool ai_marker = false;
    bool own_deploy = false;
    bool deploy_each_commit = false;  // S2
    std::string patch_id;             // reapply: the original's
    std::string reverts_sha;          // a revert pull request
  };

  Pr AddPr(PrSpec spec) {
    const int64_t number = ChangeNumber(spec.day, spec.item, spec.part);
    std::vector<std::string> shas;
    const auto n = static_cast<int64_t>(spec.commits.size());
    for (int64_t k = 0; k < n; ++k) {
      // Commits of one pull request land one millisecond apart, in order.
      int64_t at = spec.merged - (n - 1 - k);
      shas.push_back(AddCommit(spec.service, at, spec.commits[static_cast<size_t>(k)],
                               Key({static_cast<uint64_t>(Stream::kChange), 99,
                                    static_cast<uint64_t>(number), static_cast<uint64_t>(k)}),
                               k + 1 == n ? spec.patch_id : "", spec.ai_marker));
      if (!spec.reverts_sha.empty()) {
        out_.commits.back().reverts_sha = spec.reverts_sha;
        out_.commits.back().subject = "Revert " + spec.work_item;
      }
    }
    const std::string repo = Org::RepoOf(org_.services[static_cast<size_t>(spec.service)]);
    model::Change ch;
    ch.ref = {.source = "github", .raw_id = std::to_string(number)};
    ch.id = fmt::format("github:{}#{}", repo, number);
    ch.repo = repo;
    ch.number = number;
    ch.author = e_.email;
    ch.author_type = "User";
    ch.title = spec.title.empty() ? fmt::format("{}: change", spec.work_item) : spec.title;
    ch.state = "merged";
    ch.base_ref = "main";
    ch.head_ref = fmt::format("{}/{}", e_.id, number);
    ch.head_sha = shas.back();
    ch.merge_sha = shas.back();
    ch.merged = true;
    ch.merged_by = e_.email;
    ch.created_unix_ms = spec.merged - kMillisPerDay;
    ch.first_commit_unix_ms = spec.merged - 2 * kHour;
    ch.merged_unix_ms = spec.merged;
    ch.commit_count = n;
    for (const auto& files : spec.commits) {
      for (const auto& f : files) {
        ch.files.push_back(f.path);
        ch.additions += f.added;
        ch.deletions += f.deleted;
      }
    }
    if (spec.reviewed) {
      const Engineer& r = org_.engineers[static_cast<size_t>(spec.reviewer)];
      model::Review rev;
      rev.ref = {.source = "github", .raw_id = "review-" + ch.id};
      rev.change_id = ch.id;
      rev.reviewer = r.email;
      rev.state = "approved";
      rev.commit_sha = ch.head_sha;
      rev.submitted_unix_ms = spec.merged - spec.review_lead;
      out_.reviews.push_back(std::move(rev));
    }
    out_.changes.push_back(std::move(ch));
    if (spec.deploy_each_commit) {
      for (size_t k = 0; k + 1 < shas.size(); ++k) {
        out_.deploys.push_back(
            {.id = fmt::format("dep-{}-{}-c{}", e_.id, number, k),
             .service = spec.service,
             .at_unix_ms = spec.merged + static_cast<int64_t>(k + 1) * 5 * kMinute,
             .kind = DeployIntent::Kind::kCommit,
             .sha = shas[k]});
      }
    }
    if (spec.own_deploy) {
      out_.deploys.push_back({.id = fmt::format("dep-{}-{}", e_.id, number),
                              .service = spec.service,
                              .at_unix_ms = spec.merged + 20 * kMinute,
                              .kind = DeployIntent::Kind::kHead});
    }
    Pr pr{.day = spec.day,
          .service = spec.service,
          .head_sha = shas.back(),
          .work_item = spec.work_item,
          .files = spec.commits.back(),
          .patch_id = out_.commits.back().patch_id};
    return pr;
  }

  // A session of `n` prompts from `start`; gaps lognormal with mean `mean_gap_s` and CV `cv`;
  // each prompt repeats the day's base prompt with probability `dup`.
  int64_t AddSession(Rng& r, int day, const std::string& id, int64_t start, int n,
                     double mean_gap_s, double cv, double dup, double tokens_per_prompt,
                     bool script = false) {
    DayState& st = days_[day];
    // A script repeats one prompt of its own: fresh prompts in between do not replace it.
    model::PromptSketch script_base;
    const double sigma = std::sqrt(std::log(1 + cv * cv));
    const double mu = std::log(mean_gap_s) - sigma * sigma / 2;
    int64_t t = start;
    int64_t tokens = 0;
    for (int i = 0; i < n; ++i) {
      if (i > 0) {
        t += std::max<int64_t>(1000, static_cast<int64_t>(r.LogNormal(mu, sigma) * 1000));
      }
      auto estimate = static_cast<int32_t>(std::max(5.0, r.LogNormal(std::log(60), 0.5)));
      model::PromptSketch sketch;
      if (script) {
        if (i == 0) {
          script_base = FreshSketch(r.Next(), estimate);
          sketch = script_base;
        } else {
          sketch =
              r.Bernoulli(dup) ? NearDuplicate(script_base, r) : FreshSketch(r.Next(), estimate);
        }
      } else if (st.has_base && r.Bernoulli(dup)) {
        sketch = NearDuplicate(st.base, r);
      } else {
        sketch = FreshSketch(r.Next(), estimate);
        st.base = sketch;
        st.has_base = true;
      }
      out_.sketches.push_back({.actor = e_.email,
                               .day = DayOfMillis(t),
                               .time_unix_ms = t,
                               .session_id = id,
                               .event_key = fmt::format("{}/{}", id, i),
                               .sketch = sketch});
      st.times.push_back(t);
      tokens += static_cast<int64_t>(tokens_per_prompt * r.LogNormal(0, 0.3));
    }
    st.tokens += tokens;
    st.prompts += n;
    st.sessions += 1;
    analytics::companion::SessionUsage s{
        .session_id = id, .actor = e_.email, .start_unix_ms = start, .end_unix_ms = t};
    s.tokens.input_uncached = tokens;
    out_.sessions.push_back(std::move(s));
    return t;
  }

  double TokensPerPrompt() const {
    double padded = Has(Strategy::kPadding) ? 1.6 : 1.0;
    return 6000 * (0.5 + e_.ai_intensity) * padded;
  }

  // Expected honest AI tokens of a working day (for S1's multiple).
  double HonestDailyTokens() const {
    double change_prompts = e_.change_rate * e_.ai_intensity * (4 + 4 * e_.ai_intensity);
    double explore_prompts = (e_.explorer ? 1.6 : 0.4) * 7;
    return (change_prompts + explore_prompts) * 6000 * (0.5 + e_.ai_intensity) * 1.046;
  }

  void Day(int day) {
    day_ = day;
    const auto d = static_cast<uint64_t>(day);
    const auto me = static_cast<uint64_t>(e_.index);
    Rng w(Key({static_cast<uint64_t>(Stream::kWork), me, d}));
    const int n = w.Poisson(e_.change_rate);
    const int explore = w.Poisson(e_.explorer ? 1.6 : 0.4);
    const int64_t day0 = DayStartMillis(day);
    int item = 0;
    for (int c = 0; c < n; ++c, ++item) {
      Rng cr(Key({static_cast<uint64_t>(Stream::kChange), me, d, static_cast<uint64_t>(c)}));
      ChangeDraws draws = DrawChange(cr, e_);
      HonestChange(day, item, draws, cr, /*extra=*/false);
    }
    for (int x = 0; x < explore; ++x) {
      Rng xr(Key({static_cast<uint64_t>(Stream::kWork), me, d, 1000 + static_cast<uint64_t>(x)}));
      int64_t start = day0 + 9 * kHour + static_cast<int64_t>(xr.Uniform(0, 8) * kHour);
      AddSession(xr, day, fmt::format("x-{}-{}-{}", e_.id, day, x), start, 3 + xr.Poisson(4), 90,
                 e_.prompt_cv, e_.dup_share, TokensPerPrompt());
    }
    if (!Gaming()) {
      return;
    }
    Rng g(Key({static_cast<uint64_t>(Stream::kGame), me, d, static_cast<uint64_t>(o_.strategy)}));
    if (Has(Strategy::kSelfMerge)) {
      int extra = g.Poisson(0.25 * e_.change_rate);
      for (int c = 0; c < extra; ++c, ++item) {
        Rng cr(Key({static_cast<uint64_t>(Stream::kGameItem), me, d, static_cast<uint64_t>(c)}));
        ChangeDraws draws = DrawChange(cr, e_);
        draws.keep_u = 1;
        HonestChange(day, item, draws, cr, /*extra=*/true);
      }
    }
    if (Has(Strategy::kTokenmaxx)) {
      const bool combined = o_.strategy == Strategy::kCombined;
      const double f = combined ? 1.0 / 3 : 1.0;
      const double cv = combined ? 0.7 : 0.15;
      const double dup = combined ? 0.3 : 0.9;
      const double tokens = 9 * f * HonestDailyTokens() * g.LogNormal(0, 0.2);
      const int prompts = std::max(1, static_cast<int>(std::lround(80 * f * g.LogNormal(0, 0.15))));
      int64_t start = day0 + 8 * kHour + static_cast<int64_t>(g.Uniform(0, 1) * kHour);
      AddSession(g, day, fmt::format("g-{}-{}", e_.id, day), start, prompts, 100, cv, dup,
                 tokens / prompts, /*script=*/true);
    }
    if (Has(Strategy::kNoop)) {
      int redeploys = g.Poisson(8.0 / 5.0);
      for (int k = 0; k < redeploys; ++k) {
        out_.deploys.push_back(
            {.id = fmt::format("dep-{}-{}-r{}", e_.id, day, k),
             .service = e_.team * 2 + g.Below(2),
             .at_unix_ms = day0 + 9 * kHour + static_cast<int64_t>(g.Uniform(0, 9) * kHour),
             .kind = DeployIntent::Kind::kRunning});
      }
    }
    if (Has(Strategy::kTrivial)) {
      const double f = o_.strategy == Strategy::kCombined ? 1.0 / 3 : 1.0;
      int trivial = g.Poisson(5 * f);
      for (int k = 0; k < trivial; ++k, ++item) {
        Rng tr(
            Key({static_cast<uint64_t>(Stream::kGameItem), me, d, 500 + static_cast<uint64_t>(k)}));
        int s = tr.Below(8);
        int service = e_.team * 2 + tr.Below(2);
        int64_t merged = day0 + 10 * kHour + static_cast<int64_t>(tr.Uniform(0, 7) * kHour);
        int64_t number = ChangeNumber(day, item, 0);
        AddPr({.day = day,
               .item = item,
               .service = service,
               .work_item = fmt::format("SIM-{}", number),
               .title = "tidy",
               .commits = {{File(fmt::format("{}/t{}/f.go", e_.id, number), s, s + tr.Below(3),
                                 Key({77, static_cast<uint64_t>(number)}))}},
               .merged = merged,
               .reviewer = Teammate(tr.Below(1 << 20)),
               .review_lead = 30 * kMinute,
               .own_deploy = true});
      }
    }
  }

  // One change drawn like an honest one (S7's extra throughput draws it from a gaming stream).
  void HonestChange(int day, int item, const ChangeDraws& draws, Rng& r, bool extra) {
    const auto& wi = work_items_;
    const double defect_rate = Has(Strategy::kSelfMerge) ? 0.12 : e_.defect_rate;
    const bool defective = draws.defect_u < defect_rate;
    // The work item: a new one, or the previous change's (a natural logical change).
    int service = e_.team * 2 + draws.service_pick;
    const int64_t number = ChangeNumber(day, item, 0);
    std::string work_item = fmt::format("SIM-{}", number);
    if (draws.continues && !wi.empty() && day - wi.back().day <= 4) {
      work_item = wi.back().work_item;
      service = wi.back().service;
    }
    if (!extra) {
      work_items_.push_back({.day = day, .service = service, .work_item = work_item});
    }
    if (Diverting() && draws.keep_u < info_.divert) {
      return;  // time diverted to gaming
    }
    const int64_t merged = DayStartMillis(day) + 10 * kHour + draws.merge_offset;
    const int raw = static_cast<int>(std::lround(draws.s * draws.raw_factor));
    // Files: one per ~80 lines (up to 3), distinct paths per change.
    const int nf = 1 + (draws.s > 80 ? 1 : 0) + (draws.s > 250 ? 1 : 0);
    auto split = [](int total, int parts, int k) {
      return total / parts + (k < total % parts ? 1 : 0);
    };
    std::vector<model::FileDiff> files;
    for (int k = 0; k < nf; ++k) {
      files.push_back(File(fmt::format("{}/{}/c{}_f{}.go", e_.id, work_item, number, k),
                           split(draws.s, nf, k), split(raw, nf, k),
                           Key({11, static_cast<uint64_t>(number), static_cast<uint64_t>(k)})));
    }
    for (auto it = cleanups_.begin(); it != cleanups_.end();) {
      if (it->service == service && it->due_day <= day) {
        files.push_back(std::move(it->diff));
        it = cleanups_.erase(it);
      } else {
        ++it;
      }
    }
    bool marker = draws.ai && draws.marker;
    std::vector<uint64_t> pad_hashes;
    std::string pad_path;
    if (Has(Strategy::kPadding)) {
      // +150% AI-generated lines; reviewers trim 30%; 70% of what stays is meaningful code.
      int pad_raw = static_cast<int>(std::lround(1.5 * 0.7 * raw));
      int pad_meaningful = static_cast<int>(std::lround(0.7 * pad_raw));
      model::FileDiff& f = files.front();
      f.added += pad_raw;
      f.meaningful += pad_meaningful;
      for (int i = 0; i < pad_meaningful; ++i) {
        uint64_t h = Mix64(Key({12, static_cast<uint64_t>(number), static_cast<uint64_t>(i)}));
        f.added_line_hashes.push_back(h);
        pad_hashes.push_back(h);
      }
      pad_path = f.path;
      marker = true;
    }
    const bool bypass = Has(Strategy::kSelfMerge) && draws.bypass_u < 0.8;
    PrSpec spec{.day = day,
                .item = item,
                .service = service,
                .work_item = work_item,
                .merged = merged,
                .reviewed = !bypass,
                .reviewer = Teammate(draws.reviewer_offset),
                .review_lead = draws.review_lead,
                .ai_marker = marker,
                .own_deploy = draws.own_deploy};
    std::vector<Pr> prs;
    if (Has(Strategy::kSplitting) && draws.s >= 30) {
      // Three pull requests of one work item, merged 30 minutes apart, each deployed.
      for (int part = 0; part < 3; ++part) {
        std::vector<model::FileDiff> pfiles;
        for (const auto& f : files) {
          model::FileDiff p = f;
          p.path = fmt::format("{}.p{}", f.path, part);
          int m = split(static_cast<int>(f.meaningful), 3, part);
          p.added = split(static_cast<int>(f.added), 3, part);
          p.meaningful = m;
          size_t from = 0;
          for (int q = 0; q < part; ++q) {
            from += static_cast<size_t>(split(static_cast<int>(f.meaningful), 3, q));
          }
          p.added_line_hashes.assign(
              f.added_line_hashes.begin() + static_cast<ptrdiff_t>(from),
              f.added_line_hashes.begin() + static_cast<ptrdiff_t>(from + m));
          pfiles.push_back(std::move(p));
        }
        PrSpec ps = spec;
        ps.part = part;
        ps.merged = merged + part * 30 * kMinute;
        ps.commits = {std::move(pfiles)};
        ps.own_deploy = true;
        prs.push_back(AddPr(std::move(ps)));
      }
    } else if (Has(Strategy::kDeploySplit)) {
      // The change as three commits, each deployed: two extra content deployments.
      std::vector<std::vector<model::FileDiff>> commits(3);
      for (const auto& f : files) {
        for (int part = 0; part < 3; ++part) {
          model::FileDiff p = f;
          p.path = fmt::format("{}.p{}", f.path, part);
          int m = split(static_cast<int>(f.meaningful), 3, part);
          size_t from = 0;
          for (int q = 0; q < part; ++q) {
            from += static_cast<size_t>(split(static_cast<int>(f.meaningful), 3, q));
          }
          p.added = split(static_cast<int>(f.added), 3, part);
          p.meaningful = m;
          p.added_line_hashes.assign(
              f.added_line_hashes.begin() + static_cast<ptrdiff_t>(from),
              f.added_line_hashes.begin() + static_cast<ptrdiff_t>(from + m));
          commits[static_cast<size_t>(part)].push_back(std::move(p));
        }
      }
      spec.commits = std::move(commits);
      spec.own_deploy = true;
      spec.deploy_each_commit = true;
      prs.push_back(AddPr(std::move(spec)));
    } else {
      spec.commits = {files};
      prs.push_back(AddPr(std::move(spec)));
    }
    // Truth: pure substance only; defective changes are worth nothing.
    if (!defective) {
      out_.truth.push_back({.change_id = out_.changes[out_.changes.size() - prs.size()].id,
                            .merged_unix_ms = merged,
                            .v1 = std::pow(draws.s, 0.6) * draws.noise,
                            .v2 = std::log1p(draws.s) * draws.noise});
    }
    // The AI session that made it, linked to its last commit.
    if (draws.ai) {
      Rng sr(draws.sketch_key);
      std::string id = fmt::format("s-{}-{}", e_.id, number);
      int64_t start = merged - 3 * kHour + static_cast<int64_t>(sr.Uniform(0, 1) * kHour);
      AddSession(sr, day, id, start, draws.prompts, 90, e_.prompt_cv, e_.dup_share,
                 TokensPerPrompt());
      out_.links.push_back({.session_id = id,
                            .commit_sha = prs.back().head_sha,
                            .evidence = analytics::kEvidenceE2,
                            .rule = analytics::kRuleSessionOverlap});
    }
    if (defective && draws.reverted) {
      int rday = AddWorkingDays(day, draws.revert_delay);
      RevertPr(prs.back(), rday, item, r.Below(1 << 20));
    } else if (!defective && Has(Strategy::kRevertReapply) && !extra) {
      candidates_.push_back(prs.back());
    }
    if (!pad_hashes.empty()) {
      // 25% of the padding is cleaned up, before the 90-day check, by the engineer's first own
      // pull request to the service at least 10 days later (or a final clean-up after the window).
      model::FileDiff f;
      f.path = pad_path;
      size_t k = pad_hashes.size() / 4;
      f.removed_line_hashes.assign(pad_hashes.begin(),
                                   pad_hashes.begin() + static_cast<ptrdiff_t>(k));
      f.deleted = static_cast<int64_t>(k);
      if (k > 0) {
        cleanups_.push_back({.service = service, .due_day = day + 10, .diff = std::move(f)});
      }
    }
  }

  Pr RevertPr(const Pr& target, int day, int item, int reviewer_offset) {
    model::FileDiff undo;
    std::vector<model::FileDiff> files;
    for (const auto& f : target.files) {
      model::FileDiff r;
      r.path = f.path;
      r.deleted = f.added;
      r.meaningful = f.meaningful;
      r.removed_line_hashes = f.added_line_hashes;
      files.push_back(std::move(r));
    }
    return AddPr({.day = day,
                  .item = 900 + item,
                  .service = target.service,
                  .work_item = target.work_item,
                  .title = "Revert " + target.work_item,
                  .commits = {std::move(files)},
                  .merged = DayStartMillis(day) + 11 * kHour,
                  .reviewer = Teammate(reviewer_offset),
                  .review_lead = 30 * kMinute,
                  .own_deploy = true,
                  .reverts_sha = target.head_sha});
  }

  // S6: about one own change a week reverted the next working day and re-merged unchanged the
  // working day after.
  void RevertAndReapply() {
    int last_week = -1;
    for (const Pr& pr : candidates_) {
      int week = pr.day / 7;
      if (week == last_week || pr.day % 7 > 2) {
        continue;
      }
      last_week = week;
      int rday = AddWorkingDays(pr.day, 1);
      RevertPr(pr, rday, 950, pr.day);
      int aday = AddWorkingDays(pr.day, 2);
      AddPr({.day = aday,
             .item = 980,
             .service = pr.service,
             .work_item = pr.work_item,
             .title = "Reapply " + pr.work_item,
             .commits = {pr.files},
             .merged = DayStartMillis(aday) + 11 * kHour,
             .reviewer = Teammate(pr.day + 1),
             .review_lead = 30 * kMinute,
             .own_deploy = true,
             .patch_id = pr.patch_id});
    }
  }

  void FlushDay(int day, DayState& st) {
    if (st.prompts == 0) {
      return;
    }
    std::sort(st.times.begin(), st.times.end());
    int64_t d = DayOfMillis(DayStartMillis(day));
    store::UsageRollupRow r{.actor = e_.email,
                            .day = d,
                            .provider = "anthropic",
                            .model = "claude",
                            .tool = "claude-code",
                            .source = "otlp_logs"};
    r.tokens.input_uncached = st.tokens;
    r.requests = st.prompts;
    r.prompts = st.prompts;
    r.events = st.prompts;
    r.computed_cost_micros = static_cast<int64_t>(static_cast<double>(st.tokens) * kMicrosPerToken);
    r.sessions = st.sessions;
    out_.rollups.push_back(std::move(r));
    out_.cadence.push_back(
        {.actor = e_.email, .day = d, .prompt_times_unix_ms = std::move(st.times)});
  }

  struct WorkItem {
    int day = 0;
    int service = 0;
    std::string work_item;
  };

  const Org& org_;
  const Engineer& e_;
  const ActivityOptions& o_;
  const StrategyInfo& info_;
  Activity out_;
  std::map<int, DayState> days_;
  std::vector<WorkItem> work_items_;
  std::vector<Pr> candidates_;  // S6
  struct Cleanup {
    int service = 0;
    int due_day = 0;
    model::FileDiff diff;
  };
  std::vector<Cleanup> cleanups_;  // S8
  int day_ = 0;                    // the day being generated
};

}  // namespace

Activity GenerateActivity(const Org& org, const Engineer& engineer,
                          const ActivityOptions& options) {
  return Generator(org, engineer, options).Run();
}

}  // namespace goodhart::simulate
