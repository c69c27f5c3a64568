#!/bin/bash
# The report-at-scale benchmark on the ClickHouse store (issue #8; BENCHMARKS.md, "#8
# ClickHouse"): a private clickhouse-server 18.16 (bench/clickhouse/server.xml.in: own config,
# data directory and loopback ports) in DATA_DIR/ch; report_scale_gen writes SCALE x 100 M usage
# events, with DELIVERY_SCALE x (1 M changes, 100 k deployments), into it through the public Store
# API (once; later runs reuse the data); then `goodhart report` for the 90 days of run.sh is timed
# (/usr/bin/time -v: wall, CPU, peak RSS; and clickhouse-server's CPU from /proc/<pid>/stat),
# COLD_RUNS times cold (clickhouse-server restarted and its data files dropped from the page cache
# with posix_fadvise) and RUNS times warm, then report_phases (the loader's steps) once.
#
#   bench/report_scale/run_clickhouse.sh [SCALE]     SCALE 1 (default) or 0.01 / 0.1
# Environment: BUILD_DIR (default build/report-scale), DATA_DIR (default
# $BUILD_DIR/ch-SCALE-dDELIVERY_SCALE), DELIVERY_SCALE (default 0.01: the report over 100 M events
# is then bound by the usage side, not by issue #4's ND engine), SKIP_BUILD=1, RUNS (default 3),
# COLD_RUNS (default 2), REPORT_TIMEOUT (s, default 1800), MEM_LIMIT_GB (default 14),
# CH_HTTP_PORT / CH_TCP_PORT (default 28124 / 29001), GEN_ONLY=1 (stop after generating),
# KEEP_RUNNING=1 (leave the server up; `kill $(cat DATA_DIR/ch/pid)` stops it), REPORT_ARGS
# (added to `goodhart report`, e.g. "--team t0000": the org and one team). The data stays in
# DATA_DIR: remove it when done (100 M events take ~10 GB).
set -euo pipefail
SCALE=${1:-1}
DELIVERY_SCALE=${DELIVERY_SCALE:-0.01}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/report-scale}
DATA_DIR=${DATA_DIR:-$BUILD_DIR/ch-$SCALE-d$DELIVERY_SCALE}
RUNS=${RUNS:-3}
COLD_RUNS=${COLD_RUNS:-2}
REPORT_TIMEOUT=${REPORT_TIMEOUT:-1800}
MEM_LIMIT_GB=${MEM_LIMIT_GB:-14}
CH_HTTP=${CH_HTTP_PORT:-28124}
CH_TCP=${CH_TCP_PORT:-29001}
FROM=2026-10-01 TO=2026-12-29 AS_OF=2027-01-01T00:00:00Z  # as run.sh

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOODHART_BUILD_BENCH=ON \
    > /dev/null
  cmake --build "$BUILD_DIR" -j1 --target goodhart report_scale_gen report_phases
fi
GOODHART=$BUILD_DIR/goodhart/app/goodhart
BENCH=$BUILD_DIR/bench/report_scale
URL=http://127.0.0.1:$CH_HTTP
export GOODHART_STORE_KIND=clickhouse GOODHART_STORE_URL=$URL GOODHART_STORE_DATABASE=goodhart
server_bin=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
hz=$(getconf CLK_TCK)
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
ch=$DATA_DIR/ch
OUT=$DATA_DIR/results
mkdir -p "$ch"/{data,tmp,user_files,format_schemas} "$OUT"

cpu_of() { awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
ch_start() {
  sed -e "s#@DIR@#$ch#g" -e "s#@HTTP@#$CH_HTTP#g" -e "s#@TCP@#$CH_TCP#g" \
    "$ROOT/bench/clickhouse/server.xml.in" > "$ch/server.xml"
  cp "$ROOT/bench/clickhouse/users.xml" "$ch/users.xml"
  "$server_bin" --config-file="$ch/server.xml" < /dev/null > "$ch/stdout.log" 2>&1 &
  echo $! > "$ch/pid"
  until curl -sf "$URL/ping" > /dev/null; do
    kill -0 "$(cat "$ch/pid")" 2> /dev/null || { tail "$ch/server.err.log" >&2; exit 1; }
    sleep 0.05
  done
}
ch_stop() {
  local pid
  pid=$(cat "$ch/pid" 2> /dev/null) || return 0
  kill "$pid" 2> /dev/null || true
  while kill -0 "$pid" 2> /dev/null; do sleep 0.1; done
  rm -f "$ch/pid"
}
# Evicts the server's data files from the page cache (clean pages only; no root needed).
drop_cache() {
  python3 - "$ch/data" << 'PY'
import os, sys
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        try:
            fd = os.open(os.path.join(d, f), os.O_RDONLY)
        except OSError:
            continue
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
PY
}
[ -n "${KEEP_RUNNING:-}" ] || trap ch_stop EXIT
# `/usr/bin/time -v` output → "wall_s user_s sys_s peak_rss_mib"
time_of() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /User time/ { user = $2 } /System time/ { sys = $2 }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.2f %.2f %.2f %.0f", wall, user, sys, rss }' "$1"
}

ch_stop
ch_start
echo "clickhouse-server $(curl -sS "$URL/" --data-binary 'SELECT version()') on $URL, data in $ch"
if [ ! -f "$DATA_DIR/generated.json" ]; then
  curl -sS --fail "$URL/" --data-binary 'DROP DATABASE IF EXISTS goodhart' > /dev/null
  echo "generating scale $SCALE (delivery $DELIVERY_SCALE) into $URL"
  nice -n 10 /usr/bin/time -v "$BENCH/report_scale_gen" --out "$DATA_DIR" --scale "$SCALE" \
    --delivery-scale "$DELIVERY_SCALE" --store-url "$URL" --no-baseline \
    > "$DATA_DIR/generated.json.tmp" 2> >(tee "$DATA_DIR/generate.time" >&2)
  mv "$DATA_DIR/generated.json.tmp" "$DATA_DIR/generated.json"
fi
echo "data: $(cat "$DATA_DIR/generated.json")"
echo "clickhouse data: $(du -sh "$ch/data" | cut -f1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
# At 100 M events this fails under the 4 GB query memory cap of bench/clickhouse/users.xml
# (uniqExact over every event key): not part of the measurement.
timeout 600 "$GOODHART" store stats --data "$DATA_DIR/node" > "$DATA_DIR/stats.json" ||
  echo "goodhart store stats failed (see $ch/server.err.log)"
[ -z "${GEN_ONLY:-}" ] || exit 0

# shellcheck disable=SC2086  # REPORT_ARGS is a list of options
report() {  # $1: label
  local status=0 c0 c1
  c0=$(cpu_of "$(cat "$ch/pid")")
  /usr/bin/time -v timeout "$REPORT_TIMEOUT" prlimit --as=$((MEM_LIMIT_GB << 30)) \
    "$GOODHART" report --data "$DATA_DIR/node" --from $FROM --to $TO --as-of $AS_OF \
    --format json ${REPORT_ARGS:-} > "$OUT/report.json" 2> "$OUT/report.time" || status=$?
  c1=$(cpu_of "$(cat "$ch/pid")")
  echo "goodhart report, $1 (exit $status): wall_s user_s sys_s peak_rss_mib = $(time_of "$OUT/report.time");" \
    "clickhouse_cpu_s = $(python3 -c "print(round($c1 - $c0, 2))"); load $(cut -d' ' -f1 /proc/loadavg)"
}
for run in $(seq 1 "$COLD_RUNS"); do
  ch_stop
  drop_cache
  ch_start
  report "cold $run"
done
for run in $(seq 1 "$RUNS"); do
  report "warm $run"
done
python3 -c "
import json; r = json.load(open('$OUT/report.json'))
print('report org:', json.dumps({k: r[k] for k in list(r)[:6]})[:600])" || true
prlimit --as=$((MEM_LIMIT_GB << 30)) "$BENCH/report_phases" --store-url "$URL" \
  --from $FROM --to $TO --as-of $AS_OF | tee "$OUT/phases.txt" || true
