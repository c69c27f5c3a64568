#include "goodhart/simulate/assemble.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <tuple>

#include "goodhart/analytics/nd/substance_ref.h"
#include "goodhart/base/time.h"
#include "goodhart/simulate/rng.h"

namespace goodhart::simulate {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

struct Event {
  int64_t at = 0;
  int order = 0;  // ties: engineers' deployments before the train
  std::string id, triggered_by, sha;
  DeployIntent::Kind kind = DeployIntent::Kind::kHead;
  bool train = false;
};

}  // namespace

store::DeliveryRecords AssembleTeam(const Org& org, int team,
                                    const std::vector<const Activity*>& members) {
  store::DeliveryRecords out;
  for (int k = 0; k < 2; ++k) {
    const int service = team * 2 + k;
    const std::string& name = org.services[static_cast<size_t>(service)];
    const std::string repo = Org::RepoOf(name);
    std::vector<model::Commit> commits;
    model::Commit root;
    root.ref = {.source = "git", .raw_id = ""};
    root.repo = repo;
    root.sha = fmt::format("{:016x}{:016x}{:08x}", Mix64(service + 1), Mix64(service + 7), 0);
    root.author_email = std::string(kDeployBot);
    root.authored_unix_ms = root.committed_unix_ms = DayStartMillis(-300);
    root.subject = "root";
    commits.push_back(root);
    std::vector<Event> events;
    for (const Activity* a : members) {
      for (const auto& c : a->commits) {
        if (c.repo == repo) {
          commits.push_back(c);
        }
      }
      for (const auto& d : a->deploys) {
        if (d.service == service) {
          events.push_back(
              {.at = d.at_unix_ms, .order = 0, .id = d.id, .sha = d.sha, .kind = d.kind});
        }
      }
    }
    for (const Activity* a : members) {
      for (const auto& ch : a->changes) {
        if (ch.repo == repo) {
          out.changes.push_back(ch);
        }
      }
      for (const auto& r : a->reviews) {
        if (r.change_id.find(repo + "#") != std::string::npos) {
          out.reviews.push_back(r);
        }
      }
    }
    std::stable_sort(commits.begin() + 1, commits.end(), [](const auto& a, const auto& b) {
      return std::tie(a.committed_unix_ms, a.sha) < std::tie(b.committed_unix_ms, b.sha);
    });
    for (size_t i = 1; i < commits.size(); ++i) {
      commits[i].parents = {commits[i - 1].sha};
    }
    // Triggered-by of the engineers' deployments: the id names the engineer ("dep-e017-...").
    const int releaser = org.release_engineer[static_cast<size_t>(service)];
    const std::string train_by =
        releaser < 0 ? std::string(kDeployBot) : org.engineers[static_cast<size_t>(releaser)].email;
    for (int day = 0; day < kDays; ++day) {
      if (IsWorkingDay(day)) {
        events.push_back({.at = DayStartMillis(day) + 16 * kHour,
                          .order = 1,
                          .id = fmt::format("train-{}-{}", name, day),
                          .train = true});
      }
    }
    // After the window, a weekly train ships late commits (clean-ups) before the 90-day check.
    for (int day = kDays; day < kDays + 98; day += 7) {
      events.push_back({.at = DayStartMillis(day) + 16 * kHour,
                        .order = 1,
                        .id = fmt::format("train-{}-{}", name, day),
                        .train = true});
    }
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return std::tie(a.at, a.order) < std::tie(b.at, b.order);
    });
    size_t head = 0;  // index of the newest commit at or before the event
    std::string running;
    for (const Event& e : events) {
      while (head + 1 < commits.size() && commits[head + 1].committed_unix_ms <= e.at) {
        ++head;
      }
      std::string sha;
      switch (e.kind) {
        case DeployIntent::Kind::kHead:
          sha = commits[head].sha;
          break;
        case DeployIntent::Kind::kRunning:
          sha = running;
          break;
        case DeployIntent::Kind::kCommit:
          sha = e.sha;
          break;
      }
      if (e.train && sha == running) {
        continue;  // nothing new on main
      }
      if (sha.empty()) {
        continue;
      }
      model::Deployment d;
      d.ref = {.source = "cdevents", .raw_id = e.id};
      d.id = e.id;
      d.service = name;
      d.environment = "production";
      d.environment_tier = "production";
      d.repo = repo;
      d.commit_sha = sha;
      d.artifact_digest = "sha256:" + sha;
      d.status = "success";
      d.started_unix_ms = e.at - 10 * kMinute;
      d.finished_unix_ms = e.at;
      if (e.train) {
        d.triggered_by = train_by;
      } else {
        // "dep-e017-..." -> e017's email.
        size_t dash = e.id.find('-', 4);
        d.triggered_by = e.id.substr(4, dash - 4) + "@sim.example";
      }
      running = sha;
      out.deployments.push_back(std::move(d));
    }
    for (auto& c : commits) {
      out.commits.push_back(std::move(c));
    }
  }
  return out;
}

analytics::nd::NdParams ParamsOf(NdVariant variant) {
  analytics::nd::NdParams p;
  switch (variant) {
    case NdVariant::kNd:
      break;
    case NdVariant::kNdPr:
      p.definition_version = "nd-1.0-sim-no-grouping";
      p.group_logical_changes = false;
      break;
    case NdVariant::kNdSqrt:
      p.definition_version = "nd-1.0-sim-sqrt";
      p.concave_credit = true;
      break;
  }
  return p;
}

std::vector<analytics::nd::NdResult> ComputeTeamNd(
    const store::DeliveryRecords& records, const directory::Directory& directory,
    const std::vector<analytics::nd::SRefOverride>& s_refs, std::span<const NdVariant> variants) {
  analytics::nd::NdInput in;
  in.deployments = records.deployments;
  in.commits = records.commits;
  in.changes = records.changes;
  in.reviews = records.reviews;
  in.directory = &directory;
  in.as_of_unix_ms = EvaluationMillis();
  in.period_from_unix_ms = PeriodFromMillis(0);
  in.period_to_unix_ms = PeriodFromMillis(kPeriods);
  in.s_ref_overrides = s_refs;
  in.params = ParamsOf(NdVariant::kNd);
  std::vector<analytics::nd::NdParams> params;
  for (NdVariant v : variants)
    params.push_back(ParamsOf(v));
  auto r = analytics::nd::ComputeNdVariants(in, params);
  if (!r.ok()) {
    std::fprintf(stderr, "simulate: nd: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return std::move(r).value();
}

std::vector<analytics::nd::SRefOverride> BaselineSRefs(const Org& org,
                                                       const std::vector<Activity>& activities,
                                                       uint64_t seed, int run) {
  std::map<std::string, std::vector<double>> sizes;
  for (const auto& a : activities) {
    for (const auto& c : a.commits) {
      if (c.committed_unix_ms >= PeriodFromMillis(0) && c.committed_unix_ms < PeriodFromMillis(1) &&
          c.reverts_sha.empty() && c.meaningful_lines > 0) {
        sizes[c.repo].push_back(c.meaningful_lines);
      }
    }
  }
  // The earlier part of the window, drawn as the engineers' honest changes are (activity.cc).
  for (const auto& e : org.engineers) {
    for (int day = 0; day < kSRefHistoryWorkingDays; ++day) {
      Rng r(StreamKey({seed, static_cast<uint64_t>(run), static_cast<uint64_t>(Stream::kHistory),
                       static_cast<uint64_t>(e.index), static_cast<uint64_t>(day)}));
      for (int n = r.Poisson(e.change_rate); n > 0; --n) {
        double s = std::max(1.0, std::round(r.LogNormal(e.size_mu, e.size_sigma)));
        int service = e.team * 2 + r.Below(2);
        sizes[Org::RepoOf(org.services[static_cast<size_t>(service)])].push_back(s);
      }
    }
  }
  std::vector<analytics::nd::SRefOverride> out;
  const analytics::nd::NdParams defaults;
  for (const auto& service : org.services) {
    double s_ref = std::max(defaults.s_ref_floor_lines,
                            analytics::nd::SubstanceWeightedMedian(sizes[Org::RepoOf(service)]));
    if (sizes[Org::RepoOf(service)].empty()) {
      s_ref = defaults.s_ref_fallback_lines;
    }
    for (int month : {1, 4, 7, 10}) {
      out.push_back({.service = service,
                     .quarter_start_unix_ms = CivilToMillis(2026, month, 1),
                     .s_ref = s_ref});
    }
  }
  return out;
}

}  // namespace goodhart::simulate
