// Incident severity as a number, 1 = worst (see internal/severity.h for the forms read); 0 when it
// cannot be read. Public for the detectors, which compare an incident's first and later severity.
#pragma once

#include "goodhart/analytics/nd/internal/severity.h"

namespace goodhart::analytics::nd {

using internal::SeverityLevel;

}  // namespace goodhart::analytics::nd
