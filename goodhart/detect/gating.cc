#include "goodhart/detect/gating.h"

#include <fmt/format.h>

#include <algorithm>

#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

void SubjectRelations::Relate(const Subject& a, const Subject& b) {
  related_[a].insert(b);
  related_[b].insert(a);
}

bool SubjectRelations::Related(const Subject& a, const Subject& b) const {
  if (a == b) {
    return true;
  }
  auto it = related_.find(a);
  return it != related_.end() && it->second.count(b) > 0;
}

std::string_view DetectorFamily(std::string_view id) {
  while (!id.empty() && id.back() >= 'a' && id.back() <= 'z') {
    id.remove_suffix(1);
  }
  return id;
}

TierResult ApplyTierRules(const std::vector<DetectorRun>& runs, const SubjectRelations& relations,
                          const DetectParams& params) {
  TierResult out;
  std::vector<double> p_values;
  for (const auto& run : runs) {
    p_values.insert(p_values.end(), run.p_values.begin(), run.p_values.end());
  }
  out.tests = static_cast<int64_t>(p_values.size());
  out.bh_cutoff = BenjaminiHochbergCutoff(p_values, params.bh_q);
  const double p_max = UpperTailP(params.p_max_z);

  struct Item {
    const Candidate* c;
    bool significant;
    bool fires;  // counts as "fires" for corroborating others
  };
  std::vector<Item> items;
  for (const auto& run : runs) {
    for (const auto& c : run.candidates) {
      bool significant = !c.statistical || (c.flag.p_value && *c.flag.p_value <= out.bh_cutoff &&
                                            *c.flag.p_value <= p_max);
      bool fires = c.flag.tier != Tier::kInfo && significant;
      items.push_back({&c, significant, fires});
    }
    for (const auto& f : run.dropped) {
      out.failed.push_back(f);
    }
  }
  for (const auto& item : items) {
    Flag f = item.c->flag;
    for (const auto& other : items) {
      if (other.fires &&
          DetectorFamily(other.c->flag.detector_id) != DetectorFamily(f.detector_id) &&
          relations.Related(f.subject, other.c->flag.subject) &&
          std::find(f.corroborated_by.begin(), f.corroborated_by.end(),
                    other.c->flag.detector_id) == f.corroborated_by.end()) {
        f.corroborated_by.push_back(other.c->flag.detector_id);
      }
    }
    std::sort(f.corroborated_by.begin(), f.corroborated_by.end());
    if (f.tier == Tier::kA) {
      f.gate = "tier A";
    } else if (f.tier == Tier::kInfo) {
      f.gate = "informational";
    } else if (!item.significant) {
      f.suppressed_reason = fmt::format(
          "not significant: p = {:.2g} is above the Benjamini-Hochberg cutoff ({} Tier-B tests, "
          "q = {}) or above P(Z > {}) = {:.2g}",
          f.p_value.value_or(1), out.tests, params.bh_q, params.p_max_z, p_max);
    } else if (item.c->statistical && f.z && *f.z >= params.tier_b_alone_z) {
      f.gate = fmt::format("z >= {}", params.tier_b_alone_z);
    } else if (!f.corroborated_by.empty()) {
      f.gate = "corroborated by " + internal::JoinAnd(f.corroborated_by);
    } else {
      f.suppressed_reason =
          item.c->statistical
              ? fmt::format(
                    "Tier B without corroboration: z = {:.2f} is below {} and no other "
                    "detector fired for this subject in the period",
                    f.z.value_or(0), params.tier_b_alone_z)
              : "Tier B without corroboration: no other detector fired for this subject in the "
                "period";
    }
    if (f.suppressed_reason.empty()) {
      f.tier_passed = true;
      out.passed.push_back(std::move(f));
    } else {
      out.failed.push_back(std::move(f));
    }
  }
  return out;
}

void ApplyMateriality(Flag& flag, const DetectParams& params) {
  Materiality& m = flag.materiality;
  switch (m.basis) {
    case MaterialityBasis::kNd: {
      double share = m.subject_nd > 0 ? m.nd_effect / m.subject_nd : (m.nd_effect > 0 ? 1 : 0);
      m.material = m.nd_effect > 0 && share >= params.materiality_nd_share;
      m.reason = fmt::format("moves {} ND of {} ({}; shown from {})",
                             internal::Fixed(m.nd_effect, 2), internal::Fixed(m.subject_nd, 2),
                             internal::Pct(share), internal::Pct(params.materiality_nd_share));
      break;
    }
    case MaterialityBasis::kCost: {
      double share = m.subject_spend_micros > 0 ? static_cast<double>(m.cost_micros) /
                                                      static_cast<double>(m.subject_spend_micros)
                                                : 0;
      m.material = m.cost_micros > 0 && (share >= params.materiality_spend_share ||
                                         m.cost_micros >= params.materiality_cost_micros);
      m.reason = fmt::format("costs {} of {} AI spend ({}; shown from {} or {})",
                             internal::Usd(static_cast<double>(m.cost_micros)),
                             internal::Usd(static_cast<double>(m.subject_spend_micros)),
                             internal::Pct(share), internal::Pct(params.materiality_spend_share),
                             internal::Usd(static_cast<double>(params.materiality_cost_micros)));
      break;
    }
    case MaterialityBasis::kDataIntegrity:
      m.material = true;
      m.reason = "affects organisation-level numbers others rely on: always shown";
      break;
    case MaterialityBasis::kInformational:
      m.material = false;
      m.reason = "informational: logged only";
      break;
  }
  flag.shown = m.material;
}

}  // namespace goodhart::detect
