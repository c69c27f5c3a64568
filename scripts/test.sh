#!/usr/bin/env bash
# Builds goodhart and runs every test: format check, the AddressSanitizer+UBSan build with all
# unit and integration tests, then the ThreadSanitizer build for tests labelled `concurrency`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
# The builds need several GB (the ASan tree about 3 GB, ccache, the TSan targets): say how much
# there is, so that a build stopped by a full disk is recognised as such.
echo "== disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free here"

echo "== format"
git ls-files '*.h' '*.cc' | xargs clang-format --dry-run -Werror

echo "== asan+ubsan build and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
# The test labelled `sharding` (two ClickHouse shards, two goodhart nodes) runs alone
# (RUN_SERIAL): it starts two servers and two nodes of its own.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs"

echo "== tsan build, concurrency tests"
# Only the binaries holding tests labelled `concurrency` are built under TSan.
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs" --target store_embedded_concurrency_test \
  store_clickhouse_concurrency_test
"build/tsan/goodhart/store/embedded/store_embedded_concurrency_test"
# Run directly, it starts and removes a private clickhouse-server of its own (scripts/clickhouse.sh).
"build/tsan/goodhart/store/clickhouse/store_clickhouse_concurrency_test"
