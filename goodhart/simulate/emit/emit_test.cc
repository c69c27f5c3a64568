// The emitter's fidelity, one format at a time: every emitted GitHub delivery and OTLP body
// decodes (with the production decoders) to exactly the wire records the in-process outcome
// stores, and importing the emitted repositories (the production importer) gives back the
// simulator's commits: their substance, reverts and AI markers.
#include "goodhart/simulate/emit/emit.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/receivers/git/git_importer.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/webhook/generic_decoder.h"
#include "goodhart/receivers/webhook/github_decoder.h"
#include "goodhart/simulate/emit/deployment_writer.h"
#include "goodhart/simulate/emit/git_writer.h"
#include "goodhart/simulate/emit/github_writer.h"
#include "goodhart/simulate/emit/otlp_writer.h"
#include "goodhart/simulate/emit/prompt_text.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {
namespace {

namespace fs = std::filesystem;

constexpr char kSketchKey[] = "0123456789abcdef0123456789abcdef";

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == extension)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One small world, emitted once for every test: 3 teams of 5 with a tokenmaxx, a padding and a
// revert-and-reapply gamer (the strategies whose commits and prompts are hardest to carry).
class EmitTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string tmpl = (fs::temp_directory_path() / "goodhart-emit-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = new std::string(tmpl);
    world_ = new World(SimulateWorld(
        {.org = {.teams = 3, .engineers_per_team = 5},
         .seed = 7,
         .gamers = {Strategy::kTokenmaxx, Strategy::kPadding, Strategy::kRevertReapply}}));
    auto git = WriteGitRepositories(*world_, *dir_ + "/git");
    ASSERT_TRUE(git.ok()) << git.status().ToString();
    git_ = new GitWriteResult(std::move(*git));
    records_ = new WireRecords(BuildWireRecords(*world_, git_->shas));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete records_;
    delete git_;
    delete world_;
    delete dir_;
  }
  static std::string* dir_;
  static World* world_;
  static GitWriteResult* git_;
  static WireRecords* records_;
};
std::string* EmitTest::dir_ = nullptr;
World* EmitTest::world_ = nullptr;
GitWriteResult* EmitTest::git_ = nullptr;
WireRecords* EmitTest::records_ = nullptr;

TEST_F(EmitTest, TheWorldHasItsGamersAndEveryCommitAGitSha) {
  ASSERT_EQ(world_->gamers.size(), 3u);
  EXPECT_EQ(world_->gamers[0].strategy, Strategy::kTokenmaxx);
  EXPECT_EQ(world_->org.engineers[static_cast<size_t>(world_->gamers[1].engineer)].team, 1);
  size_t commits = 0;
  for (const auto& t : world_->teams)
    commits += t.commits.size();
  EXPECT_EQ(git_->shas.size(), commits);
  ASSERT_EQ(git_->repositories.size(), 6u);
  EXPECT_EQ(git_->repositories[0].name, "sim/t00-svc0");
}

TEST_F(EmitTest, ImportedRepositoriesCarryTheSimulatedCommits) {
  std::map<std::string, const model::Commit*> sim_by_git;
  for (const auto& t : world_->teams) {
    for (const auto& c : t.commits)
      sim_by_git[git_->shas.at(c.sha)] = &c;
  }
  int compared = 0, reverts = 0, reapplies_seen_as_reverts = 0, cleanups = 0;
  for (const GitRepository& repo : git_->repositories) {
    auto imported = receivers::git::ImportGit({.repo_path = repo.path});
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    EXPECT_EQ(imported->repo_name, repo.name);  // from the origin url
    ASSERT_EQ(static_cast<int>(imported->commits.size()), repo.commits);
    for (const model::Commit& got : imported->commits) {
      const model::Commit& sim = *sim_by_git.at(got.sha);
      EXPECT_EQ(got.author_email, sim.author_email);
      EXPECT_EQ(got.committed_unix_ms, sim.committed_unix_ms / 1000 * 1000);
      EXPECT_EQ(got.ai_markers.empty(), sim.ai_markers.empty()) << got.sha;
      if (!sim.parents.empty()) {
        EXPECT_EQ(got.parents, std::vector<std::string>{git_->shas.at(sim.parents[0])});
      }
      if (!sim.reverts_sha.empty()) {
        ++reverts;
        EXPECT_EQ(got.reverts_sha, git_->shas.at(sim.reverts_sha)) << got.subject;
        EXPECT_DOUBLE_EQ(got.meaningful_lines, sim.meaningful_lines) << got.subject;
        continue;
      }
      if (!got.reverts_sha.empty()) {
        // A re-merge of reverted content is, by content, the revert of the revert.
        EXPECT_EQ(got.subject.rfind("Reapply", 0), 0u) << got.subject;
        ++reapplies_seen_as_reverts;
      }
      bool cleanup = false;
      int64_t added = 0, sim_added = 0;
      for (const auto& f : sim.files) {
        cleanup = cleanup || !f.removed_line_hashes.empty();
        sim_added += f.added;
      }
      for (const auto& f : got.files)
        added += f.added;
      if (cleanup) {
        // The simulator gives a clean-up's deleted padding no substance; git counts deleted
        // code as substance.
        ++cleanups;
        EXPECT_GE(got.meaningful_lines, sim.meaningful_lines);
        continue;
      }
      EXPECT_DOUBLE_EQ(got.meaningful_lines, sim.meaningful_lines) << got.subject;
      EXPECT_EQ(added, sim_added) << got.subject;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
  EXPECT_GT(reverts, 3);
  EXPECT_GT(reapplies_seen_as_reverts, 0);
  EXPECT_GT(cleanups, 0);
}

TEST_F(EmitTest, GithubDeliveriesDecodeToTheWireRecords) {
  const std::string dir = *dir_ + "/github";
  auto stats = WriteGithubDeliveries(*records_, dir, "s3cret");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->deliveries,
            static_cast<int64_t>(records_->changes.size() + records_->reviews.size()));
  std::map<std::string, model::Change> changes;
  std::vector<model::Review> reviews;
  for (const fs::path& body_file : Files(dir, ".json")) {
    std::string body = Read(body_file);
    std::string headers = Read(fs::path(body_file).replace_extension(".headers"));
    auto header = [&](const std::string& name) {
      size_t at = headers.find(name + ": ");
      return headers.substr(at + name.size() + 2, headers.find('\n', at) - at - name.size() - 2);
    };
    EXPECT_EQ(header("X-Hub-Signature-256"), GithubSignature("s3cret", body));
    auto decoded = receivers::webhook::DecodeGithub(header("X-GitHub-Event"),
                                                    header("X-GitHub-Delivery"), body);
    ASSERT_TRUE(decoded.ok()) << body_file << ": " << decoded.status().ToString();
    for (const auto& c : decoded->batch.changes)
      changes[c.id] = c;
    reviews.insert(reviews.end(), decoded->batch.reviews.begin(), decoded->batch.reviews.end());
  }
  ASSERT_EQ(changes.size(), records_->changes.size());
  for (const WireChange& w : records_->changes)
    EXPECT_EQ(changes.at(w.change.id), w.change) << w.change.id;
  ASSERT_EQ(reviews.size(), records_->reviews.size());
  std::set<std::string> want, got;
  for (const auto& r : records_->reviews)
    want.insert(r.change_id + r.reviewer + r.commit_sha + std::to_string(r.submitted_unix_ms));
  for (const auto& r : reviews)
    got.insert(r.change_id + r.reviewer + r.commit_sha + std::to_string(r.submitted_unix_ms));
  EXPECT_EQ(got, want);
}

TEST_F(EmitTest, DeploymentRequestsDecodeToTheWireRecords) {
  const std::string dir = *dir_ + "/deployments";
  auto written = WriteDeploymentRequests(*records_, dir);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, static_cast<int64_t>(records_->deployments.size()));
  std::map<std::string, model::Deployment> got;
  for (const fs::path& f : Files(dir, ".json")) {
    auto decoded = receivers::webhook::DecodeGenericDeployment(Read(f));
    ASSERT_TRUE(decoded.ok()) << f << ": " << decoded.status().ToString();
    ASSERT_EQ(decoded->batch.deployments.size(), 1u);
    got[decoded->batch.deployments[0].id] = decoded->batch.deployments[0];
  }
  ASSERT_EQ(got.size(), records_->deployments.size());
  for (const model::Deployment& d : records_->deployments)
    EXPECT_EQ(got.at(d.id), d) << d.id;
}

TEST_F(EmitTest, OtlpBodiesDecodeToTheWireEvents) {
  const std::string dir = *dir_ + "/otlp";
  auto stats = WriteOtlpBodies(*records_, dir);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->log_records, static_cast<int64_t>(records_->usage.size()));
  const processors::PromptSketcher sketcher(kSketchKey);
  std::map<std::string, model::UsageEvent> want;
  for (const WireUsage& u : records_->usage) {
    model::UsageEvent e = u.event;
    if (e.kind == model::UsageKind::kPrompt)
      e.prompt_sketch = sketcher.Sketch(u.prompt);
    want[e.event_key] = e;
  }
  size_t events = 0;
  for (const fs::path& f : Files(dir + "/logs", ".json")) {
    auto decoded = receivers::otlp::DecodeLogs(Read(f), {.sketcher = &sketcher});
    ASSERT_TRUE(decoded.ok()) << f;
    EXPECT_EQ(decoded->rejected, 0) << decoded->error_message;
    for (const model::UsageEvent& e : decoded->batch.usage) {
      ++events;
      ASSERT_TRUE(want.count(e.event_key)) << e.event_key;
      EXPECT_EQ(e, want.at(e.event_key)) << e.event_key;
    }
  }
  EXPECT_EQ(events, want.size());
  for (const fs::path& f : Files(dir + "/metrics", ".json")) {
    auto decoded = receivers::otlp::DecodeMetrics(Read(f), {});
    ASSERT_TRUE(decoded.ok()) << f;
    EXPECT_EQ(decoded->rejected, 0) << decoded->error_message;
    EXPECT_FALSE(decoded->batch.usage.empty());
  }
}

TEST_F(EmitTest, RepeatedPromptsAreNearDuplicatesUnderTheServersSketcher) {
  // The tokenmaxx gamer's scripted sessions repeat one prompt; honest prompts rarely repeat.
  const processors::PromptSketcher sketcher(kSketchKey);
  const Activity& gamer = world_->activities[static_cast<size_t>(world_->gamers[0].engineer)];
  std::vector<std::string> texts = PromptTexts(gamer);
  ASSERT_EQ(texts.size(), gamer.sketches.size());
  int repeats = 0, similar = 0;
  for (size_t i = 1; i < texts.size(); ++i) {
    const auto& a = gamer.sketches[i - 1];
    const auto& b = gamer.sketches[i];
    if (a.session_id != b.session_id || a.session_id.rfind("g-", 0) != 0)
      continue;
    ++repeats;
    double j = processors::PromptSketcher::EstimatedJaccard(sketcher.Sketch(texts[i - 1]),
                                                            sketcher.Sketch(texts[i]));
    similar += j >= 0.8 ? 1 : 0;
  }
  ASSERT_GT(repeats, 100);
  EXPECT_GT(similar, repeats * 3 / 4);  // 90% repeats of one prompt: most neighbours are repeats
}

}  // namespace
}  // namespace goodhart::simulate::emit
