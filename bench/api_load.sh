#!/usr/bin/env bash
# The dashboard's API under load with ingest running (issue #7's figure, BENCHMARKS.md): seeds a
# server with the simulator's organisation the way the demo does (simulate --emit, replay,
# import-git, detect per period), then, while otlp_load posts Claude Code OTLP bodies at a steady
# rate, wrk requests the API calls the dashboard's pages make (bench/api_load/dashboard.lua: the
# overview's report and its five trend windows, each team's report and delivery, costs, flags,
# whoami) with an admin key and then with an analyst key. Prints wrk's JSON line per role and the
# ingest achieved meanwhile. The server runs on CPU 1, wrk and the ingest client on CPU 0
# (NO_PIN=1: all share the machine, and wrk's own scheduling delays show up as latency).
#
# Usage: bench/api_load.sh
# Environment: BUILD_DIR (default build/release, configured with the release preset), SKIP_BUILD=1,
# TEAMS and ENGINEERS (the org, default 12 x 8), DURATION (per role, default 30s), CONNECTIONS
# (wrk, default 8), THREADS (wrk, default 1), ROLES (default "admin analyst", in that order),
# INGEST_RATE (OTLP bodies per second, default 20), INGEST_EVENTS (api_request records per body,
# default 100), CACHE_MAX_STALE_MS (server.cache_max_stale_ms, default 5000), ACCESS_LOG=true with
# KEEP_LOG=FILE keeps the server's access log (one JSON line per request), SERVER_THREADS
# (server.threads, default 64: cpp-httplib keeps a thread per open keep-alive connection). With
# iproute2's nstat it also prints the machine's TCP listen overflows, SYN retransmits and
# retransmit timeouts during each role's run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
teams=${TEAMS:-12}
engineers=${ENGINEERS:-8}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-1}
ingest_rate=${INGEST_RATE:-20}
ingest_events=${INGEST_EVENTS:-100}
max_stale=${CACHE_MAX_STALE_MS:-5000}
server_threads=${SERVER_THREADS:-64}
server_cpus="" client_cpus=""
if [[ -z ${NO_PIN:-} && $(nproc) -ge 2 ]]; then
  server_cpus="taskset -c 1" client_cpus="taskset -c 0"
fi
command -v wrk >/dev/null || { echo "api_load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
if [[ -z ${BUILD_DIR:-} ]]; then
  cmake --preset release >/dev/null
fi
if [[ -z ${SKIP_BUILD:-} ]]; then
  cmake --build "$build" -j"$(nproc)" --target goodhart otlp_load >/dev/null
fi
bin=$PWD/$build/goodhart/app/goodhart
load=$PWD/$build/bench/otlp_load
lua=$PWD/bench/api_load/dashboard.lua
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [[ -n ${KEEP_LOG:-} ]] && cp "$work/serve.log" "$KEEP_LOG"; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
url=http://127.0.0.1:$port

new_key() {  # name role -> "KEY<TAB>config entry"
  local out
  out=$("$bin" keys create --name "$1" --role "$2")
  printf '%s\t%s\n' "$(sed -n "s/^API key for $1 ($2): //p" <<<"$out")" "$(grep key_sha256 <<<"$out")"
}
IFS=$'\t' read -r admin_key admin_entry < <(new_key bench-admin admin)
IFS=$'\t' read -r analyst_key analyst_entry < <(new_key bench-analyst analyst)
secret=$(openssl rand -hex 16)
cat >"$work/goodhart.yaml" <<YAML
data_dir: $work/data
server:
  listen: 127.0.0.1:$port
  threads: $server_threads
  cache_max_stale_ms: $max_stale
  access_log: ${ACCESS_LOG:-false}
webhooks:
  github_secret: "$secret"
access:
  api_keys:
$admin_entry
$analyst_entry
YAML

echo "== seeding: simulate --emit $teams x $engineers, replay, import-git, detect"
"$bin" simulate --emit "$work/emitted" --teams "$teams" --engineers "$engineers" --seed 11 \
  --github-secret "$secret" >/dev/null
$server_cpus "$bin" serve --config "$work/goodhart.yaml" >"$work/serve.log" 2>&1 &
until curl -sf -o /dev/null "$url/healthz"; do sleep 0.1; done
"$bin" replay "$work/emitted" --url "$url" --api-key "$admin_key" >/dev/null
for repo in "$work"/emitted/git/*.git; do
  "$bin" import-git --config "$work/goodhart.yaml" --repo "$repo" >/dev/null
done
manifest() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print($1)" "$work/emitted/manifest.json"; }
for end in $(manifest '" ".join(m["calendar"]["detect_period_ends"])'); do
  "$bin" detect --config "$work/goodhart.yaml" --period-end "$end" >/dev/null
done

# The dashboard's calls for the report period: the overview (the period and its five trend
# windows of the same length before it), each team's page, costs, flags, whoami.
from=$(manifest 'm["calendar"]["report"]["from"]')
to=$(manifest 'm["calendar"]["report"]["to"]')
python3 - "$from" "$to" "$work/emitted/directory.yaml" >"$work/paths" <<'PY'
import datetime as dt, re, sys
start, end = (dt.date.fromisoformat(d) for d in sys.argv[1:3])
length = end - start + dt.timedelta(days=1)
teams, section = [], ""
for line in open(sys.argv[3]):
    if not line.startswith(" "):
        section = line.strip()
    elif section == "teams:":
        teams += re.findall(r"^\s*-\s*\{\s*id:\s*([A-Za-z0-9._-]+)", line)
paths = ["/api/v1/whoami", "/api/v1/flags", f"/api/v1/costs?from={start}&to={end}"]
for i in range(6):
    f, t = start - i * length, end - i * length
    paths.append(f"/api/v1/report?from={f}&to={t}")
for team in teams:
    paths.append(f"/api/v1/report?from={start}&to={end}&team={team}")
    paths.append(f"/api/v1/teams/{team}/delivery?from={start}&to={end}")
print("\n".join(paths))
PY
echo "== $(wc -l <"$work/paths") dashboard paths; warming the cache (one request each)"
while read -r path; do
  for key in "$admin_key" "$analyst_key"; do
    curl -sf -o /dev/null -H "Authorization: Bearer $key" "$url$path" ||
      { echo "api_load: $path failed" >&2; exit 1; }
  done
done <"$work/paths"
for key in "$admin_key" "$analyst_key"; do
  printf '   answer sizes (%s): %s\n' "$([[ $key == "$admin_key" ]] && echo admin || echo analyst)" "$(
    while read -r path; do
      curl -s -o /dev/null -w '%{size_download} ' -H "Authorization: Bearer $key" "$url$path"
    done <"$work/paths")"
done

seconds=${duration%s}
for role in ${ROLES:-admin analyst}; do
  key=$admin_key
  [[ $role == analyst ]] && key=$analyst_key
  first=$((1000000000 + RANDOM * 100000))
  bodies=$(((seconds + 5) * ingest_rate))
  $client_cpus "$load" --port "$port" --rate "$ingest_rate" --bodies "$bodies" --events "$ingest_events" \
    --connections 1 --first "$first" >"$work/ingest.json" &
  ingest=$!
  echo "== $role: wrk -t$threads -c$connections -d$duration while ingesting $ingest_rate bodies/s x $ingest_events events"
  nstat -n >/dev/null 2>&1 || true
  PATHS_FILE=$work/paths API_KEY=$key $client_cpus wrk -t"$threads" -c"$connections" -d"$duration" \
    -s "$lua" "$url" | tail -1 | sed "s/^{/{\"role\":\"$role\",/"
  wait $ingest || true
  echo "   ingest meanwhile: $(cat "$work/ingest.json")"
  # Handshakes dropped by a full accept queue cost the client a second each (SYN-ACK retransmit).
  if command -v nstat >/dev/null; then
    echo "   tcp meanwhile (whole machine): $(nstat -z TcpExtListenOverflows TcpExtTCPSynRetrans \
      TcpExtTCPTimeouts 2>/dev/null | awk '/^Tcp/ {printf "%s=%s ", $1, $2}')"
  fi
done
curl -s "$url/metrics" | grep -E '^goodhart_http_request_duration_seconds_count' | head -20 >"$work/metrics"
echo "== server stats: $(curl -s "$url/api/v1/ingest/status" | python3 -c 'import json,sys; s=json.load(sys.stdin)["store"]; print(json.dumps({k: s[k] for k in ("usage_events", "commits", "changes", "deployments")}))')"
