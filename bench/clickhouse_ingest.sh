#!/usr/bin/env bash
# OTLP/HTTP JSON ingest into ClickHouse through goodhart, one node and two nodes, against
# ClickHouse's own JSONEachRow insert of the same events, in one run (issue #8; BENCHMARKS.md, "#8
# ClickHouse"). A private clickhouse-server 18.16 (own config, data directory and loopback ports),
# then, each case into a fresh database migrated by `goodhart store migrate`:
#   1node  one `goodhart serve` (store.kind clickhouse); otlp_load posts BODIES bodies of EVENTS
#          Claude Code api_request events over CONNECTIONS keep-alive connections;
#   2nodes two `goodhart serve` on two ports against the same database; otlp_load splits the same
#          bodies evenly (body i to node i % 2) over CONNECTIONS connections per node;
#   jsoneachrow  the same events as one JSONEachRow insert into a MergeTree table (as
#          bench/ingest_e2e.sh does).
# For each: events/s and MB/s (first request to last answer), CPU time (user + sys, from
# /proc/<pid>/stat) of the goodhart node(s) and of clickhouse-server over the case, and the stored
# count checked against the events sent (exactly once: FINAL count, distinct keys, rollup requests).
# Nothing is pinned: nodes, ClickHouse and the load generator share the machine's cores.
#
#   bench/clickhouse_ingest.sh [BODIES] [EVENTS_PER_BODY]      (defaults 200 x 1000)
# Environment: BUILD_DIR (default build/release; configured already), SKIP_BUILD=1 (use the
# binaries as built), CH_HTTP_PORT / CH_TCP_PORT (default 28123 / 29000), NODE_PORT (default
# 28200; the second node NODE_PORT+1), CONNECTIONS (per node, default 2), CASES (default
# "1node 2nodes jsoneachrow"), LOAD_ARGS (passed to otlp_load, e.g. "--session-span 50"),
# KEEP_DIR=DIR (keep the server's data and logs in DIR instead of a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
bodies=${1:-200}
events=${2:-1000}
build=${BUILD_DIR:-build/release}
ch_http=${CH_HTTP_PORT:-28123}
ch_tcp=${CH_TCP_PORT:-29000}
node_port=${NODE_PORT:-28200}
conns=${CONNECTIONS:-2}
cases=${CASES:-1node 2nodes jsoneachrow}
if [[ -z ${SKIP_BUILD:-} ]]; then
  cmake --build "$build" -j1 --target goodhart otlp_load >/dev/null
fi
bin=$build/goodhart/app/goodhart
load=$build/bench/otlp_load
server_bin=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
[[ -x $server_bin ]] || { echo "clickhouse-server is not installed" >&2; exit 1; }
for p in "$ch_http" "$ch_tcp" "$node_port" $((node_port + 1)); do
  if ss -Htln "sport = :$p" | grep -q .; then
    echo "port $p is in use (set CH_HTTP_PORT, CH_TCP_PORT, NODE_PORT)" >&2
    exit 1
  fi
done

if [[ -n ${KEEP_DIR:-} ]]; then
  mkdir -p "$KEEP_DIR"
  work=$(cd "$KEEP_DIR" && pwd)
else
  work=$(mktemp -d)
fi
ch_pid=""
node_pids=()
cleanup() {
  for p in "${node_pids[@]}" $ch_pid; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}" $ch_pid; do wait "$p" 2>/dev/null || true; done
  if [[ -z ${KEEP_DIR:-} ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)
# CPU seconds (user + sys) a process has used so far.
cpu_of() { awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
q() { curl -sS --fail "http://127.0.0.1:$ch_http/" --data-binary "$1"; }
results=$work/results.jsonl
: >"$results"

ch=$work/ch
mkdir -p "$ch"/{data,tmp,user_files,format_schemas}
sed -e "s#@DIR@#$ch#g" -e "s#@HTTP@#$ch_http#g" -e "s#@TCP@#$ch_tcp#g" \
  bench/clickhouse/server.xml.in >"$ch/server.xml"
cp bench/clickhouse/users.xml "$ch/users.xml"
"$server_bin" --config-file="$ch/server.xml" </dev/null >"$ch/stdout.log" 2>&1 &
ch_pid=$!
until curl -sf "http://127.0.0.1:$ch_http/ping" >/dev/null; do
  kill -0 "$ch_pid" 2>/dev/null || { tail "$ch/stdout.log" "$ch/server.err.log" >&2; exit 1; }
  sleep 0.05
done
echo "== clickhouse-server $(q "SELECT version()") pid $ch_pid on 127.0.0.1:$ch_http"
echo "== $bodies bodies x $events events, $conns connections per node, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Prints JSON of the stored counts of database $1: FINAL rows, raw rows, distinct keys, and the
# requests the rollups count.
stored() {
  local db=$1
  python3 - "$(q "SELECT count() FROM $db.usage_events FINAL")" \
    "$(q "SELECT count() FROM $db.usage_events")" \
    "$(q "SELECT uniqExact(event_key) FROM $db.usage_events")" \
    "$(q "SELECT sum(requests) FROM $db.usage_rollup FINAL")" <<'PY'
import json, sys
final, raw, keys, requests = (int(x) for x in sys.argv[1:5])
print(json.dumps({"stored_final": final, "stored_rows": raw, "distinct_keys": keys,
                  "rollup_requests": requests}))
PY
}

# goodhart case: $1 name, $2 database, $3 number of nodes.
run_goodhart() {
  local name=$1 db=$2 nodes=$3 i ports=() port_args=()
  local -a env=(GOODHART_STORE_KIND=clickhouse "GOODHART_STORE_URL=http://127.0.0.1:$ch_http"
                "GOODHART_STORE_DATABASE=$db")
  env "${env[@]}" "$bin" store migrate --data "$work/$name-migrate" >/dev/null
  node_pids=()
  for ((i = 0; i < nodes; i++)); do
    ports+=($((node_port + i)))
    port_args+=(--port $((node_port + i)))
    env "${env[@]}" "$bin" serve --data "$work/$name-node$i" --listen "127.0.0.1:${ports[i]}" \
      </dev/null >"$work/$name-node$i.log" 2>&1 &
    node_pids+=($!)
  done
  for p in "${ports[@]}"; do
    until curl -sf "http://127.0.0.1:$p/healthz" >/dev/null; do sleep 0.05; done
  done
  local ch0 n0=() n1=()
  ch0=$(cpu_of "$ch_pid")
  for p in "${node_pids[@]}"; do n0+=("$(cpu_of "$p")"); done
  local out
  # shellcheck disable=SC2086  # LOAD_ARGS is a list of options
  out=$("$load" "${port_args[@]}" --bodies "$bodies" --events "$events" \
    --connections $((conns * nodes)) ${LOAD_ARGS:-}) || true
  for p in "${node_pids[@]}"; do n1+=("$(cpu_of "$p")"); done
  local ch1 counts node_cpu=0
  ch1=$(cpu_of "$ch_pid")
  counts=$(stored "$db")
  for ((i = 0; i < nodes; i++)); do
    node_cpu=$(python3 -c "print(round($node_cpu + ${n1[i]} - ${n0[i]}, 2))")
  done
  for p in "${node_pids[@]}"; do kill "$p"; wait "$p" || true; done
  node_pids=()
  python3 - "$name" "$out" "$counts" "$node_cpu" "$ch0" "$ch1" >>"$results" <<'PY'
import json, sys
name, load, counts, node_cpu, ch0, ch1 = sys.argv[1:7]
r = {"case": name, **json.loads(load), **json.loads(counts), "node_cpu_s": float(node_cpu),
     "clickhouse_cpu_s": round(float(ch1) - float(ch0), 2)}
print(json.dumps(r))
PY
  tail -n 1 "$results"
}

run_jsoneachrow() {
  local db=jsoneachrow file=$work/events.jsonl
  # shellcheck disable=SC2086  # LOAD_ARGS is a list of options
  "$load" --bodies "$bodies" --events "$events" --jsoneachrow "$file" ${LOAD_ARGS:-}
  q "CREATE DATABASE IF NOT EXISTS $db"
  q "CREATE TABLE $db.usage_events (event_key String, time_unix_ms UInt64, actor String,
     session_id String, model String, input_tokens UInt32, output_tokens UInt32,
     cache_read_tokens UInt32, cache_creation_tokens UInt32, cost_usd_micros UInt64,
     duration_ms UInt32, request_id String, tool String, query_source String)
     ENGINE = MergeTree ORDER BY (actor, time_unix_ms)"
  local bytes ch0 ch1 start end rows
  bytes=$(stat -c %s "$file")
  ch0=$(cpu_of "$ch_pid")
  start=$(date +%s.%N)
  curl -sS --fail -T "$file" \
    "http://127.0.0.1:$ch_http/?query=INSERT%20INTO%20$db.usage_events%20FORMAT%20JSONEachRow" \
    >/dev/null
  end=$(date +%s.%N)
  ch1=$(cpu_of "$ch_pid")
  rows=$(q "SELECT count() FROM $db.usage_events")
  python3 - "$start" "$end" "$rows" "$bytes" "$ch0" "$ch1" "$((bodies * events))" \
    >>"$results" <<'PY'
import json, sys
start, end = float(sys.argv[1]), float(sys.argv[2])
rows, size, events = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[7])
s = end - start
print(json.dumps({"case": "jsoneachrow", "events": events, "bytes": size, "seconds": round(s, 3),
                  "events_per_s": round(rows / s), "mb_per_s": round(size / s / 1e6, 1),
                  "failures": 0, "stored_final": rows, "stored_rows": rows,
                  "distinct_keys": rows, "rollup_requests": None, "node_cpu_s": None,
                  "clickhouse_cpu_s": round(float(sys.argv[6]) - float(sys.argv[5]), 2)}))
PY
  tail -n 1 "$results"
  rm -f "$file"
}

for c in $cases; do
  case $c in
    1node) echo "== goodhart serve, 1 node"; run_goodhart 1node gh_1node 1 ;;
    2nodes) echo "== goodhart serve, 2 nodes, bodies split evenly"; run_goodhart 2nodes gh_2nodes 2 ;;
    jsoneachrow) echo "== clickhouse-server, JSONEachRow insert of the same events"; run_jsoneachrow ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done

echo "== summary (load average $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| case | events | events/s | MB/s (as sent) | s | goodhart CPU s | clickhouse CPU s "
      "| CPU µs/event (all servers) | stored (FINAL / rows / keys / rollup) | exactly once |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    cpu = (r["node_cpu_s"] or 0) + r["clickhouse_cpu_s"]
    rollup = r["rollup_requests"]
    once = (r["stored_final"] == r["events"] and r["distinct_keys"] == r["events"]
            and (rollup is None or rollup == r["events"]) and r.get("failures", 0) == 0)
    print(f"| {r['case']} | {r['events']:,} | {r['events_per_s']:,.0f} | {r['mb_per_s']} "
          f"| {r['seconds']} | {r['node_cpu_s'] if r['node_cpu_s'] is not None else '—'} "
          f"| {r['clickhouse_cpu_s']} | {cpu / r['events'] * 1e6:.1f} "
          f"| {r['stored_final']:,} / {r['stored_rows']:,} / {r['distinct_keys']:,} / "
          f"{'—' if rollup is None else format(rollup, ',')} | {'yes' if once else 'NO'} |")
PY
ok=$(python3 -c "
import json,sys
rows=[json.loads(l) for l in open('$results')]
print(all(r['stored_final']==r['events'] and r.get('failures',0)==0 for r in rows))")
[[ $ok == True ]]
