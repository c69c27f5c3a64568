// Fuzz target: an input as the directory YAML an operator imports (people, teams, services).
// Rejections must be clear (base/testing/fuzz_checks.h). docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/directory/directory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  goodhart::testing::RequireClearRejection(goodhart::directory::Directory::Parse(yaml).status(),
                                           "directory");
  return 0;
}
