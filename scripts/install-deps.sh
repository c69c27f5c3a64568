#!/usr/bin/env bash
# Installs every Debian package goodhart builds, tests and benchmarks with, and the dashboard's
# npm packages (web/package-lock.json; Node.js and npm build it, Chromium runs its browser test).
# clickhouse-server (18.16) runs the ClickHouse store's tests: scripts/clickhouse.sh starts a
# private one for them; nothing starts on install. Idempotent.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format git curl python3
  libsimdjson-dev nlohmann-json3-dev libcpp-httplib-dev libsqlite3-dev sqlite3
  libfmt-dev libcli11-dev libyaml-cpp-dev libxxhash-dev libssl-dev zlib1g-dev libmimalloc-dev libgrpc++-dev
  libgtest-dev libgmock-dev libbenchmark-dev libprotobuf-dev protobuf-compiler openssl chromium fonts-dejavu-core
  clickhouse-server
)
# Node.js may come from elsewhere (NodeSource bundles npm); Debian's packages only when missing.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The dashboard's front-end libraries, exactly as locked (web/package-lock.json).
web=$(cd "$(dirname "$0")/../web" && pwd)
if [ ! -f "$web/node_modules/.package-lock.json" ] ||
   [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in web/"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
