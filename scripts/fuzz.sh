#!/usr/bin/env bash
# Fuzzes goodhart's input decoders with libFuzzer (docs/fuzzing.md).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds the fuzz targets with clang, AddressSanitizer and UBSan into build/fuzz, then runs each
# TARGET (default: all) for SECONDS (default 60) on one core, starting from its seed inputs.
# What a run learns is kept in build/fuzz/corpus/TARGET; a crash or a failed check is written
# to build/fuzz/crashes/TARGET/ and the script exits 1. Copy such a file into the target's
# folder of found inputs (fuzz/TARGET/ beside its source) once it is fixed: ctest replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi

# The build's packages, then clang with libFuzzer (Debian 12: clang-14, libclang-rt-14-dev).
scripts/install-deps.sh
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

CC=clang-14 CXX=clang++-14 cmake -G Ninja -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DGOODHART_FUZZ=ON -DGOODHART_SANITIZE=address,undefined \
  -DGOODHART_BUILD_TESTS=OFF -DGOODHART_BUILD_BENCH=OFF -DGOODHART_WEB=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for seeds in build/fuzz/fuzzers/*.seeds; do
    targets+=("$(basename "$seeds" .seeds)")
  done
fi
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]}"

failed=0
for target in "${targets[@]}"; do
  mapfile -t lines < "build/fuzz/fuzzers/$target.seeds"
  binary=${lines[0]}
  corpus=build/fuzz/corpus/$target
  crashes=build/fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  # libFuzzer reads folders only: single seed files go into one folder of their own, numbered
  # so that two seeds with one name (two directory.yaml) both stay.
  seeds=()
  rm -rf "build/fuzz/seed-files/$target"
  n=0
  for path in "${lines[@]:1}"; do
    if [ -f "$path" ]; then
      n=$((n + 1))
      mkdir -p "build/fuzz/seed-files/$target"
      cp "$path" "build/fuzz/seed-files/$target/$n-$(basename "$path")"
    else
      seeds+=("$path")
    fi
  done
  if [ -d "build/fuzz/seed-files/$target" ]; then
    seeds+=("build/fuzz/seed-files/$target")
  fi
  echo "== $target: ${seconds}s"
  if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$binary" -max_total_time="$seconds" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" 2>"build/fuzz/$target.log"; then
    failed=1
    echo "$target: failed; the input is in $crashes, the report in build/fuzz/$target.log"
    grep -m3 -E "ERROR|fuzz: |runtime error" "build/fuzz/$target.log" || true
  else
    grep -E "stat::number_of_executed_units|cov: " "build/fuzz/$target.log" | tail -2
  fi
done
exit $failed
