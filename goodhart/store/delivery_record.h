// How a backend writes one delivery record: its kind number (the DeliveryKind of its type), the
// repository it belongs to (for repo filters; "" for records without one) and its body, the JSON of
// model/delivery_json.h. Shared by every backend so that they store the same bytes.
//
// The body replaces bytes that are not UTF-8 with U+FFFD: git history holds Latin-1 subjects and
// author names, and JSON cannot carry them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "goodhart/base/json_text.h"
#include "goodhart/model/delivery.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/store/delivery_merge.h"

namespace goodhart::store {

template <typename T>
constexpr DeliveryKind KindOf();
template <>
constexpr DeliveryKind KindOf<model::Commit>() {
  return DeliveryKind::kCommit;
}
template <>
constexpr DeliveryKind KindOf<model::Change>() {
  return DeliveryKind::kChange;
}
template <>
constexpr DeliveryKind KindOf<model::Review>() {
  return DeliveryKind::kReview;
}
template <>
constexpr DeliveryKind KindOf<model::Release>() {
  return DeliveryKind::kRelease;
}
template <>
constexpr DeliveryKind KindOf<model::PipelineRun>() {
  return DeliveryKind::kPipelineRun;
}
template <>
constexpr DeliveryKind KindOf<model::Deployment>() {
  return DeliveryKind::kDeployment;
}
template <>
constexpr DeliveryKind KindOf<model::Incident>() {
  return DeliveryKind::kIncident;
}

template <typename T>
std::string RepoOf(const T& record) {
  if constexpr (requires { record.repo; })
    return record.repo;
  else
    return "";
}

template <typename T>
std::string EncodeDeliveryBody(const T& record) {
  return JsonText(nlohmann::json(record));
}

}  // namespace goodhart::store
