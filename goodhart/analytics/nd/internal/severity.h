// Incident severity as a number, 1 = worst: "Sev1", "SEV-2", "sev 3", "S2", "P1" (PagerDuty and
// Opsgenie priorities), a bare "2", or a word: critical 1, high/major 2, medium/moderate 3,
// low/minor 4, info 5. 0 when it cannot be read.
#pragma once

#include <string>
#include <string_view>

#include "goodhart/analytics/nd/internal/strings.h"

namespace goodhart::analytics::nd::internal {

inline int SeverityLevel(std::string_view severity) {
  std::string s;
  for (char c : Lower(severity)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      s.push_back(c);
  }
  if (s == "critical")
    return 1;
  if (s == "high" || s == "major")
    return 2;
  if (s == "medium" || s == "moderate")
    return 3;
  if (s == "low" || s == "minor")
    return 4;
  if (s == "info" || s == "informational")
    return 5;
  for (std::string_view prefix : {"severity", "sev", "s", "p", ""}) {
    if (s.size() > prefix.size() && s.starts_with(prefix)) {
      std::string_view digits = std::string_view(s).substr(prefix.size());
      if (digits.size() == 1 && digits[0] >= '0' && digits[0] <= '9')
        return digits[0] == '0' ? 1 : digits[0] - '0';  // "P0" / "Sev0": the worst there is
    }
  }
  return 0;
}

}  // namespace goodhart::analytics::nd::internal
