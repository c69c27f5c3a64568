#!/bin/bash
# The report-at-scale benchmark of issue #4 (BENCHMARKS.md): builds (or reuses) a store of
# SCALE x (100 M usage events, 1 M changes, 100 k deployments, 10,000 people in 1,000 teams),
# times `goodhart report` for a 90-day org window (wall time, peak RSS via /usr/bin/time -v), the
# report's steps one by one (report_phases), and the same org numbers as plain SQL over raw tables
# in SQLite (baseline.sql), in the same run.
#
#   bench/report_scale/run.sh [SCALE]        SCALE 1 (default) or 0.01 for a smoke run
# Environment: BUILD_DIR (default build/report-scale), DATA_DIR (default $BUILD_DIR/data-SCALE),
# SKIP_BUILD=1 to use the binaries as built, REPORT_TIMEOUT (seconds, default 1800) per report run,
# RUNS (default 2) timed runs of each, PHASES_BUILD=1 to also time BuildReport in report_phases,
# MEM_LIMIT_GB (default 14) address-space cap of the goodhart processes, so a report that outgrows
# the machine fails alone instead of drawing the OOM killer onto other work.
set -euo pipefail
SCALE=${1:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/report-scale}
DATA_DIR=${DATA_DIR:-$BUILD_DIR/data-$SCALE}
REPORT_TIMEOUT=${REPORT_TIMEOUT:-1800}
RUNS=${RUNS:-2}
MEM_LIMIT_GB=${MEM_LIMIT_GB:-14}
FROM=2026-10-01 TO=2026-12-29 AS_OF=2027-01-01T00:00:00Z  # the generator's data ends 2026-12-31
FROM_MS=$(( $(date -u -d $FROM +%s) * 1000 ))
TO_MS=$(( ($(date -u -d $TO +%s) + 86400) * 1000 ))

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOODHART_BUILD_BENCH=ON \
    > /dev/null
  cmake --build "$BUILD_DIR" -j2 --target goodhart report_scale_gen report_phases
fi
GOODHART=$BUILD_DIR/goodhart/app/goodhart
BENCH=$BUILD_DIR/bench/report_scale

# `/usr/bin/time -v` output → "wall_s peak_rss_mib"
time_of() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.2f %.0f", wall, rss }' "$1"
}

if [ ! -f "$DATA_DIR/generated.json" ]; then
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  echo "generating scale $SCALE into $DATA_DIR"
  /usr/bin/time -v "$BENCH/report_scale_gen" --out "$DATA_DIR" --scale "$SCALE" \
    > "$DATA_DIR/generated.json.tmp" 2> >(tee "$DATA_DIR/generate.time" >&2)
  mv "$DATA_DIR/generated.json.tmp" "$DATA_DIR/generated.json"
fi
echo "data: $(cat "$DATA_DIR/generated.json")"
echo "store: $(du -sh "$DATA_DIR/store" | cut -f1), baseline: $(du -sh "$DATA_DIR/baseline.db" | cut -f1)"
# Opening applies any pending schema migration once, outside the timed runs.
"$GOODHART" store stats --data "$DATA_DIR/store" > "$DATA_DIR/stats.json"

OUT=$DATA_DIR/results
mkdir -p "$OUT"
for run in $(seq 1 "$RUNS"); do
  status=0
  /usr/bin/time -v timeout "$REPORT_TIMEOUT" \
    prlimit --as=$((MEM_LIMIT_GB << 30)) "$GOODHART" report --data "$DATA_DIR/store" \
    --from $FROM --to $TO --as-of $AS_OF --format json > "$OUT/report.json" \
    2> "$OUT/report.time" || status=$?
  if [ $status -eq 124 ]; then
    echo "goodhart report, run $run: did not finish in ${REPORT_TIMEOUT} s;" \
      "peak_rss_mib so far $(time_of "$OUT/report.time" | cut -d' ' -f2)"
  else
    echo "goodhart report, run $run (exit $status): wall_s peak_rss_mib = $(time_of "$OUT/report.time")"
    grep -E "User time|System time" "$OUT/report.time"
  fi
done

prlimit --as=$((MEM_LIMIT_GB << 30)) "$BENCH/report_phases" --data "$DATA_DIR/store" \
  --from $FROM --to $TO --as-of $AS_OF ${PHASES_BUILD:+--build} | tee "$OUT/phases.txt" || true

for run in $(seq 1 "$RUNS"); do
  { echo ".parameter set :from $FROM_MS"; echo ".parameter set :to $TO_MS"; \
    cat "$ROOT/bench/report_scale/baseline.sql"; } \
    | /usr/bin/time -v sqlite3 -readonly "$DATA_DIR/baseline.db" > "$OUT/baseline.txt" \
      2> "$OUT/baseline.time"
  echo "plain SQL baseline, run $run: wall_s peak_rss_mib = $(time_of "$OUT/baseline.time")"
done
cat "$OUT/baseline.txt"
