// Content identity of a change (metrics.md §3.3, §8): `git patch-id --stable`, computed here from
// FilePatches, plus the id of the inverse patch so that a revert can be recognised by content.
//
// git patch-id hashes, per file, the diff text with all whitespace removed and line numbers
// ignored: the "diff --git" line, the extended header (mode, rename, similarity lines; not the
// "index" line), "---"/"+++" and every hunk line. --stable sums the per-file SHA-1s as 20-byte
// little-endian integers, so the order of the files does not matter. A binary file contributes
// the two blob ids of its "index" line. StablePatchId regenerates git's diff text from the
// FilePatches (RenderGitDiff) and runs a port of git's parser (builtin/patch-id.c, git 2.39) over
// it, quirks included, so the id equals `git show <sha> | git patch-id --stable` for the same diff
// (default diff options: 3 context lines, rename detection, core.quotePath on).
#pragma once

#include <string>
#include <vector>

#include "goodhart/processors/substance/file_patch.h"

namespace goodhart::processors {

// 40 lowercase hex characters, or "" for an empty diff (git prints nothing for it; merges).
std::string StablePatchId(const std::vector<FilePatch>& patches);

// The patches that undo `patches`: added and removed lines, paths, modes, blob ids and new/deleted
// swapped. Exact for everything but copies (an undone copy is a deletion git shows in full).
std::vector<FilePatch> InvertPatches(const std::vector<FilePatch>& patches);

// StablePatchId(InvertPatches(patches)): a later commit with this patch id reverts the change
// (git's diff of A->B is almost always the line-by-line inverse of B->A).
std::string InversePatchId(const std::vector<FilePatch>& patches);

// The diff text git prints for `patches` (no trailing newline on the last line is missing: every
// line ends in '\n'). Hunk line numbers are not known and are written as 1.
std::string RenderGitDiff(const std::vector<FilePatch>& patches);

}  // namespace goodhart::processors
