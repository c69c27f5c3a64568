// The ND engine's working state: the as-of view of its input with the indexes every step shares,
// and one change as delivered to one service (a "part") while the engine works on it. Used by
// nd_engine.cc only.
#pragma once

#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/analytics/nd/actors.h"
#include "goodhart/analytics/nd/change_delivery.h"
#include "goodhart/analytics/nd/internal/service_scope.h"
#include "goodhart/analytics/nd/logical_changes.h"
#include "goodhart/analytics/nd/nd_engine.h"

namespace goodhart::analytics::nd::internal {

// The input as of as_of: commits committed, changes merged, reviews submitted and incidents begun
// at or before it. Keeps a reference to `in`, which must outlive it, and views its records when
// none is later than as_of (the usual case: as_of is now), else keeps copies of those that are
// not. Not thread-safe (Scope).
class Context {
 public:
  explicit Context(const NdInput& in);

  const NdInput& in() const { return in_; }
  const NdParams& params() const { return in_.params; }
  const ActorResolver& actors() const { return actors_; }
  const CommitGraph& graph() const { return graph_; }
  std::span<const model::Commit> commits() const { return commits_; }
  std::span<const model::Change> changes() const { return changes_; }
  std::span<const model::Review> reviews() const { return reviews_; }
  std::span<const model::Incident> incidents() const { return incidents_; }
  const std::vector<model::Service>& services() const { return services_; }

  // nullptr for a service the directory does not know (or without a directory).
  const model::Service* FindService(const std::string& id) const;
  // The scope of a service, built on first use.
  const ServiceScope& Scope(const std::string& service);

 private:
  const NdInput& in_;
  ActorResolver actors_;
  std::vector<model::Commit> kept_commits_;
  std::vector<model::Change> kept_changes_;
  std::vector<model::Review> kept_reviews_;
  std::vector<model::Incident> kept_incidents_;
  std::span<const model::Commit> commits_;
  std::span<const model::Change> changes_;
  std::span<const model::Review> reviews_;
  std::span<const model::Incident> incidents_;
  CommitGraph graph_;
  std::vector<model::Service> services_;
  std::unordered_map<std::string, ServiceScope> scopes_;
};

// One change as delivered to one service.
struct PartWork {
  const Delivery* delivery = nullptr;
  const model::Change* change = nullptr;
  Actor owner;
  std::vector<const model::Commit*> commits;  // members touching the service, parents first
  std::set<std::string> excluded;             // reverts, and commits reverted inside the change
  ChangePart part;
  std::set<std::string> files;  // paths inside the service
};

// The part of `delivery`: the change's commits touching the service, its reverts, its files.
// The part keeps pointers into `delivery`, `cc` and the context's graph.
PartWork BuildPart(const Delivery& delivery, const ChangeCommits& cc, Context& ctx);

// How the grouping sees a part.
GroupingCandidate CandidateOf(const PartWork& part, Context& ctx);

// The Sev1..remediation_max_severity incident the change remediates, or "".
std::string RemediatedIncident(const std::string& change_id, const Context& ctx);

}  // namespace goodhart::analytics::nd::internal
