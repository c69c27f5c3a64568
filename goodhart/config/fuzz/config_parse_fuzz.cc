// Fuzz target: an input as goodhart's configuration file (--config), read as the CLI's runtime
// reads it: the file, Validate(), then its `nd:` and `detect:` parameter sections. Rejections
// must be clear (base/testing/fuzz_checks.h). docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/config/config.h"
#include "goodhart/detect/detect_params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using goodhart::testing::RequireClearRejection;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto config = goodhart::config::ParseConfig(yaml);
  RequireClearRejection(config.status(), "config");
  if (!config.ok()) {
    return 0;
  }
  RequireClearRejection(config->Validate(), "config");
  if (!config->nd_document.empty()) {
    RequireClearRejection(goodhart::analytics::nd::ParseNdParams(config->nd_document).status(),
                          "nd");
  }
  if (!config->detect_document.empty()) {
    RequireClearRejection(goodhart::detect::ParseDetectParams(config->detect_document).status(),
                          "detect");
  }
  return 0;
}
