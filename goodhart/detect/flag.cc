#include "goodhart/detect/flag.h"

#include <fmt/format.h>

#include "goodhart/base/hash.h"

namespace goodhart::detect {

std::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kA:
      return "A";
    case Tier::kB:
      return "B";
    case Tier::kInfo:
      return "info";
  }
  return "A";
}

std::string_view SubjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kPerson:
      return "person";
    case SubjectKind::kTeam:
      return "team";
    case SubjectKind::kService:
      return "service";
    case SubjectKind::kPipeline:
      return "pipeline";
  }
  return "person";
}

Result<SubjectKind> ParseSubjectKind(std::string_view name) {
  for (SubjectKind k :
       {SubjectKind::kPerson, SubjectKind::kTeam, SubjectKind::kService, SubjectKind::kPipeline}) {
    if (SubjectKindName(k) == name) {
      return k;
    }
  }
  return Status::InvalidArgument(fmt::format("detect: subject kind: unknown '{}'", name));
}

std::string_view MaterialityBasisName(MaterialityBasis basis) {
  switch (basis) {
    case MaterialityBasis::kNd:
      return "nd";
    case MaterialityBasis::kCost:
      return "cost";
    case MaterialityBasis::kDataIntegrity:
      return "data_integrity";
    case MaterialityBasis::kInformational:
      return "informational";
  }
  return "nd";
}

std::string FlagId(std::string_view detector_id, const Subject& subject, const Period& period) {
  Hasher128 h;
  h.AddField(detector_id);
  h.AddField(SubjectKindName(subject.kind));
  h.AddField(subject.id);
  h.AddField(std::to_string(period.from_unix_ms));
  h.AddField(std::to_string(period.to_unix_ms));
  return "f-" + h.FinishHex();
}

}  // namespace goodhart::detect
