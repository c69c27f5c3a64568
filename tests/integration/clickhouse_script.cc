#include "tests/integration/clickhouse_script.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace goodhart::testing {

bool ClickHouseServerInstalled() {
  for (const char* dir : {"/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}) {
    if (::access((std::string(dir) + "/clickhouse-server").c_str(), X_OK) == 0)
      return true;
  }
  return std::system("command -v clickhouse-server >/dev/null 2>&1") == 0;
}

int ClickHouseScript(const std::string& cmd, const std::string& dir, std::string* out) {
  std::string command =
      fmt::format("env -u GOODHART_TEST_CLICKHOUSE_URL '{}/scripts/clickhouse.sh' {} '{}' 2>&1",
                  GOODHART_SOURCE_DIR, cmd, dir);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return -1;
  char buffer[512];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out->append(buffer, n);
  return ::pclose(pipe);
}

}  // namespace goodhart::testing
