// The private ClickHouse servers of the integration tests that start their own
// (scripts/clickhouse.sh), whatever server the other ClickHouse tests are pointed at.
#pragma once

#include <string>

namespace goodhart::testing {

// Whether Debian's clickhouse-server is installed (the tests skip, saying so, when it is not).
bool ClickHouseServerInstalled();

// Runs `scripts/clickhouse.sh CMD DIR` without GOODHART_TEST_CLICKHOUSE_URL (with it, the script's
// start and stop do nothing); appends its output to `out`; returns its exit status.
int ClickHouseScript(const std::string& cmd, const std::string& dir, std::string* out);

}  // namespace goodhart::testing
