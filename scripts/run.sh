#!/usr/bin/env bash
# goodhart's demo, the README's main command: installs what it needs, builds goodhart, simulates an
# engineering organisation (honest engineers and a few gamers, `goodhart simulate --emit`), starts
# the server on 127.0.0.1 with the embedded store in ./goodhart-data (fresh each run), feeds the
# organisation through the real receivers (`goodhart replay`: the directory, Claude Code's OTLP
# bodies, signed GitHub webhooks) and `goodhart import-git`, runs detection for each four-week
# period, writes the Goodhart table, and leaves the server running with the report, the flags and
# the table reachable. Ctrl-C stops it.
#
# Environment: GOODHART_DATA_DIR (default ./goodhart-data; replaced each run, and only when it is
# empty or an earlier demo's), GOODHART_LISTEN (default 127.0.0.1:4318), GOODHART_DEMO_TEAMS and
# GOODHART_DEMO_ENGINEERS (the org, default 12 x 8), GOODHART_DEMO_SEED (default 11).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target goodhart
bin=$PWD/build/release/goodhart/app/goodhart
data=${GOODHART_DATA_DIR:-./goodhart-data}
listen=${GOODHART_LISTEN:-127.0.0.1:4318}
teams=${GOODHART_DEMO_TEAMS:-12}
engineers=${GOODHART_DEMO_ENGINEERS:-8}
seed=${GOODHART_DEMO_SEED:-11}
url=http://$listen
started=$(date +%s)

if curl -sf -o /dev/null "$url/healthz"; then
  echo "run: something already answers on $listen (an earlier demo?); stop it or set GOODHART_LISTEN" >&2
  exit 1
fi
# Fresh each run; never delete a directory this script did not make.
if [ -d "$data" ] && [ -n "$(ls -A "$data")" ] && [ ! -e "$data/.goodhart-demo" ]; then
  echo "run: $data holds data this demo did not make; set GOODHART_DATA_DIR to another folder" >&2
  exit 1
fi
rm -rf "$data"
mkdir -p "$data"
touch "$data/.goodhart-demo"
data=$(cd "$data" && pwd)
emitted=$data/emitted
config=$data/goodhart.yaml

# An admin API key for the demo and a webhook secret, in a generated config (only the key's
# SHA-256 is stored in it; the key is printed at the end).
keys=$("$bin" keys create --name demo --role admin)
key=$(sed -n 's/^API key for demo (admin): //p' <<<"$keys")
entry=$(grep 'key_sha256' <<<"$keys")
secret=$(openssl rand -hex 16)
cat >"$config" <<YAML
# Written by scripts/run.sh for the demo (docs/config.md has every setting).
data_dir: $data
server:
  listen: $listen
store:
  synchronous: normal   # the demo's store survives a crash of the process, not a power loss
webhooks:
  github_secret: "$secret"
access:
  api_keys:
$entry
YAML

echo "run: simulating $teams teams x $engineers engineers (seed $seed)"
"$bin" simulate --emit "$emitted" --teams "$teams" --engineers "$engineers" --seed "$seed" \
  --github-secret "$secret"

start_server() {
  "$bin" serve --config "$config" &
  server=$!
  until curl -sf -o /dev/null "$url/healthz"; do
    kill -0 $server 2>/dev/null || { echo "run: the server did not start" >&2; exit 1; }
    sleep 0.1
  done
}
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' INT TERM EXIT
start_server

"$bin" replay "$emitted" --url "$url" --api-key "$key"
# The org is dated January-April 2026 and the server keeps prompt sketches 30 days: its retention
# pass (every minute, and at start) deletes the replayed ones. Restart so that pass has run before
# detection, whatever the timing (docs/simulate.md).
kill $server && wait $server || true
start_server
for _ in $(seq 700); do
  sketches=$(curl -s "$url/api/v1/ingest/status" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["store"]["prompt_sketches"])')
  [ "$sketches" = 0 ] && break
  sleep 0.1
done
echo "run: import-git (the server keeps running on the same data directory)"
for repo in "$emitted"/git/*.git; do
  "$bin" import-git --config "$config" --repo "$repo"
done | awk '{ commits += $2 } END { printf "run: %d repositories, %d commits imported\n", NR, commits }'

calendar() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print($1)" "$emitted/manifest.json"; }
report_from=$(calendar 'm["calendar"]["report"]["from"]')
report_to=$(calendar 'm["calendar"]["report"]["to"]')
as_of=$(calendar 'm["calendar"]["as_of"]')
for end in $(calendar '" ".join(m["calendar"]["detect_period_ends"])'); do
  echo "run: goodhart detect --period-end $end: $("$bin" detect --config "$config" --period-end "$end" | head -1)"
done

# The Goodhart table on a reduced configuration (the full one: docs/simulate.md). Exit 1 means a
# pass criterion failed, which the table itself reports.
echo "run: the Goodhart table (6 teams x 8 engineers, 4 runs)"
"$bin" simulate --seeds 11 --runs 4 --teams 6 --engineers 8 --format json \
  --out "$data/goodhart-table.json" || [ $? -eq 1 ]
gamers=$(calendar '", ".join(g["person"] + " " + g["name"] for g in m["gamers"])')
elapsed=$(($(date +%s) - started))

cat <<TXT

goodhart is running on $url with its store in $data  (demo ready in ${elapsed} s after the build)
The simulated org: $teams teams x $engineers engineers, Jan-Apr 2026; gamers (the answer key): $gamers.

  API key (admin):  $key
  dashboard:        $url/
  report (CLI):     $bin report --config $config --from $report_from --to $report_to --as-of $as_of --people
  report (API):     curl -s -H "Authorization: Bearer $key" "$url/api/v1/report?from=$report_from&to=$report_to&as_of=$as_of&people=true"
  flags (CLI):      $bin flags list --config $config --all
  flags (API):      curl -s -H "Authorization: Bearer $key" $url/api/v1/flags
  Goodhart table:   curl -s -H "Authorization: Bearer $key" $url/api/v1/goodhart-table   (the file: $data/goodhart-table.json)
  ingest status:    curl -s $url/api/v1/ingest/status
  health:           curl -s $url/healthz
  what was sent:    $emitted (manifest.json; docs/simulate.md explains the layout)
  point Claude Code at it:
    CLAUDE_CODE_ENABLE_TELEMETRY=1 OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp \\
    OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=$url claude
  ingest report files:  $bin ingest --config $config FILE...   (stop the server first, or use another --data)
Press Ctrl-C to stop.
TXT
wait $server
