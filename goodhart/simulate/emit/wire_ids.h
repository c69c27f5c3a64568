// The identifiers real senders put on the wire, made deterministically from the simulator's own
// ids so that emitting the same world twice gives byte-identical files: UUIDs (Claude Code session
// and prompt ids, GitHub delivery GUIDs), Anthropic request ids, GitHub logins, and times in the
// precision each format carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goodhart::simulate::emit {

// A version-4-shaped UUID ("8-4-4-4-12" lowercase hex) derived from `name`.
std::string UuidOf(std::string_view name);

// "req_011C" + 20 base-62 characters derived from `name`, like Anthropic's request ids.
std::string RequestIdOf(std::string_view name);

// The GitHub login of a simulated identity: the part of an email before '@' ("e017"); a name
// without '@' (the deploy bot) is its own login.
std::string LoginOf(std::string_view identity);

// GitHub numbers pull requests from 1; the simulator numbers its changes from 0.
inline int64_t PullRequestNumber(int64_t simulated_number) { return simulated_number + 1; }

// Milliseconds floored to whole seconds (git and GitHub timestamps carry seconds).
int64_t FloorToSecond(int64_t unix_ms);

// RFC 3339 in whole seconds, as GitHub writes it: "2026-03-02T10:00:00Z".
std::string GithubTime(int64_t unix_ms);

}  // namespace goodhart::simulate::emit
