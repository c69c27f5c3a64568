#!/usr/bin/env bash
# Regenerates the git diffs in this folder and their `git patch-id --stable` (patch_ids.txt) from a
# throwaway repository, so patch_id_test.cc checks StablePatchId against git itself.
# Usage: ./make_patch_cases.sh   (needs git; writes only into this folder)
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.com \
  GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' \
  GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
cd "$tmp"
git -c init.defaultBranch=main init -q r
cd r
commit() { git add -A && git -c commit.gpgsign=false commit -qm "$1" && git show --format= HEAD > "$out/$1.diff"; }
seq 1 40 | sed 's/^/line /' > a.txt
printf 'int main() {\n  return 0;\n}\n' > main.c
printf 'keep\n' > mode.sh
printf '#!/bin/sh\necho hi\n' > run.sh
commit base
# Two hunks in one file, one in another.
sed -i 's/^line 3$/line three/; s/^line 35$/line thirty-five/' a.txt
printf 'int main() {\n  int x = 1;\n  return x;\n}\n' > main.c
commit modify
# New and deleted files, a file without a final newline.
printf 'new file\nsecond' > new.txt
git rm -q run.sh
commit add_delete
# Rename with an edit, and a pure rename.
git mv a.txt b.txt
sed -i 's/^line 20$/line twenty/' b.txt
git mv new.txt moved.txt
commit rename_edit
# Mode change only, plus a text change after it.
chmod +x mode.sh
printf 'int main() {\n  int x = 2;\n  return x;\n}\n' > main.c
commit mode_change
# Binary file added and a text file changed.
printf '\x00\x01\x02binary' > blob.bin
printf 'keep\nmore\n' > mode.sh
commit binary
# Paths that git quotes.
printf 'x\n' > 'with space.txt'
printf 'y\n' > "$(printf 'caf\xc3\xa9.txt')"
printf 'z\n' > 'quote"d.txt'
commit quoted_paths
# Whitespace-only and newline-at-end-of-file changes.
printf 'int main() {\n    int x = 2;\n    return x;\n}\n' > main.c
printf 'new file\nsecond\n' > moved.txt
commit whitespace
# A change and its revert by git itself; then a revert of the binary commit.
sed -i 's/^line 10$/line ten/; s/^line 11$/line eleven/' b.txt
printf 'extra\n' >> 'with space.txt'
commit feature
git -c commit.gpgsign=false revert --no-edit HEAD >/dev/null
git show --format= HEAD > "$out/revert_of_feature.diff"
git -c commit.gpgsign=false revert --no-edit HEAD~4 >/dev/null
git show --format= HEAD > "$out/revert_of_binary.diff"
: > "$out/patch_ids.txt"
for f in base modify add_delete rename_edit mode_change binary quoted_paths whitespace feature \
    revert_of_feature revert_of_binary; do
  echo "$f $(git patch-id --stable < "$out/$f.diff" | cut -d' ' -f1)" >> "$out/patch_ids.txt"
done
cat "$out/patch_ids.txt"
