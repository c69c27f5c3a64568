#include "goodhart/analytics/nd/quality_gates.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "goodhart/analytics/nd/internal/calendar.h"
#include "goodhart/analytics/nd/internal/strings.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using internal::EqualsIgnoreCase;
using internal::SameSha;

std::string ReviewId(const model::Review& review) {
  if (!review.ref.raw_id.empty())
    return review.ref.raw_id;
  return fmt::format("{}@{}", review.reviewer, FormatMillis(review.submitted_unix_ms));
}

std::string Short(std::string_view sha) { return std::string(sha.substr(0, 12)); }

// Why `review` is not an eligible approval of `change`, or "" when it is. Sets *break_glass.
std::string Ineligible(const ReviewedChange& change, const model::Review& review,
                       const std::set<std::string>& authors, const ActorResolver& actors,
                       const NdParams& params, bool* break_glass) {
  *break_glass = false;
  if (!EqualsIgnoreCase(review.state, "approved"))
    return "";  // not an approval at all; the caller skips it
  Actor reviewer = actors.Resolve(review.reviewer);
  if (!reviewer.human())
    return fmt::format("approval by {} is not by a human", review.reviewer);
  if (actors.has_directory() && reviewer.kind != ActorKind::kPerson)
    return fmt::format("approval by {}, who is not in the directory", review.reviewer);
  if (authors.count(reviewer.id) > 0)
    return fmt::format("approval by {}, an author of the change", reviewer.id);
  if (params.require_last_push_approval) {
    if (!review.commit_sha.empty() && !change.head_sha.empty()) {
      if (!SameSha(review.commit_sha, change.head_sha)) {
        return fmt::format("approval by {} is of {}, not of the last push {}", reviewer.id,
                           Short(review.commit_sha), Short(change.head_sha));
      }
    } else if (change.last_push_unix_ms != 0 &&
               review.submitted_unix_ms < change.last_push_unix_ms) {
      return fmt::format("approval by {} at {} predates the last push at {}", reviewer.id,
                         FormatMillis(review.submitted_unix_ms),
                         FormatMillis(change.last_push_unix_ms));
    }
  }
  if (change.merged_unix_ms != 0 && review.submitted_unix_ms > change.merged_unix_ms) {
    int64_t limit =
        internal::AddWorkingDays(change.merged_unix_ms, params.break_glass_working_days);
    if (review.submitted_unix_ms > limit) {
      return fmt::format(
          "post-merge approval by {} came after the {}-working-day break-glass window", reviewer.id,
          params.break_glass_working_days);
    }
    *break_glass = true;
  }
  return "";
}

}  // namespace

ReviewGate EvaluateReviewGate(const std::vector<ReviewedChange>& changes,
                              const std::set<std::string>& authors, const ActorResolver& actors,
                              const NdParams& params) {
  ReviewGate gate;
  gate.value = changes.empty() ? 0 : 1;
  if (changes.empty())
    gate.reason = "no change to review";
  for (const auto& change : changes) {
    std::optional<Approval> pre_merge, post_merge;
    std::string why_not;
    for (const auto& review : change.reviews) {
      if (!EqualsIgnoreCase(review.state, "approved"))
        continue;
      bool break_glass = false;
      std::string problem = Ineligible(change, review, authors, actors, params, &break_glass);
      if (!problem.empty()) {
        if (why_not.empty())
          why_not = problem;
        continue;
      }
      Approval a{.change_id = change.change_id,
                 .review_id = ReviewId(review),
                 .reviewer = actors.Resolve(review.reviewer).id,
                 .submitted_unix_ms = review.submitted_unix_ms,
                 .break_glass = break_glass};
      auto& slot = break_glass ? post_merge : pre_merge;
      if (!slot)
        slot = std::move(a);
    }
    if (pre_merge || post_merge) {
      gate.approvals.push_back(pre_merge ? *pre_merge : *post_merge);
      continue;
    }
    if (gate.value == 1) {
      gate.value = 0;
      if (change.direct_push) {
        gate.reason =
            fmt::format("{}: pushed directly, without a reviewed pull request", change.change_id);
      } else {
        gate.reason =
            fmt::format("{}: {}", change.change_id, why_not.empty() ? "no approval" : why_not);
      }
    }
  }
  if (gate.value == 0)
    gate.approvals.clear();
  return gate;
}

FailureGate EvaluateFailureGate(const std::vector<DeliveredChange>& changes,
                                const FailureContext& context, const NdParams& params) {
  FailureGate gate;
  auto is_member = [&](std::string_view sha) {
    for (const auto& c : changes) {
      for (const auto& member : c.commit_shas) {
        if (SameSha(member, sha))
          return true;
      }
    }
    return false;
  };
  for (const auto& change : changes) {
    int64_t window_end = change.delivered_unix_ms + params.w_fail_ms();
    // (a) reverts
    for (const auto& revert : context.reverts) {
      if (revert.committed_unix_ms > window_end)
        continue;
      auto hit =
          std::find_if(change.commit_shas.begin(), change.commit_shas.end(),
                       [&](const std::string& sha) { return SameSha(sha, revert.reverted_sha); });
      if (hit == change.commit_shas.end() || is_member(revert.sha))
        continue;
      gate.events.push_back({.kind = kFailRevert,
                             .change_id = change.change_id,
                             .event_id = revert.sha,
                             .at_unix_ms = revert.committed_unix_ms,
                             .detail = fmt::format("commit {} reverts {} of {}", Short(revert.sha),
                                                   Short(*hit), change.change_id)});
    }
    // (b) rollback
    if (change.rollback_failure) {
      std::string later =
          change.redelivered_by.empty()
              ? std::string("not re-delivered")
              : fmt::format("re-delivered only by {}, after the window", change.redelivered_by);
      gate.events.push_back(
          {.kind = kFailRollback,
           .change_id = change.change_id,
           .event_id = change.rolled_back_by,
           .at_unix_ms = change.rolled_back_unix_ms,
           .detail = fmt::format("{} was rolled back by {}; {} within {} days",
                                 change.rolled_back_deployment_id, change.rolled_back_by, later,
                                 params.w_fail_days)});
    }
    // (c) incidents
    for (const auto& incident : context.incidents) {
      if (incident.began_unix_ms > window_end || incident.caused_by.empty())
        continue;
      bool names_change = incident.caused_by == change.change_id;
      bool names_deployment = incident.caused_by == change.deployment_id ||
                              (!change.rolled_back_deployment_id.empty() &&
                               incident.caused_by == change.rolled_back_deployment_id);
      if (!names_change && !names_deployment)
        continue;
      if (incident.severity < 1 || incident.severity > params.failure_max_severity) {
        gate.notes.push_back(fmt::format("incident {} names {} but its severity is not Sev1-Sev{}",
                                         incident.incident_id, incident.caused_by,
                                         params.failure_max_severity));
        continue;
      }
      if (!names_change) {
        auto it = context.logical_changes_by_deployment.find(incident.caused_by);
        int64_t candidates = it == context.logical_changes_by_deployment.end() ? 0 : it->second;
        if (candidates > 1) {
          gate.notes.push_back(fmt::format(
              "incident {} names deployment {}, which delivered {} logical changes: not charged "
              "to any one of them",
              incident.incident_id, incident.caused_by, candidates));
          continue;
        }
      }
      gate.events.push_back(
          {.kind = kFailIncident,
           .change_id = change.change_id,
           .event_id = incident.incident_id,
           .at_unix_ms = incident.began_unix_ms,
           .detail = fmt::format("Sev{} incident {} names {} as its cause", incident.severity,
                                 incident.incident_id, incident.caused_by)});
    }
    // (d) hotfixes
    for (const auto& hotfix : context.hotfixes) {
      if (hotfix.delivered_unix_ms <= change.delivered_unix_ms ||
          hotfix.delivered_unix_ms > change.delivered_unix_ms + params.hotfix_window_ms()) {
        continue;
      }
      if (std::any_of(changes.begin(), changes.end(),
                      [&](const DeliveredChange& c) { return c.change_id == hotfix.change_id; })) {
        continue;
      }
      auto shared = std::find_if(hotfix.files.begin(), hotfix.files.end(), [&](const auto& f) {
        return std::find(change.files.begin(), change.files.end(), f) != change.files.end();
      });
      if (shared == hotfix.files.end())
        continue;
      gate.events.push_back(
          {.kind = kFailHotfix,
           .change_id = change.change_id,
           .event_id = hotfix.change_id,
           .at_unix_ms = hotfix.delivered_unix_ms,
           .detail = fmt::format("hotfix {} for incident {} changed {} within {} h of delivery",
                                 hotfix.change_id, hotfix.incident_id, *shared,
                                 params.hotfix_window_hours)});
    }
  }
  std::stable_sort(
      gate.events.begin(), gate.events.end(),
      [](const FailureEvent& a, const FailureEvent& b) { return a.at_unix_ms < b.at_unix_ms; });
  gate.value = gate.events.empty() ? 1 : 0;
  return gate;
}

Durability EvaluateDurability(
    const std::vector<const model::Commit*>& l_commits,
    const std::function<bool(const model::Commit&, const model::FileDiff&)>& in_scope,
    const std::vector<const model::Commit*>& later_commits,
    const std::function<std::string(const model::Commit&)>& loss_kind, int64_t merged_unix_ms,
    int64_t delivered_unix_ms, int64_t as_of_unix_ms, const NdParams& params) {
  // Net added fingerprints of L: per path, per line hash. Looked up by path once per file of a
  // later commit (most touch none of L's files), then by hash.
  using Counts = std::unordered_map<uint64_t, int64_t>;
  std::map<std::string, Counts, std::less<>> alive;
  for (const model::Commit* commit : l_commits) {
    for (const auto& file : commit->files) {
      if (!in_scope(*commit, file))
        continue;
      Counts& counts = alive[file.path];
      for (uint64_t h : file.added_line_hashes)
        ++counts[h];
      for (uint64_t h : file.removed_line_hashes) {
        auto it = counts.find(h);
        if (it != counts.end() && it->second > 0)
          --it->second;
      }
    }
  }
  Durability d;
  for (const auto& [path, counts] : alive) {
    for (const auto& [hash, count] : counts)
      d.lines += count;
  }
  d.measured = d.lines > 0;
  if (!d.measured)
    return d;

  int64_t prov_end = delivered_unix_ms + params.t_prov_ms();
  int64_t final_end = std::min(as_of_unix_ms, delivered_unix_ms + params.t_final_ms());
  std::vector<const model::Commit*> later;
  for (const model::Commit* c : later_commits) {
    if (c->committed_unix_ms > merged_unix_ms && c->committed_unix_ms <= final_end)
      later.push_back(c);
  }
  std::stable_sort(later.begin(), later.end(), [](const auto* a, const auto* b) {
    return a->committed_unix_ms < b->committed_unix_ms;
  });
  for (const model::Commit* c : later) {
    std::string kind;
    bool kind_known = false;
    for (const auto& file : c->files) {
      // A removed line counts against the file's path, else its path before a rename.
      std::pair<const std::string*, Counts*> paths[2] = {{&file.path, nullptr},
                                                         {&file.old_path, nullptr}};
      bool any = false;
      for (auto& [p, counts] : paths) {
        auto it = p->empty() ? alive.end() : alive.find(std::string_view(*p));
        counts = it == alive.end() ? nullptr : &it->second;
        any = any || counts != nullptr;
      }
      if (!any)
        continue;
      int64_t removed = 0;
      std::string path;
      for (uint64_t h : file.removed_line_hashes) {
        for (auto& [p, counts] : paths) {
          if (counts == nullptr)
            continue;
          auto it = counts->find(h);
          if (it == counts->end() || it->second == 0)
            continue;
          if (!kind_known) {
            kind = loss_kind(*c);
            kind_known = true;
          }
          --it->second;
          if (kind.empty()) {
            ++d.survived_edits;
          } else {
            ++removed;
            path = *p;
          }
          break;
        }
      }
      if (removed == 0)
        continue;
      d.losses.push_back({.commit_sha = c->sha,
                          .path = path,
                          .lines = removed,
                          .at_unix_ms = c->committed_unix_ms,
                          .by = kind});
      d.lost_final += removed;
      if (c->committed_unix_ms <= prov_end)
        d.lost_prov += removed;
    }
  }
  auto fraction = [&](int64_t lost) {
    return static_cast<double>(d.lines - lost) / static_cast<double>(d.lines);
  };
  d.prov = fraction(d.lost_prov);
  d.final = fraction(d.lost_final);
  return d;
}

}  // namespace goodhart::analytics::nd
