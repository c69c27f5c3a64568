#!/usr/bin/env bash
# Generates a synthetic 10,000-commit repository with `git fast-import` and times ImportGit on it
# (full import, then a re-import with the returned heads). The issue's figures: under 30 s and
# under 1 s.
#
# Usage: goodhart/receivers/git/bench/import_bench.sh [build_dir] [commits]
#   build_dir  a build with GOODHART_BUILD_BENCH=ON, Release (default: build/git-rel)
#   commits    default 10000
# The history: 300 Go-like files of 60-180 lines; each commit edits 1-3 files (replaced, inserted
# and deleted lines, sometimes a new file or a moved block), authors rotate over 12 people, and
# every 500th commit gets an annotated tag. Deterministic (awk srand(42)).
set -euo pipefail
build=${1:-build/git-rel}
commits=${2:-10000}
bench="$build/goodhart/receivers/git/git_import_bench"
[ -x "$bench" ] || { echo "no $bench: build target git_import_bench first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 LC_ALL=C

git -c init.defaultBranch=main init -q --bare "$tmp/repo.git"
start=$(date +%s%N)
awk -v commits="$commits" '
function word(i) { return words[1 + int(rand() * nwords)] }
function code_line(f, l,   r) {
  r = rand()
  if (r < 0.08) return ""
  if (r < 0.16) return "\t// " word() " " word() " " word() " for " word()
  if (r < 0.24) return "\t}"
  if (r < 0.32) return "\tif err := " word() "(ctx, " word() "); err != nil {"
  if (r < 0.40) return "\t\treturn fmt.Errorf(\"" word() " %d: %w\", " l ", err)"
  return "\t" word() l " := " word() "(" word() ", " int(rand() * 1000) ")"
}
function content(f,   s, l) {
  s = "package mod" f "\n\n"
  for (l = 1; l <= n[f]; l++) s = s lines[f, l] "\n"
  return s
}
function emit_file(f,   s) {
  s = content(f)
  printf "M 100644 inline src/mod%d/file%d.go\ndata %d\n%s\n", f % 40, f, length(s), s
}
function edit(f,   op, k, at, cnt, i) {
  op = rand()
  if (op < 0.5) {                       # replace a few lines
    cnt = 1 + int(rand() * 5)
    for (k = 0; k < cnt; k++) { at = 1 + int(rand() * n[f]); lines[f, at] = code_line(f, at) }
  } else if (op < 0.8) {                # insert a block
    cnt = 1 + int(rand() * 12); at = 1 + int(rand() * n[f])
    for (i = n[f]; i >= at; i--) lines[f, i + cnt] = lines[f, i]
    for (k = 0; k < cnt; k++) lines[f, at + k] = code_line(f, at + k)
    n[f] += cnt
  } else if (n[f] > 30) {               # delete a block
    cnt = 1 + int(rand() * 6); at = 1 + int(rand() * (n[f] - cnt))
    for (i = at; i + cnt <= n[f]; i++) lines[f, i] = lines[f, i + cnt]
    n[f] -= cnt
  }
}
BEGIN {
  srand(42)
  nwords = split("load parse validate retry backoff cache fetch store encode decode merge " \
                 "flush commit rollback index query render serve route limit", words, " ")
  nfiles = 300; t0 = 1767225600
  for (f = 1; f <= nfiles; f++) { n[f] = 60 + int(rand() * 120); for (l = 1; l <= n[f]; l++) lines[f, l] = code_line(f, l) }
  for (c = 1; c <= commits; c++) {
    who = c % 12
    printf "commit refs/heads/main\nmark :%d\n", c
    printf "author Dev %d <dev%d@example.com> %d +0000\n", who, who, t0 + c * 600
    printf "committer Dev %d <dev%d@example.com> %d +0000\n", who, who, t0 + c * 600
    msg = sprintf("Change %d: %s the %s path\n\nDetails of change %d.\n", c, word(), word(), c)
    if (c % 7 == 0) msg = msg "\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
    printf "data %d\n%s\n", length(msg), msg
    if (c > 1) printf "from :%d\n", c - 1
    if (c == 1) { for (f = 1; f <= nfiles; f++) emit_file(f); continue }
    k = 1 + int(rand() * 3)
    for (j = 0; j < k; j++) { f = 1 + int(rand() * nfiles); edit(f); emit_file(f) }
    if (c % 500 == 0) {
      printf "tag v1.%d.0\nfrom :%d\ntagger Dev %d <dev%d@example.com> %d +0000\ndata 8\nrelease\n\n", \
        c / 500, c, who, who, t0 + c * 600
    }
  }
}' | git --git-dir="$tmp/repo.git" fast-import --quiet
gen=$(date +%s%N)
echo "generated $commits commits in $(( (gen - start) / 1000000 )) ms ($(du -sh "$tmp/repo.git" | cut -f1))"
"$bench" "$tmp/repo.git"

# The command users run: `goodhart import-git` into an embedded store (import + store), then a
# re-import with nothing new. Skipped when the build has no goodhart binary.
goodhart="$build/goodhart/app/goodhart"
if [ -x "$goodhart" ]; then
  for run in full re-import; do
    s=$(date +%s%N)
    "$goodhart" import-git --repo "$tmp/repo.git" --name bench/repo --data "$tmp/data" >"$tmp/out"
    e=$(date +%s%N)
    echo "goodhart import-git ($run): $(( (e - s) / 1000000 )) ms: $(cat "$tmp/out")"
  done
fi
