#include "goodhart/analytics/nd/nd_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/analytics/linking/change_linker.h"
#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/analytics/nd/change_delivery.h"
#include "goodhart/analytics/nd/internal/calendar.h"
#include "goodhart/analytics/nd/internal/engine_context.h"
#include "goodhart/analytics/nd/internal/people.h"
#include "goodhart/analytics/nd/internal/service_scope.h"
#include "goodhart/analytics/nd/internal/severity.h"
#include "goodhart/analytics/nd/internal/strings.h"
#include "goodhart/analytics/nd/logical_changes.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using internal::BuildPart;
using internal::CandidateOf;
using internal::Context;
using internal::Lower;
using internal::PartWork;
using internal::RemediatedIncident;
using internal::ServiceScope;

bool IsMergeCommit(const model::Commit& c) { return c.parents.size() > 1; }

// A path of one repository: line fingerprints are per file, and the same path in two
// repositories is two files (and, at 1,000 repositories, indexing removers by path alone made
// every change scan the removers of every repository).
std::string RepoPath(std::string_view repo, std::string_view path) {
  std::string key;
  key.reserve(repo.size() + 1 + path.size());
  key.append(repo);
  key.push_back('\0');
  key.append(path);
  return key;
}

struct LWork {
  LogicalChangeCredit credit;
  std::vector<PartWork*> parts;
  std::vector<const model::Commit*> counted;  // commits whose lines count (S, shares, D)
  std::set<std::string> authors;
};

// ND = R × F × g × D (§3.9) from L's gates, credit, durability and stage: D at 21 days while
// provisional, at 90 days once final.
void SetNd(LogicalChangeCredit& credit) {
  double rfg = credit.review.value * credit.failure.value * credit.credit.g;
  credit.d = credit.stage == NdStage::kFinal ? credit.durability.final : credit.durability.prov;
  credit.nd = rfg * credit.d;
  credit.nd_provisional.reset();
  credit.nd_final.reset();
  if (credit.stage != NdStage::kPending)
    credit.nd_provisional = rfg * credit.durability.prov;
  if (credit.stage == NdStage::kFinal)
    credit.nd_final = rfg * credit.durability.final;
}

// What every parameter variant of one input shares (§3.2, and the mainline): qualifying
// deployments, change membership, deliveries, and the commits on the mainline. It depends on no
// parameter a variant may change (ComputeNdVariants).
struct Delivered {
  std::vector<DeploymentVerdict> deployments;
  std::vector<std::string> warnings;
  ChangeCommits cc;
  std::vector<Delivery> deliveries;
  std::unordered_set<std::string> mainline;  // lowercased shas
};

// Runs the steps of ComputeNd over one input, with `params`; the delivery stages are computed, or
// read from `delivered` (which must outlive the engine). Single use.
class Engine {
 public:
  Engine(const NdInput& in, const NdParams& params, const Delivered* delivered = nullptr)
      : in_(in), params_(params), as_of_(in.as_of_unix_ms), ctx_(in), d_(delivered) {
    result_.definition_version = params_.definition_version;
    result_.as_of_unix_ms = as_of_;
    result_.period_from_unix_ms = in.period_from_unix_ms;
    result_.period_to_unix_ms = in.period_to_unix_ms;
  }

  // The delivery stages alone, for the variants of this input to share.
  Delivered Deliver() {
    Delivered d;
    ClassifyAndDeliver(d);
    IndexMainline(d);
    return d;
  }

  NdResult Run() {
    if (d_ == nullptr) {
      owned_ = Deliver();
      d_ = &owned_;
      // Nothing reads the verdicts or warnings from d_ after this: the result takes them.
      result_.deployments = std::move(owned_.deployments);
      result_.warnings = std::move(owned_.warnings);
    } else {
      result_.deployments = d_->deployments;
      result_.warnings = d_->warnings;
    }
    BuildLogicalChanges();
    EvaluateFailures();
    DeduplicateContent();
    IndexReviewsAndRemovers();
    for (auto& l : ls_) {
      if (Credited(l))
        Credit(l);
    }
    Collect();
    return std::move(result_);
  }

 private:
  // §3.2: qualifying deployments, change membership, deliveries, no-ops.
  void ClassifyAndDeliver(Delivered& out) {
    out.deployments =
        ClassifyDeployments(in_.deployments, ctx_.graph(), ctx_.services(), params_, as_of_);
    out.cc = AssignCommitsToChanges(ctx_.changes(), ctx_.commits(), ctx_.graph());
    const ChangeCommits& cc = out.cc;
    std::unordered_map<std::string, size_t> change_index;
    for (size_t i = 0; i < cc.changes.size(); ++i)
      change_index.try_emplace(cc.changes[i].id, i);
    out.deliveries = ResolveDeliveries(
        out.deployments, cc, ctx_.graph(),
        [&](const std::string& service, const model::Commit& c) {
          return ctx_.Scope(service).Touches(c);
        },
        params_);
    MarkNoopDeployments(out.deployments, [&](const DeploymentVerdict& v) {
      std::set<std::string> shas(v.commit_shas.begin(), v.commit_shas.end());
      for (const auto& id : v.delivered_change_ids) {
        const auto& members = cc.commits[change_index.at(id)];
        shas.insert(members.begin(), members.end());
      }
      double sum = 0;
      for (const auto& sha : shas) {
        if (const model::Commit* c = ctx_.graph().Find(sha))
          sum += ctx_.Scope(v.service).Meaningful(*c);
      }
      return sum;
    });
    std::set<std::string> warned_services;
    for (const auto& v : out.deployments) {
      if (in_.directory != nullptr && !v.service.empty() &&
          ctx_.FindService(v.service) == nullptr && warned_services.insert(v.service).second) {
        out.warnings.push_back(fmt::format(
            "service '{}' of deployment {} is not in the directory: whole repository, default "
            "production environments",
            v.service, v.deployment_id));
      }
      if (v.landed && !v.change_set_complete) {
        out.warnings.push_back(fmt::format(
            "deployment {}: change set incomplete (commit history missing)", v.deployment_id));
      }
    }
  }

  // §3.3: parts, grouped into logical changes per service; by service, then delivery.
  void BuildLogicalChanges() {
    parts_.reserve(d_->deliveries.size());
    for (const auto& d : d_->deliveries)
      parts_.push_back(BuildPart(d, d_->cc, ctx_));
    for (size_t begin = 0; begin < parts_.size();) {
      size_t end = begin;
      const std::string& service = parts_[begin].delivery->service;
      while (end < parts_.size() && parts_[end].delivery->service == service)
        ++end;
      std::vector<GroupingCandidate> candidates;
      for (size_t i = begin; i < end; ++i)
        candidates.push_back(CandidateOf(parts_[i], ctx_));
      for (auto& group : GroupLogicalChanges(candidates, params_)) {
        LWork l;
        l.credit.service = service;
        l.credit.grouping = std::move(group.reasons);
        for (size_t m : group.members)
          l.parts.push_back(&parts_[begin + m]);
        const PartWork& first = *l.parts.front();
        l.credit.id = service + "/" + first.change->id;
        l.credit.owner = first.owner.id;
        l.credit.first_merged_unix_ms = first.change->merged_unix_ms;
        for (const PartWork* p : l.parts) {
          l.credit.last_merged_unix_ms =
              std::max(l.credit.last_merged_unix_ms, p->change->merged_unix_ms);
          if (p->delivery->delivered_unix_ms >= l.credit.delivered_unix_ms) {
            l.credit.delivered_unix_ms = p->delivery->delivered_unix_ms;
            l.credit.delivered_by = p->delivery->deployment_id;
          }
        }
        ls_.push_back(std::move(l));
      }
      begin = end;
    }
    std::stable_sort(ls_.begin(), ls_.end(), [](const LWork& a, const LWork& b) {
      return std::tie(a.credit.service, a.credit.delivered_unix_ms, a.credit.first_merged_unix_ms) <
             std::tie(b.credit.service, b.credit.delivered_unix_ms, b.credit.first_merged_unix_ms);
    });
  }

  // Mainline: commits some landed deployment ran, and the commits of merged changes. Only they
  // can revert a change or remove its lines; an abandoned branch cannot.
  void IndexMainline(Delivered& out) const {
    std::vector<std::string> heads;
    for (const auto& v : out.deployments) {
      if (v.landed && !v.commit_sha.empty())
        heads.push_back(v.commit_sha);
    }
    for (const auto& sha : ctx_.graph().Ancestors(heads).shas)
      out.mainline.insert(Lower(sha));
    for (size_t i = 0; i < out.cc.changes.size(); ++i) {
      if (out.cc.synthetic[i])
        continue;
      for (const auto& sha : out.cc.commits[i])
        out.mainline.insert(Lower(sha));
    }
  }
  bool OnMainline(const model::Commit& c) const { return d_->mainline.count(Lower(c.sha)) > 0; }

  // §3.8 F for every L.
  void EvaluateFailures() {
    FailureContext base;
    for (const auto& c : ctx_.commits()) {
      if (!c.reverts_sha.empty() && OnMainline(c)) {
        base.reverts.push_back({.sha = c.sha,
                                .reverted_sha = c.reverts_sha,
                                .committed_unix_ms = c.committed_unix_ms});
      }
    }
    for (const auto& i : ctx_.incidents()) {
      if (!i.caused_by_deployment.empty()) {
        base.incidents.push_back({.incident_id = i.id,
                                  .severity = internal::SeverityLevel(i.severity),
                                  .caused_by = i.caused_by_deployment,
                                  .began_unix_ms = IncidentBeganUnixMs(i)});
      }
    }
    std::map<std::string, FailureContext> by_service;
    for (const auto& l : ls_) {
      FailureContext& f = by_service.try_emplace(l.credit.service, base).first->second;
      std::set<std::string> deployments;
      for (const PartWork* p : l.parts) {
        deployments.insert(p->delivery->deployment_id);
        if (!p->delivery->rolled_back_deployment_id.empty())
          deployments.insert(p->delivery->rolled_back_deployment_id);
      }
      for (const auto& d : deployments)
        ++f.logical_changes_by_deployment[d];
    }
    for (const auto& r : in_.remediations) {
      for (const auto& p : parts_) {
        if (p.change->id != r.change_id)
          continue;
        auto& f = by_service.try_emplace(p.delivery->service, base).first->second;
        f.hotfixes.push_back({.change_id = r.change_id,
                              .incident_id = r.incident_id,
                              .files = {p.files.begin(), p.files.end()},
                              .delivered_unix_ms = p.delivery->delivered_unix_ms});
      }
    }
    for (auto& l : ls_) {
      std::vector<DeliveredChange> delivered;
      for (const PartWork* p : l.parts) {
        const Delivery& d = *p->delivery;
        delivered.push_back({.change_id = p->change->id,
                             .commit_shas = d_->cc.commits[d.change],
                             .files = {p->files.begin(), p->files.end()},
                             .deployment_id = d.deployment_id,
                             .delivered_unix_ms = d.delivered_unix_ms,
                             .rolled_back_deployment_id = d.rolled_back_deployment_id,
                             .rolled_back_by = d.rolled_back_by,
                             .rolled_back_unix_ms = d.rolled_back_unix_ms,
                             .rollback_failure = d.rollback_failure,
                             .redelivered_by = d.redelivered_by});
      }
      l.credit.failure = EvaluateFailureGate(delivered, by_service.at(l.credit.service), params_);
    }
  }

  // §3.3 content de-duplication and §3.5 S(L), in delivery order per service.
  void DeduplicateContent() {
    ContentLedger ledger;
    for (auto& l : ls_) {
      const ServiceScope& scope = ctx_.Scope(l.credit.service);
      bool any_content = false, all_duplicate = true;
      for (PartWork* p : l.parts) {
        p->part.substance = 0;
        for (const model::Commit* c : p->commits) {
          if (p->excluded.count(c->sha) > 0)
            continue;
          std::string credited =
              c->patch_id.empty() ? "" : ledger.CreditedTo(l.credit.service, c->patch_id);
          double lines = scope.Meaningful(*c);
          if (lines > 0)
            any_content = true;
          if (!credited.empty()) {
            p->part.duplicate_commit_shas.push_back(c->sha);
            if (l.credit.duplicate_of.empty())
              l.credit.duplicate_of = credited;
            continue;
          }
          if (lines > 0)
            all_duplicate = false;
          p->part.substance += lines;
          l.counted.push_back(c);
        }
        l.credit.s += p->part.substance;
      }
      if (!any_content || !all_duplicate)
        l.credit.duplicate_of.clear();
      if (!l.credit.duplicate_of.empty()) {
        l.credit.notes.push_back(fmt::format(
            "repeats content already credited to {} (same patch-id)", l.credit.duplicate_of));
      }
      if (l.credit.failure.value == 1) {
        for (const model::Commit* c : l.counted)
          ledger.Credit(l.credit.service, c->patch_id, l.credit.id);
      }
    }
    for (const auto& l : ls_) {
      const model::Service* spec = ctx_.FindService(l.credit.service);
      auto [it, added] = samples_of_service_.try_emplace(
          l.credit.service, std::make_pair(samples_.size(), samples_.size()));
      samples_by_service_ = samples_by_service_ && it->second.second == samples_.size();
      ++it->second.second;  // ls_ is by service: each service's samples are contiguous
      samples_.push_back({.service = l.credit.service,
                          .family = spec == nullptr ? "" : spec->family,
                          .delivered_unix_ms = l.credit.delivered_unix_ms,
                          .s = l.credit.s});
    }
  }

  // §3.6 S_ref of the service for the quarter of `delivered`, frozen: computed once, or pinned.
  const SRef& SRefOf(const std::string& service, int64_t delivered) {
    int64_t quarter = QuarterStartMillis(delivered);
    auto key = std::make_pair(service, quarter);
    if (auto it = s_refs_.find(key); it != s_refs_.end())
      return it->second;
    for (const auto& o : in_.s_ref_overrides) {
      if (o.service == service && o.quarter_start_unix_ms == quarter) {
        SRef pinned{.service = service,
                    .quarter_start_unix_ms = quarter,
                    .value = std::max(o.s_ref, params_.s_ref_floor_lines),
                    .median = o.s_ref,
                    .pool = "override",
                    .floored = o.s_ref < params_.s_ref_floor_lines};
        return s_refs_.emplace(key, pinned).first->second;
      }
    }
    const model::Service* spec = ctx_.FindService(service);
    std::string_view family = spec == nullptr ? "" : std::string_view(spec->family);
    // The service's own pool reads only its samples; a sparse service pools wider, from all.
    std::span<const SRefSample> own;
    auto it = samples_of_service_.find(service);
    if (samples_by_service_ && it != samples_of_service_.end()) {
      own = std::span<const SRefSample>(samples_).subspan(it->second.first,
                                                          it->second.second - it->second.first);
    }
    SRef computed = ComputeSRef(service, family, quarter, own, params_);
    if (computed.pool != "service")
      computed = ComputeSRef(service, family, quarter, samples_, params_);
    return s_refs_.emplace(key, std::move(computed)).first->second;
  }

  // Reviews by change, and the mainline commits that remove fingerprints, by path.
  void IndexReviewsAndRemovers() {
    linked_reviews_ = LinkReviews(d_->cc.changes, ctx_.reviews());
    for (const auto& r : linked_reviews_)
      reviews_of_.emplace(r.change_id, &r.reviews);
    for (const auto& c : ctx_.commits()) {
      if (!OnMainline(c))
        continue;
      for (const auto& f : c.files) {
        if (f.removed_line_hashes.empty())
          continue;
        removers_by_path_[RepoPath(c.repo, f.path)].push_back(&c);
        if (!f.old_path.empty() && f.old_path != f.path)
          removers_by_path_[RepoPath(c.repo, f.old_path)].push_back(&c);
      }
    }
  }

  // Authors and shares (§3.3), S_ref and g (§3.6, §3.7), R and D (§3.8), ND (§3.9).
  void Credit(LWork& l) {
    LogicalChangeCredit& credit = l.credit;
    const ServiceScope& scope = ctx_.Scope(credit.service);
    ShareBuilder shares(ctx_.actors());
    for (PartWork* p : l.parts) {
      AddAuthors(*p, l.authors);
      for (const model::Commit* c : p->commits) {
        if (std::find(l.counted.begin(), l.counted.end(), c) != l.counted.end())
          shares.Add(*c, scope.Meaningful(*c), p->owner);
      }
    }
    credit.shares = shares.Finish(l.parts.front()->owner);

    credit.s_ref = SRefOf(credit.service, credit.delivered_unix_ms);
    std::string remediated;
    for (const PartWork* p : l.parts) {
      if (remediated.empty())
        remediated = RemediatedIncident(p->change->id, ctx_);
    }
    credit.credit = ComputeCredit(credit.s, credit.s_ref.value, params_, remediated);

    std::vector<ReviewedChange> reviewed;
    for (const PartWork* p : l.parts) {
      const model::Commit* head = ctx_.graph().Find(p->change->head_sha);
      auto it = reviews_of_.find(p->change->id);
      reviewed.push_back(
          {.change_id = p->change->id,
           .direct_push = p->part.direct_push,
           .head_sha = p->change->head_sha,
           .last_push_unix_ms = head == nullptr ? 0 : head->committed_unix_ms,
           .merged_unix_ms = p->change->merged_unix_ms,
           .reviews = it == reviews_of_.end() ? std::vector<model::Review>{} : *it->second});
    }
    credit.review = EvaluateReviewGate(reviewed, l.authors, ctx_.actors(), params_);

    credit.durability = EvaluateDurability(
        l.counted,
        [&](const model::Commit& c, const model::FileDiff& f) { return scope.Contains(c, f); },
        LaterRemovers(l),
        [&](const model::Commit& c) -> std::string {
          if (!c.reverts_sha.empty())
            return kLossByRevert;
          const model::Change* change = d_->cc.ChangeOf(c.sha);
          Actor owner = change == nullptr ? Actor{} : ChangeOwner(*change, ctx_.actors());
          for (const Actor& a : CommitAttribution(c, owner, ctx_.actors())) {
            if (a.human() && l.authors.count(a.id) > 0)
              return kLossByAuthor;
          }
          return "";
        },
        credit.last_merged_unix_ms, credit.delivered_unix_ms, as_of_, params_);

    int64_t age = as_of_ - credit.delivered_unix_ms;
    credit.stage = age >= params_.t_final_ms()  ? NdStage::kFinal
                   : age >= params_.t_prov_ms() ? NdStage::kProvisional
                                                : NdStage::kPending;
    SetNd(credit);

    for (PartWork* p : l.parts)
      credit.parts.push_back(p->part);
    AddNotes(l);
  }

  bool Credited(const LWork& l) const {
    return l.credit.delivered_unix_ms >= in_.credit_from_unix_ms;
  }

  // Everyone who authored or co-authored the part: its owner and opener, the change's co-authors,
  // and the humans its commits are attributed to (merge commits aside: their author merged).
  void AddAuthors(const PartWork& p, std::set<std::string>& authors) const {
    auto add = [&](const Actor& a) {
      if (a.human())
        authors.insert(a.id);
    };
    add(p.owner);
    add(ctx_.actors().Resolve(p.change->author));
    for (const auto& co : p.change->co_authors)
      add(ctx_.actors().Resolve(co));
    for (const auto& sha : d_->cc.commits[p.delivery->change]) {
      const model::Commit* c = ctx_.graph().Find(sha);
      if (c == nullptr || IsMergeCommit(*c))
        continue;
      for (const Actor& a : CommitAttribution(*c, p.owner, ctx_.actors()))
        add(a);
    }
  }

  // Mainline commits outside L that remove fingerprints from L's paths, in L's repositories,
  // committed after L's last merge and by the end of its durability window (as EvaluateDurability
  // reads them; the rest of the history is skipped before any string work).
  std::vector<const model::Commit*> LaterRemovers(const LWork& l) const {
    const int64_t after = l.credit.last_merged_unix_ms;
    const int64_t until = std::min(as_of_, l.credit.delivered_unix_ms + params_.t_final_ms());
    std::set<std::string> paths;
    std::unordered_set<std::string> own;
    for (const PartWork* p : l.parts) {
      std::set<std::string_view> repos;
      for (const model::Commit* c : p->commits)
        repos.insert(c->repo);
      for (std::string_view repo : repos) {
        for (const std::string& path : p->files)
          paths.insert(RepoPath(repo, path));
      }
      for (const auto& sha : d_->cc.commits[p->delivery->change])
        own.insert(Lower(sha));
    }
    std::vector<const model::Commit*> later;
    std::unordered_set<const model::Commit*> seen;
    for (const auto& path : paths) {
      auto it = removers_by_path_.find(path);
      if (it == removers_by_path_.end())
        continue;
      for (const model::Commit* c : it->second) {
        if (c->committed_unix_ms <= after || c->committed_unix_ms > until)
          continue;
        if (own.count(Lower(c->sha)) == 0 && seen.insert(c).second)
          later.push_back(c);
      }
    }
    return later;
  }

  void AddNotes(LWork& l) const {
    LogicalChangeCredit& credit = l.credit;
    if (credit.credit.over_s_max) {
      credit.notes.push_back(fmt::format(
          "S = {:g} exceeds S_max = {:g}: credited at S_max; queued for manual classification",
          credit.s, credit.credit.s_max));
    }
    if (!credit.durability.measured && credit.s > 0)
      credit.notes.push_back("no line fingerprints: durability not measured (D = 1)");
    if (credit.s_ref.pool == "fallback") {
      credit.notes.push_back(fmt::format(
          "S_ref = fallback {:g}: fewer than {} logical changes in the S_ref window, even pooled",
          credit.s_ref.value, params_.s_ref_min_changes));
    }
    for (const PartWork* p : l.parts) {
      if (p->delivery->rollback_failure || p->delivery->rolled_back_deployment_id.empty())
        continue;
      credit.notes.push_back(fmt::format("{}: {} was rolled back; re-delivered by {}",
                                         p->change->id, p->delivery->rolled_back_deployment_id,
                                         p->delivery->deployment_id));
    }
  }

  void Collect() {
    for (auto& l : ls_) {
      if (Credited(l))
        result_.changes.push_back(std::move(l.credit));
    }
    for (auto& [key, s_ref] : s_refs_)
      result_.s_refs.push_back(s_ref);
    std::set<size_t> delivered;
    for (const auto& d : d_->deliveries)
      delivered.insert(d.change);
    for (size_t i = 0; i < d_->cc.changes.size(); ++i) {
      if (!d_->cc.synthetic[i] && delivered.count(i) == 0)
        result_.undelivered_change_ids.push_back(d_->cc.changes[i].id);
    }
    internal::PeopleTotals totals =
        internal::AggregatePeople(result_.changes, in_.directory, in_.period_from_unix_ms,
                                  in_.period_to_unix_ms, in_.available_weeks);
    result_.people = std::move(totals.people);
    result_.teams = std::move(totals.teams);
    result_.unattributed_nd = totals.unattributed_nd;
  }

  const NdInput& in_;
  const NdParams& params_;
  const int64_t as_of_;
  Context ctx_;
  NdResult result_;
  const Delivered* d_;
  Delivered owned_;              // when no shared delivery stages were given
  std::vector<PartWork> parts_;  // reserved once: LWork points into it
  std::vector<LWork> ls_;
  std::vector<SRefSample> samples_;
  std::unordered_map<std::string, std::pair<size_t, size_t>> samples_of_service_;  // [begin, end)
  bool samples_by_service_ = true;  // each service's samples are contiguous in samples_
  std::map<std::pair<std::string, int64_t>, SRef> s_refs_;
  std::vector<ChangeReviews> linked_reviews_;
  std::unordered_map<std::string, const std::vector<model::Review>*> reviews_of_;
  // Keyed by RepoPath.
  std::unordered_map<std::string, std::vector<const model::Commit*>> removers_by_path_;
};

Status CheckInput(const NdInput& input) {
  GOODHART_RETURN_IF_ERROR(input.params.Validate());
  if (input.period_to_unix_ms <= input.period_from_unix_ms) {
    return Status::InvalidArgument(fmt::format("nd: period: [{}, {}) is empty",
                                               FormatMillis(input.period_from_unix_ms),
                                               FormatMillis(input.period_to_unix_ms)));
  }
  return Status::Ok();
}

// `base` with `variant`'s definition version and credit function, and its grouping when
// `grouping`: what a parameter variant of one run may change. Equal to `variant` when it changes
// nothing else.
NdParams WithVariantFields(NdParams base, const NdParams& variant, bool grouping) {
  base.definition_version = variant.definition_version;
  base.concave_credit = variant.concave_credit;
  if (grouping)
    base.group_logical_changes = variant.group_logical_changes;
  return base;
}

// Sets r's people, teams and unattributed ND: `changes` summed over r's period.
void SumChanges(NdResult& r, const std::vector<LogicalChangeCredit>& changes,
                const directory::Directory* directory,
                const std::map<std::string, double>& available_weeks) {
  internal::PeopleTotals totals = internal::AggregatePeople(
      changes, directory, r.period_from_unix_ms, r.period_to_unix_ms, available_weeks);
  r.people = std::move(totals.people);
  r.teams = std::move(totals.teams);
  r.unattributed_nd = totals.unattributed_nd;
}

// A result of `run`'s definition and as-of over [from, to), with nothing in it yet.
NdResult EmptyPeriod(const NdResult& run, int64_t from_unix_ms, int64_t to_unix_ms) {
  NdResult r;
  r.definition_version = run.definition_version;
  r.as_of_unix_ms = run.as_of_unix_ms;
  r.period_from_unix_ms = from_unix_ms;
  r.period_to_unix_ms = to_unix_ms;
  return r;
}

// Sets `r`'s people, teams and unattributed ND: its own changes summed over its period.
void SumOver(NdResult& r, const directory::Directory* directory,
             const std::map<std::string, double>& available_weeks) {
  SumChanges(r, r.changes, directory, available_weeks);
}

}  // namespace

Result<NdResult> ComputeNd(const NdInput& input) {
  GOODHART_RETURN_IF_ERROR(CheckInput(input));
  return Engine(input, input.params).Run();
}

Result<std::vector<NdResult>> ComputeNdVariants(const NdInput& input,
                                                std::span<const NdParams> variants) {
  GOODHART_RETURN_IF_ERROR(CheckInput(input));
  for (size_t i = 0; i < variants.size(); ++i) {
    GOODHART_RETURN_IF_ERROR(variants[i].Validate());
    if (!(WithVariantFields(input.params, variants[i], /*grouping=*/true) == variants[i])) {
      return Status::InvalidArgument(fmt::format(
          "nd: variants[{}]: differs from the input's parameters in more than how logical "
          "changes are formed and credited",
          i));
    }
  }
  const Delivered delivered = Engine(input, input.params).Deliver();
  std::vector<NdResult> out;
  out.reserve(variants.size());
  for (const NdParams& params : variants)
    out.push_back(Engine(input, params, &delivered).Run());
  return out;
}

NdResult SumPeriodTotals(const NdResult& result, int64_t from_unix_ms, int64_t to_unix_ms,
                         const directory::Directory* directory,
                         const std::map<std::string, double>& available_weeks) {
  NdResult summed = EmptyPeriod(result, from_unix_ms, to_unix_ms);
  SumChanges(summed, result.changes, directory, available_weeks);
  return summed;
}

NdResult SplitPeriod(NdResult& result, int64_t from_unix_ms, int64_t to_unix_ms,
                     const directory::Directory* directory,
                     const std::map<std::string, double>& available_weeks) {
  NdResult split = EmptyPeriod(result, from_unix_ms, to_unix_ms);
  auto in = [](const LogicalChangeCredit& l, int64_t from, int64_t to) {
    return l.delivered_unix_ms >= from && l.delivered_unix_ms < to;
  };
  std::vector<LogicalChangeCredit> kept;
  kept.reserve(result.changes.size());
  for (LogicalChangeCredit& l : result.changes) {
    bool in_split = in(l, from_unix_ms, to_unix_ms);
    bool in_result = in(l, result.period_from_unix_ms, result.period_to_unix_ms);
    if (in_split && in_result) {
      split.changes.push_back(l);
    } else if (in_split) {
      split.changes.push_back(std::move(l));
      continue;
    }
    kept.push_back(std::move(l));
  }
  result.changes = std::move(kept);
  SumOver(split, directory, available_weeks);
  return split;
}

Result<NdResult> Recredit(NdResult result, const NdParams& run_params, const NdParams& params,
                          const directory::Directory* directory,
                          const std::map<std::string, double>& available_weeks) {
  GOODHART_RETURN_IF_ERROR(params.Validate());
  if (!(WithVariantFields(run_params, params, /*grouping=*/false) == params)) {
    return Status::InvalidArgument(
        "nd: recredit: the parameters differ in more than the credit function");
  }
  result.definition_version = params.definition_version;
  for (LogicalChangeCredit& l : result.changes) {
    l.credit = ComputeCredit(l.s, l.s_ref.value, params, l.credit.remediation_incident_id);
    SetNd(l);
  }
  SumOver(result, directory, available_weeks);
  return result;
}

}  // namespace goodhart::analytics::nd
