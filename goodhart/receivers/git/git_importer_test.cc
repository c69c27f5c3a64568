#include "goodhart/receivers/git/git_importer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/time.h"
#include "goodhart/receivers/git/internal/subprocess.h"

namespace goodhart::receivers::git {
namespace {

namespace fs = std::filesystem;
using goodhart::testing::StatusIs;
using model::AiMarker;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A throwaway repository built with the real git, with fixed names, emails and dates so that
// every sha is the same on every run.
class TestRepo {
 public:
  TestRepo() {
    char tmpl[] = "/tmp/goodhart_git_test_XXXXXX";
    GOODHART_CHECK(::mkdtemp(tmpl) != nullptr);
    root_ = tmpl;
    path_ = root_ / "repo";
    fs::create_directories(path_);
    Git({"-c", "init.defaultBranch=main", "init", "-q"});
  }
  ~TestRepo() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TestRepo(const TestRepo&) = delete;
  TestRepo& operator=(const TestRepo&) = delete;

  const fs::path& path() const { return path_; }

  std::string Git(std::vector<std::string> args, std::string stdin_data = {}) {
    internal::ProcessOptions p;
    p.argv = {"git", "-C", path_.string(), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"};
    p.argv.insert(p.argv.end(), args.begin(), args.end());
    std::string date = fmt_date(minute_);
    p.env = {"HOME=" + root_.string(),
             "GIT_CONFIG_NOSYSTEM=1",
             "GIT_CONFIG_GLOBAL=/dev/null",
             "GIT_AUTHOR_NAME=" + author_name_,
             "GIT_AUTHOR_EMAIL=" + author_email_,
             "GIT_COMMITTER_NAME=Cora Committer",
             "GIT_COMMITTER_EMAIL=cora@example.com",
             "GIT_AUTHOR_DATE=" + date,
             "GIT_COMMITTER_DATE=" + date,
             "GIT_DIR",
             "GIT_WORK_TREE"};
    p.stdin_data = std::move(stdin_data);
    auto r = internal::RunAndCapture(p);
    GOODHART_CHECK(r.ok());
    if (r->exit_code != 0) {
      ADD_FAILURE() << "git " << args[0] << " failed: " << r->stderr_tail;
    }
    return r->out;
  }

  void Write(const std::string& file, const std::string& content) {
    fs::path p = path_ / file;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void Remove(const std::string& file) { fs::remove(path_ / file); }

  // Stages everything and commits; returns the new sha.
  std::string Commit(const std::string& message) {
    ++minute_;
    Git({"add", "-A"});
    Git({"commit", "-q", "--allow-empty", "-F", "-"}, message);
    return Head();
  }
  std::string Head() {
    std::string sha = Git({"rev-parse", "HEAD"});
    return sha.substr(0, sha.find('\n'));
  }
  void Tick() { ++minute_; }
  void SetAuthor(std::string name, std::string email) {
    author_name_ = std::move(name);
    author_email_ = std::move(email);
  }

  // What `git show <sha> | git patch-id --stable` prints first.
  std::string GitPatchId(const std::string& sha) {
    std::string out = Git({"patch-id", "--stable"}, Git({"show", sha}));
    return out.substr(0, out.find(' '));
  }

 private:
  static std::string fmt_date(int minute) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "2026-03-01T%02d:%02d:00Z", 8 + minute / 60, minute % 60);
    return buf;
  }
  fs::path root_, path_;
  int minute_ = 0;
  std::string author_name_ = "Ann Author", author_email_ = "ann@example.com";
};

constexpr const char* kRetryCc =
    "#include \"retry.h\"\n"
    "\n"
    "namespace net {\n"
    "\n"
    "int RetryDelayMillis(int attempt) {\n"
    "  int base = 100 << attempt;\n"
    "  return base > 30000 ? 30000 : base;\n"
    "}\n"
    "\n"
    "bool ShouldRetry(int status) {\n"
    "  return status == 429 || status >= 500;\n"
    "}\n"
    "\n"
    "}  // namespace net\n";

constexpr const char* kRetryH =
    "#pragma once\n"
    "\n"
    "namespace net {\n"
    "int RetryDelayMillis(int attempt);\n"
    "bool ShouldRetry(int status);\n"
    "}  // namespace net\n";

constexpr const char* kJitter =
    "int Jitter(int delay, unsigned seed) {\n"
    "  unsigned x = seed * 1103515245u + 12345u;\n"
    "  int spread = delay / 4;\n"
    "  int offset = static_cast<int>(x % (2 * spread + 1));\n"
    "  return delay - spread + offset;\n"
    "}\n";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  GOODHART_CHECK(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// The history the issue asks for; each commit's expected substance is noted where it is made.
struct History {
  std::map<std::string, std::string> sha;  // by short name
};

History BuildHistory(TestRepo& repo) {
  History h;
  // 7 code lines in retry.cc, 4 in retry.h, 2 docs lines at 0.25: 11.5.
  repo.Write("src/retry.cc", kRetryCc);
  repo.Write("src/retry.h", kRetryH);
  repo.Write("README.md", "# Net\n\nRetry helpers.\n");
  h.sha["initial"] = repo.Commit("Add retry module\n");

  // package.json: 3 code lines; the lockfile weighs 0.
  repo.Write("package.json",
             "{\n  \"name\": \"net\",\n  \"version\": \"1.0.0\",\n"
             "  \"dependencies\": {\"left-pad\": \"1.3.0\"}\n}\n");
  std::string lock = "{\n  \"name\": \"net\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n";
  for (int i = 0; i < 30; ++i)
    lock += "    \"node_modules/dep" + std::to_string(i) + "\": {\"version\": \"1.0." +
            std::to_string(i) + "\"},\n";
  lock += "  }\n}\n";
  repo.Write("package-lock.json", lock);
  h.sha["lockfile"] = repo.Commit("Add package manifest and lockfile\n");

  // .gitattributes: 1 line; gen/client.ts is linguist-generated by it: 0.
  repo.Write(".gitattributes", "gen/** linguist-generated\n");
  repo.Write("gen/client.ts",
             "export function get(url: string) {\n  return fetch(url);\n}\n"
             "export function post(url: string, body: string) {\n"
             "  return fetch(url, {method: 'POST', body});\n}\n");
  h.sha["generated"] = repo.Commit("Add generated API client\n");

  // ShouldRetry moves to its own file: the moved block is 0; the new file's #include and
  // namespace lines count 2.
  repo.Write(
      "src/retry.cc",
      Replace(kRetryCc,
              "bool ShouldRetry(int status) {\n  return status == 429 || status >= 500;\n}\n\n",
              ""));
  repo.Write("src/should_retry.cc",
             "#include \"retry.h\"\n\nnamespace net {\n\n"
             "bool ShouldRetry(int status) {\n  return status == 429 || status >= 500;\n}\n\n"
             "}  // namespace net\n");
  h.sha["move"] = repo.Commit("Move ShouldRetry into its own file\n");

  // Re-indentation only: 0.
  std::string retry_cc = Replace(
      Replace(
          Replace(kRetryCc,
                  "bool ShouldRetry(int status) {\n  return status == 429 || status >= 500;\n}\n\n",
                  ""),
          "  int base", "    int base"),
      "  return base", "\treturn base");
  repo.Write("src/retry.cc", retry_cc);
  h.sha["whitespace"] = repo.Commit("Reformat retry.cc\n");

  // Two comment lines: 0.5.
  retry_cc = Replace(retry_cc, "int RetryDelayMillis",
                     "// Exponential backoff, capped at 30 s so that clients never wait\n"
                     "// longer than the load balancer's idle timeout.\nint RetryDelayMillis");
  repo.Write("src/retry.cc", retry_cc);
  h.sha["comment"] = repo.Commit("Explain the backoff cap\n");

  // The same 6-line function pasted into two files: the #include and 5 code lines count, the
  // copy 0.
  repo.Write("src/jitter.cc", kJitter);
  repo.Write("src/backoff.cc", std::string("#include <cstdint>\n\n") + kJitter);
  h.sha["copy"] = repo.Commit("Add jitter to backoff\n");

  // An AI-assisted commit with the Claude Code body line and two co-author trailers: 2.
  repo.Write("src/fuzz.cc", "int FuzzSeed() { return 42; }\nint FuzzRounds() { return 1000; }\n");
  h.sha["ai"] = repo.Commit(
      "Add fuzz helpers\n\nSeeds and rounds for the fuzzer.\n\n"
      "\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.ai/code)\n\n"
      "Co-Authored-By: Claude <noreply@anthropic.com>\n"
      "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>\n");

  // git revert: "This reverts commit <sha>." Two deleted code lines: 2.
  repo.Tick();
  repo.Git({"revert", "--no-edit", h.sha["ai"]});
  h.sha["revert"] = repo.Head();

  // An update of one line (1), then undone by hand without saying so (1): found by patch id.
  std::string capped = Replace(retry_cc, "30000 ? 30000", "60000 ? 60000");
  repo.Write("src/retry.cc", capped);
  h.sha["cap"] = repo.Commit("Raise the delay cap\n");
  repo.Write("src/retry.cc", retry_cc);
  h.sha["uncap"] = repo.Commit("Lower the delay cap again\n");

  // A rename with one edited line: 1.
  repo.Git({"mv", "src/retry.h", "src/net_retry.h"});
  repo.Write("src/net_retry.h", Replace(kRetryH, "int status);", "int http_status);"));
  h.sha["rename"] = repo.Commit("Rename retry.h to net_retry.h\n");
  repo.Git({"tag", "v0.9.0"});

  // Generated code: a new file whose diff shows the header (0), then an edit far below it, whose
  // diff does not (0, from the header in the blob).
  std::string api =
      "// Code generated by oapi-codegen version 2.1.0. DO NOT EDIT.\n\npackage api\n\n";
  for (int i = 0; i < 20; ++i)
    api += "const Route" + std::to_string(i) + " = \"/v1/route/" + std::to_string(i) + "\"\n";
  repo.Write("internal/api/routes.go", api);
  h.sha["gencode"] = repo.Commit("Generate API routes\n");
  repo.Write("internal/api/routes.go", Replace(api, "/v1/route/15", "/v2/route/15"));
  h.sha["regen"] = repo.Commit("Regenerate API routes\n");

  // A feature branch merged with --no-ff: the merge has two parents and no diff.
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("src/metrics.cc", "int retries = 0;\nint failures = 0;\nint successes = 0;\n");
  h.sha["feature"] = repo.Commit("Add retry metrics\n");
  repo.Git({"checkout", "-q", "main"});
  repo.Write("README.md", "# Net\n\nRetry helpers.\nUsed by the API gateway.\n");
  h.sha["readme"] = repo.Commit("Mention the gateway\n");
  repo.Tick();
  repo.Git({"merge", "--no-ff", "-q", "-m", "Merge branch 'feature'", "feature"});
  h.sha["merge"] = repo.Head();
  repo.Git({"tag", "-a", "v1.0.0", "-m", "Release 1.0.0"});
  repo.Git({"tag", "v1.1.0-rc.1"});
  return h;
}

const model::Commit& Find(const GitImportResult& r, const std::string& sha) {
  for (const model::Commit& c : r.commits) {
    if (c.sha == sha)
      return c;
  }
  ADD_FAILURE() << "commit " << sha << " not imported";
  static const model::Commit kEmpty;
  return kEmpty;
}

TEST(ImportGitTest, ImportsARealHistory) {
  TestRepo repo;
  History h = BuildHistory(repo);
  repo.Git({"remote", "add", "origin", "git@github.com:acme/net.git"});
  int64_t progress_calls = 0, last_progress = 0;
  auto result = ImportGit({.repo_path = repo.path().string()}, [&](int64_t n) {
    ++progress_calls;
    last_progress = n;
  });
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const GitImportResult& r = *result;
  EXPECT_EQ(r.repo_name, "acme/net");
  ASSERT_EQ(r.commits.size(), h.sha.size());
  EXPECT_EQ(progress_calls, 1);
  EXPECT_EQ(last_progress, static_cast<int64_t>(h.sha.size()));

  std::map<std::string, double> want = {
      {"initial", 11.5}, {"lockfile", 3}, {"generated", 1}, {"move", 2},      {"whitespace", 0},
      {"comment", 0.5},  {"copy", 6},     {"ai", 2},        {"revert", 2},    {"cap", 1},
      {"uncap", 1},      {"rename", 1},   {"feature", 3},   {"readme", 0.25}, {"merge", 0},
      {"gencode", 0},    {"regen", 0}};
  for (const auto& [name, meaningful] : want) {
    SCOPED_TRACE(name);
    const model::Commit& c = Find(r, h.sha[name]);
    EXPECT_DOUBLE_EQ(c.meaningful_lines, meaningful);
    EXPECT_EQ(c.repo, "acme/net");
    EXPECT_EQ(c.ref.source, "git");
    EXPECT_EQ(c.ref.raw_id, c.sha);
    if (name != "merge") {
      EXPECT_EQ(c.patch_id, repo.GitPatchId(c.sha));
    }
  }

  const model::Commit& initial = Find(r, h.sha["initial"]);
  EXPECT_THAT(initial.parents, IsEmpty());
  EXPECT_EQ(initial.subject, "Add retry module");
  EXPECT_EQ(initial.author_name, "Ann Author");
  EXPECT_EQ(initial.author_email, "ann@example.com");
  EXPECT_EQ(initial.committer_name, "Cora Committer");
  EXPECT_EQ(initial.authored_unix_ms, CivilToMillis(2026, 3, 1, 8, 1));
  EXPECT_EQ(initial.committed_unix_ms, initial.authored_unix_ms);
  ASSERT_EQ(initial.files.size(), 3u);
  EXPECT_EQ(initial.files[0].path, "README.md");
  EXPECT_EQ(initial.files[0].added, 3);
  EXPECT_DOUBLE_EQ(initial.files[0].meaningful, 0.5);

  const model::Commit& lockfile = Find(r, h.sha["lockfile"]);
  ASSERT_EQ(lockfile.files.size(), 2u);
  EXPECT_EQ(lockfile.files[0].path, "package-lock.json");
  EXPECT_EQ(lockfile.files[0].exclusion, "lockfile");
  EXPECT_EQ(lockfile.files[0].added, 36);
  EXPECT_EQ(Find(r, h.sha["generated"]).files[1].exclusion, "generated");

  const model::Commit& ai = Find(r, h.sha["ai"]);
  EXPECT_THAT(ai.ai_markers, ElementsAre(AiMarker{"claude-code", "", "trailer",
                                                  "Co-Authored-By: Claude <noreply@anthropic.com>"},
                                         AiMarker{"copilot", "", "trailer",
                                                  "Co-authored-by: Copilot "
                                                  "<223556219+Copilot@users.noreply.github.com>"},
                                         AiMarker{"claude-code", "", "body",
                                                  "\xF0\x9F\xA4\x96 Generated with [Claude "
                                                  "Code](https://claude.ai/code)"}));
  EXPECT_THAT(ai.co_authors, ElementsAre("Claude <noreply@anthropic.com>",
                                         "Copilot <223556219+Copilot@users.noreply.github.com>"));
  EXPECT_EQ(ai.trailers.size(), 2u);
  EXPECT_THAT(Find(r, h.sha["initial"]).ai_markers, IsEmpty());

  // Durability fingerprints: the update of one line removes one and adds one.
  const model::Commit& cap = Find(r, h.sha["cap"]);
  ASSERT_EQ(cap.files.size(), 1u);
  EXPECT_EQ(cap.files[0].added_line_hashes.size(), 1u);
  EXPECT_EQ(cap.files[0].removed_line_hashes.size(), 1u);
  EXPECT_THAT(Find(r, h.sha["whitespace"]).files[0].added_line_hashes, IsEmpty());

  EXPECT_EQ(Find(r, h.sha["revert"]).reverts_sha, h.sha["ai"]);
  EXPECT_EQ(Find(r, h.sha["revert"]).subject, "Revert \"Add fuzz helpers\"");
  EXPECT_EQ(Find(r, h.sha["uncap"]).reverts_sha, h.sha["cap"]);
  EXPECT_EQ(Find(r, h.sha["cap"]).reverts_sha, "");
  EXPECT_EQ(Find(r, h.sha["ai"]).reverts_sha, "");

  const model::Commit& rename = Find(r, h.sha["rename"]);
  ASSERT_EQ(rename.files.size(), 1u);
  EXPECT_EQ(rename.files[0].path, "src/net_retry.h");
  EXPECT_EQ(rename.files[0].old_path, "src/retry.h");

  const model::Commit& merge = Find(r, h.sha["merge"]);
  EXPECT_THAT(merge.parents, ElementsAre(h.sha["readme"], h.sha["feature"]));
  EXPECT_THAT(merge.files, IsEmpty());
  EXPECT_EQ(merge.patch_id, "");
  EXPECT_THAT(Find(r, h.sha["feature"]).parents, ElementsAre(h.sha["regen"]));
  ASSERT_EQ(Find(r, h.sha["regen"]).files.size(), 1u);
  EXPECT_EQ(Find(r, h.sha["regen"]).files[0].exclusion, "generated");

  ASSERT_EQ(r.releases.size(), 3u);
  EXPECT_EQ(r.releases[0].tag, "v0.9.0");
  EXPECT_EQ(r.releases[0].sha, h.sha["rename"]);
  EXPECT_FALSE(r.releases[0].prerelease);
  EXPECT_EQ(r.releases[0].ref.raw_id, "refs/tags/v0.9.0");
  EXPECT_EQ(r.releases[1].tag, "v1.0.0");
  EXPECT_EQ(r.releases[1].sha, h.sha["merge"]);  // the annotated tag's target commit
  EXPECT_EQ(r.releases[1].created_unix_ms, Find(r, h.sha["merge"]).committed_unix_ms);
  EXPECT_EQ(r.releases[2].tag, "v1.1.0-rc.1");
  EXPECT_TRUE(r.releases[2].prerelease);
  for (const model::Release& rel : r.releases)
    EXPECT_EQ(rel.repo, "acme/net");
}

TEST(ImportGitTest, IncrementalImport) {
  TestRepo repo;
  History h = BuildHistory(repo);
  std::string path = repo.path().string();
  auto first = ImportGit({.repo_path = path, .repo_name = "acme/net"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->commits.size(), h.sha.size());
  // heads: main and feature tips, the tags' commits, and one cursor per tag.
  EXPECT_THAT(first->heads,
              UnorderedElementsAre(h.sha["merge"], h.sha["feature"], h.sha["rename"],
                                   HasSubstr("tag:"), HasSubstr("tag:"), HasSubstr("tag:")));

  auto again = ImportGit({.repo_path = path, .repo_name = "acme/net", .known_heads = first->heads});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_THAT(again->commits, IsEmpty());
  EXPECT_THAT(again->releases, IsEmpty());
  EXPECT_EQ(again->heads, first->heads);

  repo.Write("src/timeout.cc", "int TimeoutMillis() { return 5000; }\n");
  std::string added = repo.Commit("Add a timeout\n");
  auto one = ImportGit({.repo_path = path, .repo_name = "acme/net", .known_heads = again->heads});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->commits.size(), 1u);
  EXPECT_EQ(one->commits[0].sha, added);
  EXPECT_THAT(one->commits[0].parents, ElementsAre(h.sha["merge"]));
  EXPECT_DOUBLE_EQ(one->commits[0].meaningful_lines, 1);
  EXPECT_THAT(one->releases, IsEmpty());

  // A new tag on an already imported commit is a new release, and only it.
  repo.Git({"tag", "v1.1.0"});
  auto tagged = ImportGit({.repo_path = path, .repo_name = "acme/net", .known_heads = one->heads});
  ASSERT_TRUE(tagged.ok());
  EXPECT_THAT(tagged->commits, IsEmpty());
  ASSERT_EQ(tagged->releases.size(), 1u);
  EXPECT_EQ(tagged->releases[0].tag, "v1.1.0");
  EXPECT_EQ(tagged->releases[0].sha, added);
}

TEST(ImportGitTest, UnknownKnownHeadsAreIgnored) {
  TestRepo repo;
  repo.Write("a.py", "x = 1\n");
  repo.Commit("One\n");
  auto r = ImportGit({.repo_path = repo.path().string(),
                      .known_heads = {"0123456789012345678901234567890123456789"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits.size(), 1u);
  EXPECT_EQ(r->repo_name, "repo");  // no origin: the folder name
}

TEST(ImportGitTest, Errors) {
  EXPECT_THAT(ImportGit({}).status(), StatusIs(StatusCode::kInvalidArgument));
  char tmpl[] = "/tmp/goodhart_not_git_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  EXPECT_THAT(ImportGit({.repo_path = tmpl}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a git repository")));
  fs::remove_all(tmpl);
  EXPECT_THAT(ImportGit({.repo_path = "/definitely/missing"}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("import_git: /definitely/missing")));
  TestRepo repo;
  EXPECT_THAT(
      ImportGit({.repo_path = repo.path().string(), .known_heads = {"--output=/tmp/x"}}).status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("known head")));
  EXPECT_THAT(ImportGit({.repo_path = repo.path().string(), .git_binary = "no-such-git"}).status(),
              StatusIs(StatusCode::kUnavailable));
}

TEST(ImportGitTest, EmptyRepository) {
  TestRepo repo;
  auto r = ImportGit({.repo_path = repo.path().string()});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->commits, IsEmpty());
  EXPECT_THAT(r->heads, IsEmpty());
}

TEST(RepoNameFromUrlTest, CommonForms) {
  EXPECT_EQ(RepoNameFromUrl("https://github.com/anthropics/claude-agent-sdk-python.git"),
            "anthropics/claude-agent-sdk-python");
  EXPECT_EQ(RepoNameFromUrl("git@github.com:acme/net.git"), "acme/net");
  EXPECT_EQ(RepoNameFromUrl("ssh://git@gitlab.example.com:2222/group/sub/proj.git"),
            "group/sub/proj");
  EXPECT_EQ(RepoNameFromUrl("https://github.com/acme/net/"), "acme/net");
  EXPECT_EQ(RepoNameFromUrl("/srv/mirrors/net.git"), "net");
  EXPECT_EQ(RepoNameFromUrl("/home/ann/src/net/.git"), "net");
  EXPECT_EQ(RepoNameFromUrl("file:///srv/net.git"), "net");
  EXPECT_EQ(RepoNameFromUrl(""), "");
}

}  // namespace
}  // namespace goodhart::receivers::git
