#include "goodhart/receivers/git/git_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/processors/ai_markers/ai_markers.h"
#include "goodhart/processors/ai_markers/trailers.h"
#include "goodhart/processors/substance/file_classifier.h"
#include "goodhart/processors/substance/git_attributes.h"
#include "goodhart/processors/substance/patch_id.h"
#include "goodhart/processors/substance/revert.h"
#include "goodhart/processors/substance/substance.h"
#include "goodhart/receivers/git/internal/log_stream.h"
#include "goodhart/receivers/git/internal/subprocess.h"

namespace goodhart::receivers::git {
namespace {

using internal::LogRecord;
using internal::ProcessOptions;

constexpr int64_t kProgressEvery = 1000;
constexpr std::string_view kTagCursor = "tag:";

// Every git call: no pager, a fixed diff format whatever the user's or the repository's config
// says (prefixes, quoting, order, signatures), and none of the GIT_* variables that would point
// git at another repository.
ProcessOptions Git(const GitImportOptions& o, std::vector<std::string> args,
                   std::string stdin_data = {}) {
  ProcessOptions p;
  p.argv = {o.git_binary, "--no-pager",
            "-C",         o.repo_path,
            "-c",         "core.quotePath=true",
            "-c",         "diff.noprefix=false",
            "-c",         "diff.mnemonicPrefix=false",
            "-c",         "diff.orderFile=/dev/null",
            "-c",         "log.showSignature=false",
            "-c",         "log.showRoot=true"};
  p.argv.insert(p.argv.end(), std::make_move_iterator(args.begin()),
                std::make_move_iterator(args.end()));
  p.env = {"GIT_DIR",
           "GIT_WORK_TREE",
           "GIT_INDEX_FILE",
           "GIT_OBJECT_DIRECTORY",
           "GIT_NAMESPACE",
           "GIT_ALTERNATE_OBJECT_DIRECTORIES",
           "GIT_OPTIONAL_LOCKS=0",
           "GIT_TERMINAL_PROMPT=0"};
  p.stdin_data = std::move(stdin_data);
  return p;
}

std::string FirstLine(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' '))
    s.remove_prefix(1);
  return std::string(s.substr(0, s.find('\n')));
}

Status GitError(const GitImportOptions& o, std::string_view what, const std::string& stderr_tail,
                int exit_code) {
  return Status::InvalidArgument(fmt::format("import_git: {}: {} failed (exit {}): {}", o.repo_path,
                                             what, exit_code, FirstLine(stderr_tail)));
}

Result<std::string> Capture(const GitImportOptions& o, std::string_view what,
                            std::vector<std::string> args, std::string stdin_data = {}) {
  auto r = internal::RunAndCapture(Git(o, std::move(args), std::move(stdin_data)));
  if (!r.ok())
    return r.status().WithPrefix(fmt::format("import_git: {}", o.repo_path));
  if (r->exit_code != 0)
    return GitError(o, what, r->stderr_tail, r->exit_code);
  return std::move(r->out);
}

bool IsHexSha(std::string_view s) {
  return s.size() >= 4 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

int64_t ParseInt64(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos)
      end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// git's %s: the first paragraph, its lines joined by one space.
std::string Subject(std::string_view message) {
  std::string out;
  for (std::string_view line : Split(message, '\n')) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.remove_prefix(1);
    if (line.empty()) {
      if (out.empty())
        continue;
      break;
    }
    if (!out.empty())
      out += ' ';
    out += line;
  }
  return out;
}

// semver-style "v1.2.3-rc.1": a version followed by a '-' suffix.
bool IsPrerelease(std::string_view tag) {
  if (!tag.empty() && (tag[0] == 'v' || tag[0] == 'V'))
    tag.remove_prefix(1);
  if (tag.empty() || tag[0] < '0' || tag[0] > '9')
    return false;
  size_t i = 0;
  while (i < tag.size() && ((tag[i] >= '0' && tag[i] <= '9') || tag[i] == '.'))
    ++i;
  return i < tag.size() && tag[i] == '-';
}

struct Tag {
  std::string name, object, commit;
  int64_t created_unix_ms = 0;
};

struct Refs {
  std::vector<std::string> commit_heads;  // sorted, unique
  std::vector<Tag> tags;
};

Result<Refs> ReadRefs(const GitImportOptions& o) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string out,
      Capture(o, "for-each-ref",
              {"for-each-ref",
               "--format=%(objectname)%09%(objecttype)%09%(*objectname)%09%(*objecttype)%09"
               "%(creatordate:unix)%09%(refname)",
               "refs/heads", "refs/remotes", "refs/tags"}));
  Refs refs;
  std::set<std::string> heads;
  for (std::string_view line : Split(out, '\n')) {
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 6)
      continue;
    constexpr std::string_view kTags = "refs/tags/";
    if (f[5].substr(0, kTags.size()) != kTags) {
      if (f[1] == "commit")
        heads.emplace(f[0]);
      continue;
    }
    Tag tag;
    tag.name = std::string(f[5].substr(kTags.size()));
    tag.object = std::string(f[0]);
    tag.commit = std::string(f[1] == "commit" ? f[0] : (f[3] == "commit" ? f[2] : ""));
    tag.created_unix_ms = ParseInt64(f[4]) * 1000;
    if (tag.commit.empty())
      continue;  // a tag of a tree, a blob or another tag
    heads.insert(tag.commit);
    refs.tags.push_back(std::move(tag));
  }
  // A detached HEAD is a head too; an unborn one is not.
  auto head =
      internal::RunAndCapture(Git(o, {"rev-parse", "--verify", "--quiet", "HEAD^{commit}"}));
  if (head.ok() && head->exit_code == 0 && IsHexSha(FirstLine(head->out)))
    heads.insert(FirstLine(head->out));
  refs.commit_heads.assign(heads.begin(), heads.end());
  std::sort(refs.tags.begin(), refs.tags.end(),
            [](const Tag& a, const Tag& b) { return a.name < b.name; });
  return refs;
}

// The known commit shas that still exist as commits (git log dies on a missing one).
Result<std::vector<std::string>> ExistingCommits(const GitImportOptions& o,
                                                 const std::vector<std::string>& shas) {
  if (shas.empty())
    return std::vector<std::string>{};
  std::string input;
  for (const std::string& s : shas)
    input += s + "\n";
  GOODHART_ASSIGN_OR_RETURN(
      std::string out,
      Capture(o, "cat-file", {"cat-file", "--batch-check=%(objectname) %(objecttype)"}, input));
  std::vector<std::string> existing;
  for (std::string_view line : Split(out, '\n')) {
    size_t space = line.find(' ');
    if (space != std::string_view::npos && line.substr(space + 1) == "commit")
      existing.emplace_back(line.substr(0, space));
  }
  return existing;
}

std::string DefaultRepoName(const GitImportOptions& o) {
  auto url = internal::RunAndCapture(Git(o, {"config", "--get", "remote.origin.url"}));
  if (url.ok() && url->exit_code == 0) {
    std::string name = RepoNameFromUrl(FirstLine(url->out));
    if (!name.empty())
      return name;
  }
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(o.repo_path, ec);
  if (ec)
    p = o.repo_path;
  return RepoNameFromUrl(p.string());
}

// The first lines of blobs, from one `git cat-file --batch` started on first use. Answers are
// cached by path: whether a file carries a "generated" header rarely changes.
class HeadReader {
 public:
  explicit HeadReader(const GitImportOptions& o) : o_(o) {}

  // The first lines of `path` as of blob `oid` when they carry a generated-code header, else "".
  const std::string& GeneratedHead(const std::string& path, const std::string& oid) {
    auto it = cache_.find(path);
    if (it == cache_.end()) {
      std::string head = Read(oid);
      it = cache_.emplace(path, processors::HasGeneratedHeader(head) ? head : "").first;
    }
    return it->second;
  }

 private:
  static constexpr size_t kHeadBytes = 2048;

  std::string Read(const std::string& oid) {
    if (cat_ == nullptr && !failed_) {
      auto started = internal::Coprocess::Start(Git(o_, {"cat-file", "--batch"}));
      failed_ = !started.ok();
      if (started.ok())
        cat_ = std::move(*started);
    }
    if (failed_ || !IsHexSha(oid))
      return "";
    std::string head;
    auto fail = [&] {
      failed_ = true;  // out of step with git: stop asking
      cat_.reset();
      return std::string();
    };
    if (!cat_->Write(oid + "\n").ok())
      return fail();
    auto line = cat_->ReadLine();
    if (!line.ok())
      return fail();
    // "<oid> blob <size>", or "<oid> missing" / "<oid> ambiguous" (no content follows).
    std::vector<std::string_view> f = Split(*line, ' ');
    if (f.size() != 3)
      return "";
    int64_t size = ParseInt64(f[2]);
    if (size < 0 || !cat_->Read(static_cast<size_t>(size) + 1, &head, kHeadBytes).ok())
      return fail();
    if (f[1] != "blob")
      return "";
    // Ten lines at most, as the diff parser keeps.
    size_t cut = 0;
    for (int lines = 0; lines < 10; ++lines) {
      size_t nl = head.find('\n', cut);
      if (nl == std::string::npos) {
        cut = head.size();
        break;
      }
      cut = nl + 1;
    }
    head.resize(cut);
    return head;
  }

  const GitImportOptions& o_;
  std::unique_ptr<internal::Coprocess> cat_;
  bool failed_ = false;
  std::unordered_map<std::string, std::string> cache_;
};

class Importer {
 public:
  Importer(const GitImportOptions& o, std::string repo, processors::GitAttributes attrs,
           ProgressFn progress)
      : o_(o),
        repo_(std::move(repo)),
        attrs_(std::move(attrs)),
        progress_(std::move(progress)),
        heads_(o) {}

  Status OnRecord(LogRecord&& r) {
    model::Commit c;
    c.ref = {"git", r.sha};
    c.repo = repo_;
    c.sha = std::move(r.sha);
    for (std::string_view p : Split(r.parents, ' ')) {
      if (!p.empty())
        c.parents.emplace_back(p);
    }
    c.author_name = std::move(r.author_name);
    c.author_email = std::move(r.author_email);
    c.committer_name = std::move(r.committer_name);
    c.committer_email = std::move(r.committer_email);
    c.authored_unix_ms = ParseInt64(r.author_time) * 1000;
    c.committed_unix_ms = ParseInt64(r.committer_time) * 1000;
    c.subject = Subject(r.message);
    c.trailers = processors::ParseTrailers(r.message);
    c.co_authors = processors::CoAuthors(c.trailers);
    c.ai_markers = processors::FindCommitMarkers(c.author_name, c.author_email, r.message);
    std::string inverse;
    // A counted file whose diff does not show its first lines may still be generated code:
    // read its header from the blob.
    for (processors::FilePatch& p : r.patches) {
      if (p.binary || p.is_deleted || !p.head.empty() || p.hunks.empty() ||
          !processors::ClassifyFile(p, attrs_, o_.substance).exclusion.empty()) {
        continue;
      }
      p.head = heads_.GeneratedHead(p.path, p.new_oid);
    }
    if (!r.patches.empty()) {
      processors::SubstanceResult s = processors::MeasureSubstance(r.patches, attrs_, o_.substance);
      c.files = std::move(s.files);
      c.meaningful_lines = s.meaningful;
      c.patch_id = processors::StablePatchId(r.patches);
      inverse = processors::InversePatchId(r.patches);
    }
    reverts_.push_back(processors::ParseRevert(r.message));
    inverse_ids_.push_back(std::move(inverse));
    commits_.push_back(std::move(c));
    if (progress_ && commits_.size() % kProgressEvery == 0)
      progress_(static_cast<int64_t>(commits_.size()));
    return Status::Ok();
  }

  // Fills reverts_sha once every commit of the import is known.
  void ResolveReverts() {
    std::unordered_map<std::string_view, size_t> by_sha;
    std::unordered_map<std::string_view, std::vector<size_t>> by_patch, by_subject;
    for (size_t i = 0; i < commits_.size(); ++i) {
      by_sha[commits_[i].sha] = i;
      if (!commits_[i].patch_id.empty())
        by_patch[commits_[i].patch_id].push_back(i);
      by_subject[commits_[i].subject].push_back(i);
    }
    // Commit j is older than commit i: committed earlier, or at the same second and listed
    // after it (git log lists newest first).
    auto older = [&](size_t j, size_t i) {
      int64_t a = commits_[j].committed_unix_ms, b = commits_[i].committed_unix_ms;
      return a < b || (a == b && j > i);
    };
    // The newest of `candidates` that is older than commit i.
    auto newest_before = [&](size_t i,
                             const std::vector<size_t>& candidates) -> const model::Commit* {
      size_t best = commits_.size();
      for (size_t j : candidates) {
        if (j != i && older(j, i) && (best == commits_.size() || older(best, j)))
          best = j;
      }
      return best == commits_.size() ? nullptr : &commits_[best];
    };
    for (size_t i = 0; i < commits_.size(); ++i) {
      const processors::RevertInfo& rv = reverts_[i];
      model::Commit& c = commits_[i];
      if (!rv.reverted_sha.empty()) {
        c.reverts_sha = rv.reverted_sha;
        if (by_sha.count(rv.reverted_sha) == 0 && rv.reverted_sha.size() < 40) {
          const model::Commit* match = nullptr;
          for (const model::Commit& other : commits_) {
            if (other.sha.compare(0, rv.reverted_sha.size(), rv.reverted_sha) == 0)
              match = match == nullptr ? &other : nullptr;
          }
          if (match != nullptr)
            c.reverts_sha = match->sha;
        }
        continue;
      }
      if (!inverse_ids_[i].empty()) {
        auto it = by_patch.find(inverse_ids_[i]);
        if (it != by_patch.end()) {
          if (const model::Commit* original = newest_before(i, it->second)) {
            c.reverts_sha = original->sha;
            continue;
          }
        }
      }
      if (!rv.reverted_subject.empty()) {
        auto it = by_subject.find(rv.reverted_subject);
        if (it != by_subject.end()) {
          if (const model::Commit* original = newest_before(i, it->second))
            c.reverts_sha = original->sha;
        }
      }
    }
  }

  std::vector<model::Commit> TakeCommits() { return std::move(commits_); }
  int64_t size() const { return static_cast<int64_t>(commits_.size()); }

 private:
  const GitImportOptions& o_;
  std::string repo_;
  processors::GitAttributes attrs_;
  ProgressFn progress_;
  HeadReader heads_;
  std::vector<model::Commit> commits_;
  std::vector<processors::RevertInfo> reverts_;
  std::vector<std::string> inverse_ids_;
};

}  // namespace

std::string ResolveRepoName(const GitImportOptions& options) {
  return options.repo_name.empty() ? DefaultRepoName(options) : options.repo_name;
}

std::string RepoNameFromUrl(std::string_view url) {
  while (!url.empty() && (url.back() == '/' || url.back() == ' ' || url.back() == '\r'))
    url.remove_suffix(1);
  if (url.size() >= 4 && url.substr(url.size() - 4) == ".git")
    url.remove_suffix(4);
  while (!url.empty() && url.back() == '/')
    url.remove_suffix(1);
  std::string_view path;
  size_t scheme = url.find("://");
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  if (scheme != std::string_view::npos) {
    std::string_view rest = url.substr(scheme + 3);
    size_t s = rest.find('/');
    path = s == std::string_view::npos ? std::string_view() : rest.substr(s + 1);
    if (url.substr(0, scheme) == "file") {
      return std::string(path.substr(path.rfind('/') + 1));
    }
  } else if (colon != std::string_view::npos &&
             (slash == std::string_view::npos || colon < slash) && colon > 1) {
    path = url.substr(colon + 1);  // scp-like git@host:owner/name
  } else {
    std::string_view base = url.substr(url.rfind('/') + 1);  // a local path
    if (base == ".git") {
      std::string_view parent = url.substr(0, url.rfind('/'));
      base = parent.substr(parent.rfind('/') + 1);
    }
    return std::string(base);
  }
  while (!path.empty() && path.front() == '/')
    path.remove_prefix(1);
  return std::string(path);
}

Result<GitImportResult> ImportGit(const GitImportOptions& options, ProgressFn progress) {
  const GitImportOptions& o = options;
  if (o.repo_path.empty())
    return Status::InvalidArgument("import_git: repo_path is empty");
  GOODHART_RETURN_IF_ERROR(o.substance.Validate().WithPrefix("import_git"));
  std::vector<std::string> known_commits;
  std::unordered_set<std::string> known_tags;
  for (const std::string& h : o.known_heads) {
    if (h.compare(0, kTagCursor.size(), kTagCursor) == 0) {
      known_tags.insert(h);
    } else if (IsHexSha(h)) {
      known_commits.push_back(h);
    } else {
      return Status::InvalidArgument(
          fmt::format("import_git: {}: known head '{}' is neither a sha nor a tag cursor",
                      o.repo_path, h.substr(0, 80)));
    }
  }
  {
    auto check = internal::RunAndCapture(Git(o, {"rev-parse", "--git-dir"}));
    if (!check.ok())
      return check.status().WithPrefix(fmt::format("import_git: {}", o.repo_path));
    if (check->exit_code != 0) {
      return Status::InvalidArgument(fmt::format("import_git: {}: not a git repository: {}",
                                                 o.repo_path, FirstLine(check->stderr_tail)));
    }
  }
  GitImportResult result;
  result.repo_name = o.repo_name.empty() ? DefaultRepoName(o) : o.repo_name;
  processors::GitAttributes attrs;
  if (auto a = internal::RunAndCapture(Git(o, {"cat-file", "-p", "HEAD:.gitattributes"}));
      a.ok() && a->exit_code == 0) {
    attrs = processors::GitAttributes::Parse(a->out);
  }
  GOODHART_ASSIGN_OR_RETURN(Refs refs, ReadRefs(o));
  GOODHART_ASSIGN_OR_RETURN(std::vector<std::string> known, ExistingCommits(o, known_commits));

  Importer importer(o, result.repo_name, std::move(attrs), progress);
  if (!refs.commit_heads.empty()) {
    std::string revs;
    for (const std::string& h : refs.commit_heads)
      revs += h + "\n";
    for (const std::string& k : known)
      revs += "^" + k + "\n";  // git 2.39 takes no "--not" on stdin
    internal::LogStreamParser parser(
        [&](LogRecord&& record) { return importer.OnRecord(std::move(record)); });
    GOODHART_ASSIGN_OR_RETURN(
        internal::ProcessResult log,
        internal::RunProcess(
            Git(o,
                {"log", "--stdin", "--no-color", "--no-ext-diff", "--no-textconv", "-p", "-M",
                 "--diff-merges=off", "--unified=3", "--inter-hunk-context=0",
                 "--diff-algorithm=myers", "--src-prefix=a/", "--dst-prefix=b/",
                 "--submodule=short", std::string(internal::kLogFormat)},
                std::move(revs)),
            [&](std::string_view chunk) { return parser.Feed(chunk); }));
    if (log.exit_code != 0)
      return GitError(o, "log", log.stderr_tail, log.exit_code);
    if (Status s = parser.Finish(); !s.ok())
      return s.WithPrefix(fmt::format("import_git: {}", o.repo_path));
  }
  importer.ResolveReverts();
  if (progress)
    progress(importer.size());
  result.commits = importer.TakeCommits();

  result.heads = refs.commit_heads;
  for (const Tag& tag : refs.tags) {
    std::string cursor = fmt::format("{}{}:{}", kTagCursor, tag.object, tag.name);
    result.heads.push_back(cursor);
    if (known_tags.count(cursor))
      continue;
    model::Release release;
    release.ref = {"git", "refs/tags/" + tag.name};
    release.repo = result.repo_name;
    release.tag = tag.name;
    release.sha = tag.commit;
    release.created_unix_ms = tag.created_unix_ms;
    release.prerelease = IsPrerelease(tag.name);
    result.releases.push_back(std::move(release));
  }
  return result;
}

}  // namespace goodhart::receivers::git
