#include "goodhart/processors/substance/patch_id.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "goodhart/base/hex.h"
#include "goodhart/base/status.h"

namespace goodhart::processors {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// git's sane_ctype: only these four are spaces, and isalpha is ASCII.
bool GitIsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool GitIsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Calls `emit(line)` for every line of git's diff text of `patches`, without newlines.
template <typename Emit>
void ForEachDiffLine(const std::vector<FilePatch>& patches, Emit emit) {
  std::string line;
  for (const FilePatch& f : patches) {
    const std::string& a = f.old_path.empty() ? f.path : f.old_path;
    const std::string& b = f.path;
    const std::string qa = QuoteGitPath("a/" + a), qb = QuoteGitPath("b/" + b);
    emit("diff --git " + qa + " " + qb);
    if (f.is_new) {
      emit("new file mode " + f.new_mode);
    } else if (f.is_deleted) {
      emit("deleted file mode " + f.old_mode);
    } else if (!f.old_mode.empty() && !f.new_mode.empty() && f.old_mode != f.new_mode) {
      emit("old mode " + f.old_mode);
      emit("new mode " + f.new_mode);
    }
    bool moved = !f.old_path.empty() && f.old_path != f.path;
    if (moved) {
      std::string_view verb = f.is_copy ? "copy" : "rename";
      emit("similarity index " + std::to_string(f.similarity < 0 ? 0 : f.similarity) + "%");
      emit(std::string(verb) + " from " + QuoteGitPath(a));
      emit(std::string(verb) + " to " + QuoteGitPath(b));
    } else if (f.dissimilarity >= 0) {
      emit("dissimilarity index " + std::to_string(f.dissimilarity) + "%");
    }
    if (!f.old_oid.empty() && !f.new_oid.empty() && f.old_oid != f.new_oid) {
      line = "index " + f.old_oid + ".." + f.new_oid;
      if (!f.is_new && !f.is_deleted && f.old_mode == f.new_mode && !f.old_mode.empty())
        line += " " + f.old_mode;
      emit(line);
    }
    const std::string old_label = f.is_new ? "/dev/null" : qa;
    const std::string new_label = f.is_deleted ? "/dev/null" : qb;
    if (f.binary) {
      emit("Binary files " + old_label + " and " + new_label + " differ");
      continue;
    }
    if (f.hunks.empty())
      continue;
    // git ends a name holding a space with a tab on these two lines.
    auto tab = [](const std::string& name) {
      return name.find(' ') != std::string::npos ? "\t" : "";
    };
    emit("--- " + old_label + (f.is_new ? "" : tab(a)));
    emit("+++ " + new_label + (f.is_deleted ? "" : tab(b)));
    for (const std::vector<DiffLine>& hunk : f.hunks) {
      int64_t before = 0, after = 0;
      for (const DiffLine& l : hunk) {
        before += l.op != '+' ? 1 : 0;
        after += l.op != '-' ? 1 : 0;
      }
      emit("@@ -1," + std::to_string(before) + " +1," + std::to_string(after) + " @@");
      for (const DiffLine& l : hunk) {
        line.assign(1, l.op == '+' || l.op == '-' ? l.op : ' ');
        line += l.text;
        emit(line);
      }
    }
  }
}

// The EVP_MD is fetched once: an implicit fetch per digest is slow in OpenSSL 3.
const EVP_MD* Sha1() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  GOODHART_CHECK(md != nullptr);
  return md;
}

class PatchIdHasher {
 public:
  PatchIdHasher() : ctx_(EVP_MD_CTX_new()) {
    GOODHART_CHECK(ctx_ != nullptr);
    Init();
  }
  ~PatchIdHasher() { EVP_MD_CTX_free(ctx_); }
  PatchIdHasher(const PatchIdHasher&) = delete;
  PatchIdHasher& operator=(const PatchIdHasher&) = delete;

  void Update(std::string_view data) {
    if (!data.empty())
      GOODHART_CHECK(EVP_DigestUpdate(ctx_, data.data(), data.size()) == 1);
  }
  // git's flush_one_hunk: adds this file's SHA-1 to the sum, with carry, and restarts.
  void Flush() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
    unsigned int len = 0;
    GOODHART_CHECK(EVP_DigestFinal_ex(ctx_, hash.data(), &len) == 1 && len == 20);
    unsigned carry = 0;
    for (size_t i = 0; i < 20; ++i) {
      carry += static_cast<unsigned>(sum_[i]) + hash[i];
      sum_[i] = static_cast<unsigned char>(carry & 0xff);
      carry >>= 8;
    }
    Init();
  }
  std::string Hex() const {
    return LowerHex(std::string_view(reinterpret_cast<const char*>(sum_.data()), sum_.size()));
  }

 private:
  void Init() { GOODHART_CHECK(EVP_DigestInit_ex2(ctx_, Sha1(), nullptr) == 1); }
  EVP_MD_CTX* ctx_;
  std::array<unsigned char, 20> sum_{};
};

// git's scan_hunk_header (fixed version): the line counts of "@@ -a[,b] +c[,d] @@".
void ScanHunkHeader(std::string_view line, int64_t* before, int64_t* after) {
  auto count = [](std::string_view* s) {
    int64_t start = 0;
    size_t i = 0;
    while (i < s->size() && (*s)[i] >= '0' && (*s)[i] <= '9')
      start = start * 10 + ((*s)[i++] - '0');
    s->remove_prefix(i);
    if (s->empty() || s->front() != ',')
      return int64_t{1};
    s->remove_prefix(1);
    int64_t n = 0;
    i = 0;
    while (i < s->size() && (*s)[i] >= '0' && (*s)[i] <= '9')
      n = n * 10 + ((*s)[i++] - '0');
    s->remove_prefix(i);
    return n;
  };
  std::string_view s = line.substr(4);
  *before = count(&s);
  if (s.size() < 2 || s[0] != ' ' || s[1] != '+')
    return;
  s.remove_prefix(2);
  *after = count(&s);
}

}  // namespace

std::string RenderGitDiff(const std::vector<FilePatch>& patches) {
  std::string out;
  ForEachDiffLine(patches, [&](std::string_view line) { out.append(line).push_back('\n'); });
  return out;
}

std::string StablePatchId(const std::vector<FilePatch>& patches) {
  PatchIdHasher hasher;
  int64_t patchlen = 0, before = -1, after = -1;
  bool diff_is_binary = false, done = false;
  std::string pre_oid, post_oid, stripped;
  ForEachDiffLine(patches, [&](std::string_view line) {
    if (done)
      return;
    if (patchlen == 0 && !StartsWith(line, "diff "))
      return;
    if (before == -1) {
      if (StartsWith(line, "GIT binary patch") || StartsWith(line, "Binary files")) {
        diff_is_binary = true;
        before = 0;
        hasher.Update(pre_oid);
        hasher.Update(post_oid);
        hasher.Flush();
        return;
      }
      if (StartsWith(line, "index ")) {
        std::string_view v = line.substr(6);
        size_t dots = v.find("..");
        if (dots != std::string_view::npos) {
          pre_oid = std::string(v.substr(0, dots));
          std::string_view post = v.substr(dots + 2);
          post_oid = std::string(post.substr(0, post.find(' ')));
        }
        return;
      }
      if (StartsWith(line, "--- ")) {
        before = after = 1;
      } else if (line.empty() || !GitIsAlpha(line[0])) {
        done = true;
        return;
      }
    }
    if (diff_is_binary) {
      if (StartsWith(line, "diff ")) {
        diff_is_binary = false;
        before = -1;
      }
      return;
    }
    if (before == 0 && after == 0) {
      if (StartsWith(line, "@@ -")) {
        ScanHunkHeader(line, &before, &after);
        return;
      }
      if (!StartsWith(line, "diff ")) {
        done = true;
        return;
      }
      hasher.Flush();
      before = after = -1;
    }
    if (!line.empty() && (line[0] == '-' || line[0] == ' '))
      --before;
    if (!line.empty() && (line[0] == '+' || line[0] == ' '))
      --after;
    stripped.clear();
    for (char c : line) {
      if (!GitIsSpace(c))
        stripped += c;
    }
    patchlen += static_cast<int64_t>(stripped.size());
    hasher.Update(stripped);
  });
  hasher.Flush();
  return patchlen == 0 ? std::string() : hasher.Hex();
}

std::vector<FilePatch> InvertPatches(const std::vector<FilePatch>& patches) {
  std::vector<FilePatch> out = patches;
  for (FilePatch& f : out) {
    for (std::vector<DiffLine>& hunk : f.hunks) {
      for (DiffLine& l : hunk) {
        if (l.op == '+')
          l.op = '-';
        else if (l.op == '-')
          l.op = '+';
      }
      // git prints a change's removed lines before its added ones.
      for (size_t i = 0; i < hunk.size();) {
        if (hunk[i].op == ' ') {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < hunk.size() && hunk[j].op != ' ')
          ++j;
        std::stable_partition(hunk.begin() + static_cast<std::ptrdiff_t>(i),
                              hunk.begin() + static_cast<std::ptrdiff_t>(j),
                              [](const DiffLine& l) { return l.op == '-'; });
        i = j;
      }
    }
    if (f.renamed())
      std::swap(f.path, f.old_path);
    std::swap(f.is_new, f.is_deleted);
    std::swap(f.old_mode, f.new_mode);
    std::swap(f.old_oid, f.new_oid);
    f.head.clear();
  }
  return out;
}

std::string InversePatchId(const std::vector<FilePatch>& patches) {
  return StablePatchId(InvertPatches(patches));
}

}  // namespace goodhart::processors
