// Reading test inputs: a module's own testdata/ and the shared third-party corpora.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace goodhart::testing {

inline std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "test: cannot open %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

#ifdef GOODHART_TESTDATA_DIR
inline std::filesystem::path TestdataPath(const std::string& name) {
  return std::filesystem::path(GOODHART_TESTDATA_DIR) / name;
}
inline std::string ReadTestdata(const std::string& name) {
  return ReadFileOrDie(TestdataPath(name));
}
#endif

#ifdef GOODHART_CORPORA_DIR
// Path below ../shared/corpora, e.g. CorpusPath("opentelemetry-proto/examples/logs.json").
inline std::filesystem::path CorpusPath(const std::string& relative) {
  return std::filesystem::path(GOODHART_CORPORA_DIR) / relative;
}
inline std::string ReadCorpus(const std::string& relative) {
  return ReadFileOrDie(CorpusPath(relative));
}
#endif

}  // namespace goodhart::testing
