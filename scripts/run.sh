#!/usr/bin/env bash
# goodhart's main job on the embedded default: installs what it needs, builds, starts the server on
# 127.0.0.1 with the embedded store, feeds it the bundled sample telemetry through its real OTLP
# receiver, and leaves it running. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target goodhart
bin=build/release/goodhart/app/goodhart
data=${GOODHART_DATA_DIR:-./goodhart-data}
listen=${GOODHART_LISTEN:-127.0.0.1:4318}

"$bin" serve --data "$data" --listen "$listen" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' INT TERM EXIT
until curl -sf "http://$listen/healthz" >/dev/null; do
  kill -0 $server 2>/dev/null || { echo "run: the server did not start" >&2; exit 1; }
  sleep 0.1
done
for f in examples/otlp/*.json; do
  case "$f" in
    *metrics*) path=/v1/metrics ;;
    *traces*) path=/v1/traces ;;
    *) path=/v1/logs ;;
  esac
  printf 'run: POST %s %s -> ' "$path" "$f"
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
    --data-binary @"$f" "http://$listen$path"
done
cat <<TXT

goodhart is running on http://$listen with its store in $data
  ingest status:   curl -s http://$listen/api/v1/ingest/status
  health:          curl -s http://$listen/healthz
  point Claude Code at it:
    CLAUDE_CODE_ENABLE_TELEMETRY=1 OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp \\
    OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=http://$listen claude
  ingest report files:  $bin ingest --data $data FILE...   (stop the server first, or use another --data)
Press Ctrl-C to stop.
TXT
wait $server
