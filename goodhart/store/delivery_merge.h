// How a store keeps delivery records: one per identity, later states merged into it. Shared by
// every backend so that they agree record for record.
//
// Identity (DeliveryKey): Commit repo@sha, Change id, Review change_id|reviewer|submitted|state,
// Release repo@tag, PipelineRun id#attempt, Deployment id|repo|commit_sha, Incident id.
//
// Merge (MergeDelivery): every non-empty field of the update replaces the stored one; empty
// fields (empty string or list, zero, false) never erase what is known, so a `deployment_status`
// webhook that carries no sha does not forget the sha of its `deployment`. On top of that, states
// only move forward whatever order deliveries arrive in:
// - Deployment: a terminal status (success, failure, error, inactive, cancelled) is not replaced
//   by a non-terminal one (queued, in_progress, pending).
// - Change: merged > closed > open; a merged change stays merged.
// - PipelineRun: completed is not replaced by queued/in_progress.
// - Incident: resolved is not replaced by an earlier state unless the update reopens it after
//   the resolution time. The first severity known is kept in initial_severity.
// - Commit: the git importer's record (full diffs, substance) wins over a webhook's summary; a
//   webhook only fills fields the imported record lacks.
#pragma once

#include <cstdint>
#include <string>

#include "goodhart/model/delivery.h"

namespace goodhart::store {

enum class DeliveryKind : int {
  kCommit = 1,
  kChange = 2,
  kReview = 3,
  kRelease = 4,
  kPipelineRun = 5,
  kDeployment = 6,
  kIncident = 7,
};

std::string DeliveryKey(const model::Commit& r);
std::string DeliveryKey(const model::Change& r);
std::string DeliveryKey(const model::Review& r);
std::string DeliveryKey(const model::Release& r);
std::string DeliveryKey(const model::PipelineRun& r);
std::string DeliveryKey(const model::Deployment& r);
std::string DeliveryKey(const model::Incident& r);

// The time a DeliveryQuery filters on: commit time (else author time), merge time (else close,
// else creation), review submission, release creation, run finish (else start), deployment finish
// (else start), incident start (else detection). 0 when unknown.
int64_t DeliveryTimeMillis(const model::Commit& r);
int64_t DeliveryTimeMillis(const model::Change& r);
int64_t DeliveryTimeMillis(const model::Review& r);
int64_t DeliveryTimeMillis(const model::Release& r);
int64_t DeliveryTimeMillis(const model::PipelineRun& r);
int64_t DeliveryTimeMillis(const model::Deployment& r);
int64_t DeliveryTimeMillis(const model::Incident& r);

// Merges `update` into `stored` (same identity); returns whether `stored` changed.
bool MergeDelivery(model::Commit& stored, const model::Commit& update);
bool MergeDelivery(model::Change& stored, const model::Change& update);
bool MergeDelivery(model::Review& stored, const model::Review& update);
bool MergeDelivery(model::Release& stored, const model::Release& update);
bool MergeDelivery(model::PipelineRun& stored, const model::PipelineRun& update);
bool MergeDelivery(model::Deployment& stored, const model::Deployment& update);
bool MergeDelivery(model::Incident& stored, const model::Incident& update);

}  // namespace goodhart::store
