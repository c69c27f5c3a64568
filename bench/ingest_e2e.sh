#!/usr/bin/env bash
# End-to-end OTLP/HTTP JSON ingest benchmark, goodhart vs ClickHouse's own JSONEachRow insert of the
# same events, in one run. goodhart serve and clickhouse-server are each pinned to CPU 1 (one core);
# the load generator runs on CPU 0. goodhart's store runs with synchronous=full (durable: every 200
# is fsynced). Usage: bench/ingest_e2e.sh [BODIES] [EVENTS_PER_BODY]   (defaults 300 x 1000)
# BUILD_DIR=build/other uses (and builds) an already configured build directory instead of the
# release preset; SKIP_BUILD=1 runs the binaries already built there; SKIP_CLICKHOUSE=1 skips the
# comparison. LOAD_ARGS is passed to otlp_load for both systems, e.g. LOAD_ARGS="--session-span 50"
# (diagnostic: 50 requests per session instead of the default new session per request).
# GRPC=1 sends goodhart the bodies over OTLP/gRPC (serve --grpc-listen; otlp_load --grpc).
set -euo pipefail
cd "$(dirname "$0")/.."
bodies=${1:-300}
events=${2:-1000}
build=${BUILD_DIR:-build/release}
if [[ -z ${BUILD_DIR:-} ]]; then
  cmake --preset release >/dev/null
fi
if [[ -z ${SKIP_BUILD:-} ]]; then
  cmake --build "$build" -j"$(nproc)" --target goodhart otlp_load >/dev/null
fi
bin=$build/goodhart/app/goodhart
load=$build/bench/otlp_load
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))

echo "== goodhart serve (CPU 1, synchronous=full), $bodies bodies x $events events, 2 connections"
grpc_args=() load_target=(--port $port)
if [[ -n ${GRPC:-} ]]; then
  grpc_args=(--grpc-listen 127.0.0.1:$((port + 3))) load_target=(--grpc --port $((port + 3)))
fi
GOODHART_STORE_SYNCHRONOUS=full taskset -c 1 "$bin" serve --data "$work/data" --listen 127.0.0.1:$port "${grpc_args[@]}" >"$work/serve.log" 2>&1 &
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
taskset -c 0 "$load" "${load_target[@]}" --bodies "$bodies" --events "$events" --connections 2 ${LOAD_ARGS:-} | tee "$work/goodhart.json"
curl -s "http://127.0.0.1:$port/api/v1/ingest/status" | python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps({\"otlp_logs\": d[\"receivers\"][\"otlp_logs\"], \"store\": d[\"store\"]}))"
kill %1; wait %1 || true

if [[ -n ${SKIP_CLICKHOUSE:-} ]]; then
  exit 0
fi
if ! command -v clickhouse-server >/dev/null; then
  echo "clickhouse-server is not installed (apt-get install clickhouse-server): skipping the comparison"
  exit 0
fi
echo "== clickhouse-server $(clickhouse-server --version 2>/dev/null | head -1) (CPU 1), JSONEachRow insert of the same events"
taskset -c 0 "$load" --bodies "$bodies" --events "$events" --jsoneachrow "$work/events.jsonl" ${LOAD_ARGS:-}
ch=$work/ch
mkdir -p "$ch"/{data,tmp,user_files,format_schemas}
chport=$((port + 1)); chtcp=$((port + 2))
sed -e "s#@DIR@#$ch#g" -e "s#@HTTP@#$chport#g" -e "s#@TCP@#$chtcp#g" bench/clickhouse/server.xml.in >"$ch/server.xml"
cp bench/clickhouse/users.xml "$ch/users.xml"
taskset -c 1 clickhouse-server --config-file="$ch/server.xml" >"$ch/stdout.log" 2>&1 &
until curl -sf "http://127.0.0.1:$chport/ping" >/dev/null; do sleep 0.05; done
q() { curl -sS --fail "http://127.0.0.1:$chport/" --data-binary "$1"; }
q "CREATE TABLE usage_events (event_key String, time_unix_ms UInt64, actor String, session_id String,
   model String, input_tokens UInt32, output_tokens UInt32, cache_read_tokens UInt32,
   cache_creation_tokens UInt32, cost_usd_micros UInt64, duration_ms UInt32, request_id String,
   tool String, query_source String) ENGINE = MergeTree ORDER BY (actor, time_unix_ms)"
bytes=$(stat -c %s "$work/events.jsonl")
start=$(date +%s.%N)
curl -sS --fail -T "$work/events.jsonl" "http://127.0.0.1:$chport/?query=INSERT%20INTO%20usage_events%20FORMAT%20JSONEachRow" >/dev/null
end=$(date +%s.%N)
rows=$(q "SELECT count() FROM usage_events")
python3 - "$start" "$end" "$rows" "$bytes" <<'PY'
import sys, json
start, end, rows, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = end - start
print(json.dumps({"clickhouse_rows": rows, "seconds": round(s, 3), "events_per_s": round(rows / s),
                  "mb_per_s_jsoneachrow": round(size / s / 1e6, 1)}))
PY
