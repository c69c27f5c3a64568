#include "goodhart/simulate/emit/github_writer.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goodhart/base/hash.h"
#include "goodhart/simulate/emit/wire_ids.h"

namespace goodhart::simulate::emit {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Delivery {
  int64_t at = 0;
  std::string event, id;
  json body;
};

int64_t NumericId(std::string_view name) {
  return static_cast<int64_t>(Hash64(name) % 900'000'000ULL) + 100'000'000;
}

json User(const std::string& login) {
  bool bot = login.find("bot") != std::string::npos;
  return {{"login", login}, {"id", NumericId("user/" + login)}, {"type", bot ? "Bot" : "User"}};
}

json Repository(const std::string& full_name) {
  size_t slash = full_name.find('/');
  return {{"id", NumericId("repo/" + full_name)},
          {"name", full_name.substr(slash + 1)},
          {"full_name", full_name},
          {"private", true},
          {"owner", {{"login", full_name.substr(0, slash)}, {"type", "Organization"}}},
          {"default_branch", "main"}};
}

json PullRequest(const WireChange& w) {
  const model::Change& c = w.change;
  return {{"number", c.number},
          {"title", c.title},
          {"user", User(c.author)},
          {"state", "closed"},
          {"merged", true},
          {"body", w.body},
          {"created_at", GithubTime(c.created_unix_ms)},
          {"closed_at", GithubTime(c.closed_unix_ms)},
          {"merged_at", GithubTime(c.merged_unix_ms)},
          {"merged_by", User(c.merged_by)},
          {"merge_commit_sha", c.merge_sha},
          {"base", {{"ref", c.base_ref}}},
          {"head", {{"ref", c.head_ref}, {"sha", c.head_sha}}},
          {"labels", json::array()},
          {"additions", c.additions},
          {"deletions", c.deletions},
          {"commits", c.commit_count}};
}

std::vector<Delivery> Deliveries(const WireRecords& records) {
  std::vector<Delivery> out;
  for (const WireChange& w : records.changes) {
    const model::Change& c = w.change;
    out.push_back({.at = c.merged_unix_ms,
                   .event = "pull_request",
                   .id = c.ref.raw_id,
                   .body = {{"action", "closed"},
                            {"number", c.number},
                            {"pull_request", PullRequest(w)},
                            {"repository", Repository(c.repo)},
                            {"sender", User(c.merged_by)}}});
  }
  for (const model::Review& r : records.reviews) {
    std::string repo = r.change_id.substr(7, r.change_id.find('#') - 7);  // "github:<repo>#<n>"
    int64_t number = std::stoll(r.change_id.substr(r.change_id.find('#') + 1));
    out.push_back({.at = r.submitted_unix_ms,
                   .event = "pull_request_review",
                   .id = r.ref.raw_id,
                   .body = {{"action", "submitted"},
                            {"review",
                             {{"id", NumericId("review/" + r.ref.raw_id)},
                              {"user", User(r.reviewer)},
                              {"body", "LGTM"},
                              {"state", r.state},
                              {"commit_id", r.commit_sha},
                              {"submitted_at", GithubTime(r.submitted_unix_ms)}}},
                            {"pull_request", {{"number", number}}},
                            {"repository", Repository(repo)},
                            {"sender", User(r.reviewer)}}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Delivery& a, const Delivery& b) { return a.at < b.at; });
  return out;
}

}  // namespace

std::string GithubSignature(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < len; ++i)
    hex += fmt::format("{:02x}", mac[i]);
  return hex;
}

Result<GithubWriteStats> WriteGithubDeliveries(const WireRecords& records, const std::string& dir,
                                               const std::string& secret) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Status::Unavailable(fmt::format("simulate: emit: {}: {}", dir, ec.message()));
  GithubWriteStats stats;
  int64_t n = 0;
  for (const Delivery& d : Deliveries(records)) {
    const std::string body = d.body.dump();
    std::string headers = fmt::format(
        "Content-Type: application/json\nUser-Agent: GitHub-Hookshot/5f1c2d3\n"
        "X-GitHub-Event: {}\nX-GitHub-Delivery: {}\nX-GitHub-Hook-ID: 512345678\n"
        "X-GitHub-Hook-Installation-Target-Type: organization\n"
        "X-GitHub-Hook-Installation-Target-ID: 90123456\n",
        d.event, d.id);
    if (!secret.empty())
      headers += fmt::format("X-Hub-Signature-256: {}\n", GithubSignature(secret, body));
    const std::string stem = (fs::path(dir) / fmt::format("{:06d}-{}", ++n, d.event)).string();
    std::ofstream(stem + ".headers", std::ios::binary | std::ios::trunc) << headers;
    std::ofstream out(stem + ".json", std::ios::binary | std::ios::trunc);
    out << body;
    if (!out.flush())
      return Status::Unavailable(fmt::format("simulate: emit: {}.json: cannot write", stem));
    stats.deliveries += 1;
    stats.bytes += static_cast<int64_t>(body.size());
  }
  return stats;
}

}  // namespace goodhart::simulate::emit
