// The main of a fuzz target built without libFuzzer (GOODHART_FUZZ off): runs the target's
// LLVMFuzzerTestOneInput once on every file named on the command line, or found below a named
// folder, in path order. ctest runs each target this way over its seed corpus and the inputs
// fuzzing once found (docs/fuzzing.md), so a crash found once stays fixed. Exits 1 when a path
// is missing or no input was found, so a wrong corpus path fails instead of passing empty.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> InputsBelow(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_regular_file(root)) {
    out.push_back(root);
    return out;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root = argv[i];
    std::error_code ec;
    if (!std::filesystem::exists(root, ec)) {
      std::fprintf(stderr, "fuzz_replay: %s: no such file or folder\n", argv[i]);
      return 1;
    }
    for (const auto& path : InputsBelow(root)) {
      std::ifstream in(path, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // A copy of exactly the input's size, so AddressSanitizer sees a read past its end; an
      // empty input still gets a valid pointer, as libFuzzer gives one.
      std::vector<uint8_t> data(bytes.begin(), bytes.end());
      data.reserve(1);
      LLVMFuzzerTestOneInput(data.data(), data.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "fuzz_replay: no inputs (usage: %s FILE_OR_FOLDER...)\n", argv[0]);
    return 1;
  }
  std::printf("fuzz_replay: %zu inputs, no failure\n", replayed);
  return 0;
}
