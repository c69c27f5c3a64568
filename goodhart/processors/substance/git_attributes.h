// GitAttributes: the root `.gitattributes` of a repository, read for the attributes that decide
// whether a file's lines count (metrics.md §3.5): linguist-generated, linguist-vendored,
// linguist-documentation and diff/binary. Set and unset both override goodhart's own heuristics
// ("honoured both ways"): `*.pb.go -linguist-generated` makes protobuf output count again.
//
// Pattern rules as in gitattributes(5): a pattern without '/' matches the file name in any
// folder; otherwise it matches the whole path from the root (a leading '/' is dropped); '*' and
// '?' do not cross '/', '**' does; a pattern ending in '/' matches nothing (attributes apply to
// files). Later lines win. `binary` is the macro "-diff -merge -text". Nested .gitattributes files
// and macros other than `binary` are not read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goodhart::processors {

// A path glob with gitignore's wildmatch rules ('*', '?', '[a-z]', '[!a-z]', '**').
bool GlobMatch(std::string_view pattern, std::string_view path);

class GitAttributes {
 public:
  GitAttributes() = default;  // no attributes

  // Never fails: malformed lines are skipped.
  static GitAttributes Parse(std::string_view text);

  // The state of `attribute` for `path`: true when set ("attr" or "attr=true" or any value but
  // "false"), false when unset ("-attr", "attr=false"), nullopt when unspecified.
  std::optional<bool> Get(std::string_view path, std::string_view attribute) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Assignment {
    std::string name;
    std::optional<bool> state;  // nullopt: "!attr" (back to unspecified)
  };
  struct Rule {
    std::string pattern;
    bool basename_only = false;
    std::vector<Assignment> assignments;
  };
  std::vector<Rule> rules_;
};

}  // namespace goodhart::processors
