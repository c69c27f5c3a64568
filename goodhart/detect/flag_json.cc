#include "goodhart/detect/flag_json.h"

#include <fmt/format.h>

namespace goodhart::detect {

NLOHMANN_JSON_SERIALIZE_ENUM(Tier, {{Tier::kA, "A"}, {Tier::kB, "B"}, {Tier::kInfo, "info"}})
NLOHMANN_JSON_SERIALIZE_ENUM(SubjectKind, {{SubjectKind::kPerson, "person"},
                                           {SubjectKind::kTeam, "team"},
                                           {SubjectKind::kService, "service"},
                                           {SubjectKind::kPipeline, "pipeline"}})
NLOHMANN_JSON_SERIALIZE_ENUM(MaterialityBasis,
                             {{MaterialityBasis::kNd, "nd"},
                              {MaterialityBasis::kCost, "cost"},
                              {MaterialityBasis::kDataIntegrity, "data_integrity"},
                              {MaterialityBasis::kInformational, "informational"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Subject, kind, id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Period, from_unix_ms, to_unix_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Evidence, id, at_unix_ms, value, note)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Materiality, basis, nd_effect, subject_nd,
                                                cost_micros, subject_spend_micros, material, reason)

namespace {

nlohmann::json Optional(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// NLOHMANN_JSON_SERIALIZE_ENUM maps unknown names to the first enumerator; goodhart rejects them.
template <typename E>
Status CheckEnum(const nlohmann::json& j, const char* key, std::string_view (*name)(E)) {
  if (!j.contains(key)) {
    return Status::Ok();
  }
  if (!j[key].is_string() || name(j[key].get<E>()) != j[key].get<std::string>()) {
    return Status::InvalidArgument(
        fmt::format("detect: flag json: {}: unknown '{}'", key, j[key].dump()));
  }
  return Status::Ok();
}

}  // namespace

nlohmann::json ToJson(const Flag& f) {
  return {
      {"id", f.id},
      {"detector_id", f.detector_id},
      {"detector_version", f.detector_version},
      {"params_version", f.params_version},
      {"tier", f.tier},
      {"subject", f.subject},
      {"team", f.team},
      {"period", f.period},
      {"score", f.score},
      {"threshold", f.threshold},
      {"score_name", f.score_name},
      {"z", Optional(f.z)},
      {"p_value", Optional(f.p_value)},
      {"peer_group", f.peer_group},
      {"peer_n", f.peer_n},
      {"materiality", f.materiality},
      {"evidence", f.evidence},
      {"explanation", f.explanation},
      {"recommended_action", f.recommended_action},
      {"benign_explanations", f.benign_explanations},
      {"direct_evidence", f.direct_evidence},
      {"gate", f.gate},
      {"corroborated_by", f.corroborated_by},
      {"tier_passed", f.tier_passed},
      {"persistent_periods", f.persistent_periods},
      {"shown", f.shown},
      {"suppressed_reason", f.suppressed_reason},
  };
}

Result<Flag> FlagFromJson(const nlohmann::json& j) {
  if (!j.is_object()) {
    return Status::InvalidArgument("detect: flag json: top level: expected an object");
  }
  GOODHART_RETURN_IF_ERROR(CheckEnum<Tier>(j, "tier", &TierName));
  if (j.contains("subject")) {
    GOODHART_RETURN_IF_ERROR(CheckEnum<SubjectKind>(j["subject"], "kind", &SubjectKindName));
  }
  if (j.contains("materiality")) {
    GOODHART_RETURN_IF_ERROR(
        CheckEnum<MaterialityBasis>(j["materiality"], "basis", &MaterialityBasisName));
  }
  Flag f;
  try {
    auto get = [&](const char* key, auto& out) {
      if (j.contains(key) && !j[key].is_null()) {
        j[key].get_to(out);
      }
    };
    get("id", f.id);
    get("detector_id", f.detector_id);
    get("detector_version", f.detector_version);
    get("params_version", f.params_version);
    get("tier", f.tier);
    get("subject", f.subject);
    get("team", f.team);
    get("period", f.period);
    get("score", f.score);
    get("threshold", f.threshold);
    get("score_name", f.score_name);
    if (j.contains("z") && !j["z"].is_null()) {
      f.z = j["z"].get<double>();
    }
    if (j.contains("p_value") && !j["p_value"].is_null()) {
      f.p_value = j["p_value"].get<double>();
    }
    get("peer_group", f.peer_group);
    get("peer_n", f.peer_n);
    get("materiality", f.materiality);
    get("evidence", f.evidence);
    get("explanation", f.explanation);
    get("recommended_action", f.recommended_action);
    get("benign_explanations", f.benign_explanations);
    get("direct_evidence", f.direct_evidence);
    get("gate", f.gate);
    get("corroborated_by", f.corroborated_by);
    get("tier_passed", f.tier_passed);
    get("persistent_periods", f.persistent_periods);
    get("shown", f.shown);
    get("suppressed_reason", f.suppressed_reason);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(fmt::format("detect: flag json: {}", e.what()));
  }
  return f;
}

}  // namespace goodhart::detect
