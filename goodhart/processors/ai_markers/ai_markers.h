// AI markers on commits and pull requests (formats.md §9; evidence level E1 "declared" in
// metrics.md §3.4): the one registry of the trailers, authors, subject prefixes, body lines, PR
// authors and branch names that AI coding tools leave behind. Markers are a lower bound: people
// strip them, and anyone can add them.
//
// The registry is data (marker_registry.cc): each rule names where it looks, a trailer key, a
// cheap literal prefilter, a case-insensitive ECMAScript pattern, the tool and the capture group
// holding the model. Rules are tried in order and the first match per text wins.
#pragma once

#include <string_view>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::processors {

// Where a rule looks.
enum class MarkerSource {
  kTrailer,   // a trailer value (ParseTrailers; for PR bodies, any "Key: value" line)
  kAuthor,    // the commit author as "Name <email>"
  kSubject,   // the commit subject (first line)
  kBodyLine,  // each line of the commit message or PR body
  kLogin,     // the PR author's login
  kHeadRef,   // the PR head branch
};

struct MarkerRule {
  std::string_view id;  // stable name for tests and docs: "claude-code/co-author"
  MarkerSource source;
  std::string_view key;      // lowercase trailer key, only for kTrailer
  std::string_view needle;   // lowercase literal the text must contain; "" = no prefilter
  std::string_view pattern;  // searched case-insensitively; "" matches any non-empty text
  std::string_view tool;     // "claude-code", ...; "$1" = capture group 1, lowercased, ' ' -> '-'
  int model_group = 0;       // capture group holding the model; 0 = none
  bool bot_only = false;     // kLogin: only when author_type is "Bot" (or unknown)
};

// The registry, in match order. Lives for the whole program.
const std::vector<MarkerRule>& AiMarkerRules();

// Markers on a commit: its author (kind "author"), subject prefix ("subject"), trailers of the
// message's last paragraph ("trailer") and body lines such as "🤖 Generated with [Claude Code]"
// ("body"). Identical markers are reported once; order: author, subject, trailers, body.
std::vector<model::AiMarker> FindCommitMarkers(std::string_view author_name,
                                               std::string_view author_email,
                                               std::string_view message);

// Markers on a pull/merge request: its author login ("pr_author"; `author_type` is GitHub's
// user.type, "Bot" or "User", "" when unknown), head branch prefix ("branch", weak: a naming
// convention of the agents) and body lines and "Key: value" lines anywhere in the body ("body").
std::vector<model::AiMarker> FindChangeMarkers(std::string_view author_login,
                                               std::string_view author_type,
                                               std::string_view head_ref, std::string_view body);

}  // namespace goodhart::processors
