#include "goodhart/processors/substance/file_classifier.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace goodhart::processors {
namespace {

using std::string_view;

string_view BaseName(string_view path) { return path.substr(path.rfind('/') + 1); }

// The extension without the dot, lowercased ("" when none; ".bashrc" has none).
std::string Extension(string_view path) {
  string_view base = BaseName(path);
  size_t dot = base.rfind('.');
  if (dot == string_view::npos || dot == 0)
    return "";
  std::string ext(base.substr(dot + 1));
  for (char& c : ext)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext;
}

std::string Lower(string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool EndsWith(string_view s, string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(string_view s, string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

template <size_t N>
bool In(const std::array<string_view, N>& set, string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// Calls fn(folder) for each folder of `path` (not the file name); stops when fn returns true.
template <typename Fn>
bool AnyFolder(string_view path, Fn fn) {
  size_t start = 0;
  for (size_t slash = path.find('/'); slash != string_view::npos; slash = path.find('/', start)) {
    if (fn(path.substr(start, slash - start), start == 0))
      return true;
    start = slash + 1;
  }
  return false;
}

constexpr std::array<string_view, 33> kLockfiles = {"package-lock.json",
                                                    "npm-shrinkwrap.json",
                                                    "yarn.lock",
                                                    "pnpm-lock.yaml",
                                                    "bun.lockb",
                                                    "bun.lock",
                                                    "deno.lock",
                                                    "Cargo.lock",
                                                    "go.sum",
                                                    "go.work.sum",
                                                    "poetry.lock",
                                                    "Pipfile.lock",
                                                    "pdm.lock",
                                                    "uv.lock",
                                                    "Gemfile.lock",
                                                    "composer.lock",
                                                    ".terraform.lock.hcl",
                                                    "flake.lock",
                                                    "Podfile.lock",
                                                    "Package.resolved",
                                                    "mix.lock",
                                                    "pubspec.lock",
                                                    "gradle.lockfile",
                                                    "packages.lock.json",
                                                    "MODULE.bazel.lock",
                                                    "conan.lock",
                                                    "shard.lock",
                                                    "Cartfile.resolved",
                                                    "paket.lock",
                                                    "pixi.lock",
                                                    "renv.lock",
                                                    "Manifest.toml",
                                                    "cabal.project.freeze"};

constexpr std::array<string_view, 17> kVendoredFolders = {
    "node_modules", "bower_components", "vendor",        "vendors",
    "third_party",  "third-party",      "thirdparty",    "3rdparty",
    "3rd_party",    "3rd-party",        "dist",          "Godeps",
    "Pods",         "Carthage",         "site-packages", "jspm_packages",
    ".yarn"};

constexpr std::array<string_view, 28> kGeneratedSuffixes = {
    ".pb.go",        ".pb.gw.go",     ".pb.validate.go", "_grpc.pb.go", ".pb.cc",   ".pb.h",
    "_pb2.py",       "_pb2.pyi",      "_pb2_grpc.py",    ".pb.swift",   "_pb.js",   "_pb.d.ts",
    "_grpc_pb.js",   "_grpc_pb.d.ts", ".min.js",         ".min.css",    ".min.mjs", ".js.map",
    ".css.map",      ".designer.cs",  ".Designer.cs",    ".g.cs",       ".g.i.cs",  ".g.dart",
    ".freezed.dart", ".mocks.dart",   ".pb.dart",        ".pbjson.dart"};

constexpr std::array<string_view, 6> kDocsExtensions = {"md",  "markdown", "mdx",
                                                        "rst", "txt",      "adoc"};
constexpr std::array<string_view, 9> kDocsBaseNames = {"readme",       "changelog", "changes",
                                                       "license",      "licence",   "copying",
                                                       "contributing", "authors",   "notice"};
constexpr std::array<string_view, 12> kDataExtensions = {
    "json", "csv", "tsv", "xml", "ndjson", "jsonl", "geojson", "dat", "psv", "arff", "sql", "svg"};

constexpr std::array<string_view, 44> kCLike = {
    "c",   "h",     "cc",   "cpp",   "cxx",   "hpp", "hh",  "hxx",  "ipp",    "inl",    "m",
    "mm",  "java",  "js",   "jsx",   "mjs",   "cjs", "ts",  "tsx",  "mts",    "cts",    "go",
    "rs",  "swift", "kt",   "kts",   "scala", "cs",  "php", "dart", "groovy", "gradle", "proto",
    "css", "scss",  "less", "jsonc", "json5", "zig", "sol", "cu",   "glsl",   "vue",    "svelte"};
constexpr std::array<string_view, 37> kHash = {
    "py",     "pyi",    "pyx",        "rb",         "sh",        "bash",
    "zsh",    "fish",   "ps1",        "pl",         "pm",        "r",
    "yaml",   "yml",    "toml",       "cmake",      "mk",        "tf",
    "tfvars", "hcl",    "nix",        "ex",         "exs",       "jl",
    "cr",     "coffee", "nim",        "tcl",        "awk",       "bzl",
    "star",   "conf",   "properties", "dockerfile", "gitignore", "gitattributes",
    "env"};
constexpr std::array<string_view, 14> kHashBaseNames = {
    "makefile",    "gnumakefile", "cmakelists.txt", "dockerfile",      "gemfile",
    "rakefile",    "podfile",     "build",          "workspace",       "build.bazel",
    "vagrantfile", "justfile",    "procfile",       "requirements.txt"};
constexpr std::array<string_view, 8> kDashDash = {"sql", "lua", "hs",  "lhs",
                                                  "elm", "ada", "adb", "vhd"};
constexpr std::array<string_view, 10> kSemicolon = {"lisp", "el",  "clj", "cljs", "cljc",
                                                    "edn",  "scm", "rkt", "asm",  "ini"};
constexpr std::array<string_view, 5> kPercent = {"tex", "sty", "cls", "erl", "hrl"};
constexpr std::array<string_view, 8> kMarkup = {"html", "htm",  "xml",   "xhtml",
                                                "svg",  "xaml", "plist", "csproj"};

CommentStyle StyleOf(string_view path) {
  std::string base = Lower(BaseName(path));
  std::string ext = Extension(path);
  if (In(kHashBaseNames, base) || StartsWith(base, "dockerfile") ||
      StartsWith(base, "requirements"))
    return CommentStyle::kHash;
  if (base == "jenkinsfile")
    return CommentStyle::kCLike;
  if (In(kCLike, ext))
    return CommentStyle::kCLike;
  if (In(kHash, ext))
    return CommentStyle::kHash;
  if (In(kDashDash, ext))
    return CommentStyle::kDashDash;
  if (In(kSemicolon, ext))
    return CommentStyle::kSemicolon;
  if (In(kPercent, ext))
    return CommentStyle::kPercent;
  if (In(kMarkup, ext))
    return CommentStyle::kMarkup;
  return CommentStyle::kNone;
}

bool AnyGlob(const std::vector<std::string>& globs, string_view path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return PathGlobMatch(g, path); });
}

bool IsMinified(const FilePatch& patch, double max_avg_line_length) {
  std::string ext = Extension(patch.path);
  if (ext != "js" && ext != "mjs" && ext != "cjs" && ext != "css")
    return false;
  int64_t lines = 0, bytes = 0;
  for (const auto& hunk : patch.hunks) {
    for (const DiffLine& l : hunk) {
      if (l.op != '-' || patch.is_deleted) {
        ++lines;
        bytes += static_cast<int64_t>(l.text.size());
      }
    }
  }
  return lines > 0 && static_cast<double>(bytes) / static_cast<double>(lines) > max_avg_line_length;
}

}  // namespace

bool PathGlobMatch(string_view glob, string_view path) {
  if (glob.find('/') == string_view::npos)
    return GlobMatch(glob, BaseName(path));
  if (StartsWith(glob, "/"))
    glob.remove_prefix(1);
  return GlobMatch(glob, path);
}

bool IsLockfilePath(string_view path) { return In(kLockfiles, BaseName(path)); }

bool IsVendoredPath(string_view path) {
  return AnyFolder(path, [](string_view folder, bool at_root) {
    return In(kVendoredFolders, folder) || (at_root && folder == "deps");
  });
}

bool IsGeneratedPath(string_view path) {
  for (string_view suffix : kGeneratedSuffixes) {
    if (EndsWith(path, suffix))
      return true;
  }
  return AnyFolder(path, [](string_view folder, bool) { return folder == "__generated__"; });
}

bool IsDocsPath(string_view path) {
  std::string base = Lower(BaseName(path));
  if (base == "cmakelists.txt" || StartsWith(base, "requirements"))
    return false;
  if (In(kDocsExtensions, Extension(path)))
    return true;
  std::string stem = base.substr(0, base.find('.'));
  if (In(kDocsBaseNames, stem))
    return true;
  return AnyFolder(path, [](string_view folder, bool) {
    std::string f = Lower(folder);
    return f == "docs" || f == "doc" || f == "documentation";
  });
}

bool IsTestPath(string_view path) {
  if (AnyFolder(path, [](string_view folder, bool) {
        return folder == "test" || folder == "tests" || folder == "__tests__" || folder == "spec" ||
               folder == "specs" || folder == "androidTest" || folder == "testing";
      })) {
    return true;
  }
  string_view base = BaseName(path);
  string_view stem = base.substr(0, base.rfind('.'));
  for (string_view suffix :
       {"_test", "_tests", "_spec", ".test", ".spec", "-test", "-spec", "Test", "Tests", "Spec"}) {
    if (stem.size() > suffix.size() && EndsWith(stem, suffix))
      return true;
  }
  return StartsWith(base, "test_") && EndsWith(base, ".py");
}

bool HasGeneratedHeader(string_view head) {
  std::string h = Lower(head);
  auto has = [&](string_view s) { return h.find(s) != std::string::npos; };
  return (has("code generated") && has("do not edit")) ||
         has("generated by the protocol buffer compiler") ||
         has("autogenerated by thrift compiler") || has("@generated") || has("<auto-generated") ||
         (has("generated") && has("do not edit"));
}

FileClass ClassifyFile(const FilePatch& patch, const GitAttributes& attrs,
                       const SubstanceOptions& options) {
  FileClass c;
  const std::string& path = patch.path;
  if (patch.binary || attrs.Get(path, "diff") == false) {
    c.exclusion = "binary";
    return c;
  }
  if (patch.new_mode == "160000" || patch.old_mode == "160000") {
    c.exclusion = "submodule";
    return c;
  }
  std::optional<bool> generated = attrs.Get(path, "linguist-generated");
  std::optional<bool> vendored = attrs.Get(path, "linguist-vendored");
  if (generated == true) {
    c.exclusion = "generated";
  } else if (vendored == true) {
    c.exclusion = "vendored";
  } else if (AnyGlob(options.excluded_globs, path)) {
    c.exclusion = "excluded";
  } else if (generated != false && IsLockfilePath(path)) {
    c.exclusion = "lockfile";
  } else if (generated != false &&
             (IsGeneratedPath(path) || AnyGlob(options.generated_globs, path) ||
              HasGeneratedHeader(patch.head))) {
    c.exclusion = "generated";
  } else if (generated != false && IsMinified(patch, options.minified_avg_line_length)) {
    c.exclusion = "minified";
  } else if (vendored != false && (IsVendoredPath(path) || AnyGlob(options.vendored_globs, path))) {
    c.exclusion = "vendored";
  }
  if (!c.exclusion.empty())
    return c;
  if (In(kDataExtensions, Extension(path)) && !AnyGlob(options.data_allow_globs, path)) {
    int64_t added = 0;
    for (const auto& hunk : patch.hunks)
      added +=
          std::count_if(hunk.begin(), hunk.end(), [](const DiffLine& l) { return l.op == '+'; });
    if (added > options.data_file_max_lines) {
      c.exclusion = "data";
      return c;
    }
  }
  std::optional<bool> documentation = attrs.Get(path, "linguist-documentation");
  c.docs = documentation.value_or(IsDocsPath(path));
  c.test = !c.docs && IsTestPath(path);
  c.comments = c.docs ? CommentStyle::kNone : StyleOf(path);
  return c;
}

}  // namespace goodhart::processors
