#!/usr/bin/env bash
# Runs a private ClickHouse server (Debian's clickhouse-server 18.16) for tests and local use:
# its own config, data directory and port, on 127.0.0.1 only. Nothing outside DIR is touched.
#
#   scripts/clickhouse.sh start DIR [PORT]   # a fresh server; PORT omitted or 0: a free port
#   scripts/clickhouse.sh stop DIR           # SIGTERM by PID, SIGKILL after 30 s; keeps the data
#   scripts/clickhouse.sh restart DIR        # starts a stopped server again: same port, same data
#   scripts/clickhouse.sh purge DIR          # stop, and delete the data
#   scripts/clickhouse.sh url DIR            # prints http://127.0.0.1:PORT of a running server
#
# `start` writes DIR/config.xml, DIR/users.xml, DIR/pid and DIR/url, waits until /ping answers and
# prints the URL. Users: `default` (no password) and `goodhart_auth` (password `goodhart-auth`,
# for the tests of authenticated access), both from 127.0.0.1 and ::1 only.
#
# With GOODHART_TEST_CLICKHOUSE_URL set, `start` and `stop` do nothing (the tests use that
# server), and without clickhouse-server installed they only say so: the tests then skip.
#
# A cluster of shards on this machine, one server per shard (for the sharding tests and
# goodhart/store/clickhouse/README.md, "Sharding"):
#
#   scripts/clickhouse.sh start-cluster DIR [SHARDS]  # SHARDS (default 2) fresh servers DIR/shard1..N
#   scripts/clickhouse.sh stop-cluster DIR            # stops them all; keeps the data
#   scripts/clickhouse.sh purge-cluster DIR           # stops them all and deletes the data
#
# Each shard gets a free HTTP and TCP port and the same <remote_servers> entry, the cluster
# `goodhart_cluster` of all the shards (one replica each, by TCP port). `start-cluster` writes
# DIR/urls (the shards' HTTP URLs in shard order, one a line), DIR/url (shard 1's) and
# DIR/cluster (the cluster's name), and prints the URLs. It ignores GOODHART_TEST_CLICKHOUSE_URL.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR | restart DIR | purge DIR | url DIR" >&2
  echo "       $0 start-cluster DIR [SHARDS] | stop-cluster DIR | purge-cluster DIR" >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
port=${3:-0}

server_bin=$(command -v clickhouse-server || true)
# Debian installs it in /usr/sbin, which a non-root PATH may lack.
[ -n "$server_bin" ] || [ ! -x /usr/sbin/clickhouse-server ] || server_bin=/usr/sbin/clickhouse-server

# Set by start-cluster only: the shard's TCP port and the <remote_servers> element.
tcp_port_xml=""
cluster_xml=""

write_config() {
  local d=$1 p=$2
  mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/format_schemas" "$d/log"
  cat >"$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/log/server.log</log>
    <errorlog>$d/log/server.err.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$p</http_port>$tcp_port_xml
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <format_schema_path>$d/format_schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <!-- Shorter than the default 3 s, so the tests see idle connections closed under the client. -->
  <keep_alive_timeout>1</keep_alive_timeout>
  <max_server_memory_usage>0</max_server_memory_usage>$cluster_xml
</yandex>
EOF
  cat >"$d/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <goodhart_auth>
      <password>goodhart-auth</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </goodhart_auth>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
EOF
}

# A port nothing listens on, from a range clear of the usual services. Without ss (iproute2) any
# port of the range is tried: start() retries on another one when the bind fails.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if ! command -v ss >/dev/null || ! ss -Htln "sport = :$p" | grep -q .; then
      echo "$p"
      return 0
    fi
  done
  echo "clickhouse.sh: no free port found" >&2
  return 1
}

running_pid() {
  local pid
  [ -f "$dir/pid" ] || return 1
  pid=$(cat "$dir/pid")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

start() {
  if [ -n "${GOODHART_TEST_CLICKHOUSE_URL:-}" ]; then
    echo "clickhouse.sh: GOODHART_TEST_CLICKHOUSE_URL is set; not starting a server"
    return 0
  fi
  if [ -z "$server_bin" ]; then
    echo "clickhouse.sh: clickhouse-server is not installed (scripts/install-deps.sh installs it)"
    return 0
  fi
  if pid=$(running_pid); then
    echo "clickhouse.sh: already running (pid $pid) at $(cat "$dir/url")" >&2
    return 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local fresh=$1
  if [ "$fresh" = 1 ]; then
    rm -rf "$dir/data" "$dir/tmp" "$dir/port"
  elif [ -f "$dir/port" ]; then
    port=$(cat "$dir/port")
  else
    echo "clickhouse.sh: nothing to restart in $dir" >&2
    return 1
  fi
  rm -f "$dir/url" "$dir/pid"
  local attempt p
  for attempt in 1 2 3 4 5; do
    p=$port
    [ "$p" != 0 ] || p=$(free_port)
    write_config "$dir" "$p"
    echo "$p" >"$dir/port"
    # A simple statement of its own, so $! is the server's PID (environment.md §2.6, pitfall 7).
    # No file descriptor of ours is inherited: a ctest fixture would otherwise wait for the server.
    "$server_bin" --config-file="$dir/config.xml" </dev/null >"$dir/log/stdout.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/pid"
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
      if curl -fsS -m 2 "http://127.0.0.1:$p/ping" >/dev/null 2>&1; then
        echo "http://127.0.0.1:$p" >"$dir/url"
        echo "http://127.0.0.1:$p"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "clickhouse.sh: no answer on port $p within 60 s" >&2
    fi
    wait "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
    # Another process may have taken the port between the check and the bind: try another one.
    if [ "$port" = 0 ] && grep -qs "Address already in use" "$dir/log/server.err.log" \
        "$dir/log/stdout.log"; then
      echo "clickhouse.sh: port $p was taken (attempt $attempt); trying another" >&2
      continue
    fi
    break
  done
  echo "clickhouse.sh: the server did not start; last lines of its logs:" >&2
  tail -n 20 "$dir/log/server.err.log" "$dir/log/stdout.log" >&2 2>/dev/null || true
  return 1
}

stop() {
  if [ -n "${GOODHART_TEST_CLICKHOUSE_URL:-}" ]; then
    return 0
  fi
  local pid
  if pid=$(running_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "clickhouse.sh: pid $pid still running after 30 s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/pid" "$dir/url"
}

start_cluster() {
  local shards=$port
  [ "$shards" != 0 ] || shards=2
  if [ -z "$server_bin" ]; then
    echo "clickhouse.sh: clickhouse-server is not installed (scripts/install-deps.sh installs it)"
    return 0
  fi
  mkdir -p "$dir"
  local root
  root=$(cd "$dir" && pwd)
  local -a http tcp
  local used i p attempt started
  # The ports are chosen before any shard starts (every shard's config names them all), so another
  # process may take one before its shard binds it: then the whole cluster starts again on new ports.
  for attempt in 1 2 3 4 5; do
    used=" "
    for i in $(seq 1 "$shards"); do
      for kind in http tcp; do
        p=$(free_port)
        while [[ "$used" == *" $p "* ]]; do p=$(free_port); done
        used="$used$p "
        if [ "$kind" = http ]; then http[$i]=$p; else tcp[$i]=$p; fi
      done
    done
    cluster_xml=$'\n  <remote_servers>\n    <goodhart_cluster>'
    for i in $(seq 1 "$shards"); do
      cluster_xml+=$'\n      <shard><replica><host>127.0.0.1</host><port>'"${tcp[$i]}"'</port></replica></shard>'
    done
    cluster_xml+=$'\n    </goodhart_cluster>\n  </remote_servers>'
    rm -f "$root/urls" "$root/url"
    started=1
    for i in $(seq 1 "$shards"); do
      tcp_port_xml=$'\n  <tcp_port>'"${tcp[$i]}"'</tcp_port>'
      dir="$root/shard$i"
      port=${http[$i]}
      if ! start 1 >/dev/null; then
        started=0
        break
      fi
      cat "$dir/url" >>"$root/urls"
    done
    dir=$root
    [ "$started" = 0 ] || break
    each_shard stop
    if ! grep -qs "Address already in use" "$root/shard$i/log/server.err.log" \
        "$root/shard$i/log/stdout.log"; then
      return 1
    fi
    echo "clickhouse.sh: a cluster port was taken (attempt $attempt); trying other ports" >&2
  done
  [ "$started" = 1 ] || return 1
  head -n 1 "$root/urls" >"$root/url"
  echo goodhart_cluster >"$root/cluster"
  cat "$root/urls"
}

each_shard() {
  local root=$dir d
  for d in "$root"/shard*; do
    [ -d "$d" ] || continue
    dir=$d
    "$@"
  done
  dir=$root
}

case "$cmd" in
  start-cluster)
    unset GOODHART_TEST_CLICKHOUSE_URL
    start_cluster
    ;;
  stop-cluster)
    unset GOODHART_TEST_CLICKHOUSE_URL
    each_shard stop
    rm -f "$dir/urls" "$dir/url"
    ;;
  purge-cluster)
    unset GOODHART_TEST_CLICKHOUSE_URL
    each_shard stop
    for d in "$dir"/shard*; do rm -rf "$d/data" "$d/tmp" "$d/port"; done
    rm -f "$dir/urls" "$dir/url" "$dir/cluster"
    ;;
  start) start 1 ;;
  restart) start 0 ;;
  stop) stop ;;
  purge)
    stop
    [ -n "${GOODHART_TEST_CLICKHOUSE_URL:-}" ] || rm -rf "$dir/data" "$dir/tmp" "$dir/port"
    ;;
  url)
    running_pid >/dev/null || { echo "clickhouse.sh: not running in $dir" >&2; exit 1; }
    cat "$dir/url"
    ;;
  *) usage ;;
esac
