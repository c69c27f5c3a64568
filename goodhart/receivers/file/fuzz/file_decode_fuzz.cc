// Fuzz target: every input through format detection and through the decoder of every file
// format. Rejections must be clear and every kept usage event valid, as DecodeFile promises
// (base/testing/fuzz_checks.h). docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/receivers/file/file_format.h"

namespace {

namespace file = goodhart::receivers::file;

void Check(file::FileFormat format, std::string_view content) {
  auto decoded = file::DecodeFile(format, content);
  goodhart::testing::RequireClearRejection(decoded.status());
  if (decoded.ok()) {
    goodhart::testing::RequireValid(decoded->batch.usage, "a decoded usage event is invalid");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)file::DetectFormat("upload.json", content);
  (void)file::DetectFormat("upload.csv", content);
  for (int f = 0; f <= static_cast<int>(file::FileFormat::kUnknown); ++f) {
    Check(static_cast<file::FileFormat>(f), content);
  }
  return 0;
}
