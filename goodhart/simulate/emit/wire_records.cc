#include "goodhart/simulate/emit/wire_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/processors/ai_markers/ai_markers.h"
#include "goodhart/simulate/emit/prompt_text.h"
#include "goodhart/simulate/emit/wire_ids.h"

namespace goodhart::simulate::emit {
namespace {

constexpr char kGeneratedWith[] =
    "\U0001F916 Generated with [Claude Code](https://claude.com/claude-code)";
constexpr int64_t kApiLatencyMs = 1500;  // the api_request follows its prompt

std::string ChangeId(const std::string& repo, int64_t sim_number) {
  return fmt::format("github:{}#{}", repo, PullRequestNumber(sim_number));
}

const std::string& Real(const std::map<std::string, std::string>& shas, const std::string& sim) {
  static const std::string kNone;
  auto it = shas.find(sim);
  return it == shas.end() ? kNone : it->second;
}

WireChange ChangeOf(const model::Change& sim, const model::Commit* head,
                    const std::map<std::string, std::string>& shas) {
  WireChange out;
  model::Change& c = out.change;
  c.ref = {.source = "github", .raw_id = UuidOf("pull_request/" + sim.id)};
  c.id = ChangeId(sim.repo, sim.number);
  c.repo = sim.repo;
  c.number = PullRequestNumber(sim.number);
  c.author = LoginOf(sim.author);
  c.author_type = "User";
  c.title = sim.title;
  c.state = "merged";
  c.base_ref = sim.base_ref;
  c.head_ref = sim.head_ref;
  c.head_sha = Real(shas, sim.head_sha);
  c.merge_sha = Real(shas, sim.merge_sha);
  c.created_unix_ms = FloorToSecond(sim.created_unix_ms);
  c.merged_unix_ms = FloorToSecond(sim.merged_unix_ms);
  c.closed_unix_ms = c.merged_unix_ms;
  c.merged = true;
  c.merged_by = LoginOf(sim.merged_by);
  c.additions = sim.additions;
  c.deletions = sim.deletions;
  c.commit_count = sim.commit_count;
  if (head != nullptr && !head->ai_markers.empty())
    out.body = fmt::format("{}\n\n{}", sim.title, kGeneratedWith);
  c.ai_markers = processors::FindChangeMarkers(c.author, c.author_type, c.head_ref, out.body);
  return out;
}

model::Deployment DeploymentOf(const model::Deployment& sim,
                               const std::map<std::string, std::string>& shas) {
  model::Deployment d;
  // A CD system's own id: the simulator's ("dep-e017-...") names who deployed.
  d.ref = {.source = "api", .raw_id = UuidOf("deployment/" + sim.id)};
  d.id = "api:" + d.ref.raw_id;
  d.service = sim.service;
  d.environment = "production";
  d.environment_tier = "production";
  d.commit_sha = Real(shas, sim.commit_sha);
  d.repo = sim.repo;
  d.ref_name = "main";
  d.status = "success";
  d.started_unix_ms = FloorToSecond(sim.started_unix_ms);
  d.finished_unix_ms = FloorToSecond(sim.finished_unix_ms);
  return d;
}

// One engineer's Claude Code events: per simulated prompt a user_prompt and an api_request.
void AppendUsage(const Engineer& e, const Activity& a, std::vector<WireUsage>* out) {
  const std::vector<std::string> texts = PromptTexts(a);
  std::map<std::string, const analytics::companion::SessionUsage*> sessions;
  for (const auto& s : a.sessions)
    sessions[s.session_id] = &s;
  std::map<std::string, std::vector<size_t>> prompts_of;  // session -> sketch indices, in order
  for (size_t i = 0; i < a.sketches.size(); ++i)
    prompts_of[a.sketches[i].session_id].push_back(i);
  std::vector<WireUsage> mine;
  for (const auto& [sim_session, prompts] : prompts_of) {
    auto it = sessions.find(sim_session);
    const int64_t total = it == sessions.end() ? 0 : it->second->tokens.Total();
    const auto n = static_cast<int64_t>(prompts.size());
    const std::string session = UuidOf("session/" + sim_session);
    int64_t sequence = 0;
    for (int64_t k = 0; k < n; ++k) {
      const store::PromptSketchRow& row = a.sketches[prompts[static_cast<size_t>(k)]];
      const std::string& text = texts[prompts[static_cast<size_t>(k)]];
      model::UsageEvent base;
      base.source = "otlp_logs";
      base.signal = model::Signal::kEvent;
      base.actor = e.email;
      base.actor_kind = "email";
      base.organization = kOrganizationId;
      base.session_id = session;
      base.prompt_id = UuidOf(fmt::format("prompt/{}/{}", sim_session, k));
      base.tool = "claude-code";
      base.tool_version = kClaudeCodeVersion;
      base.provider = "anthropic";

      WireUsage prompt{.event = base, .prompt = text, .sequence = ++sequence};
      model::UsageEvent& p = prompt.event;
      p.kind = model::UsageKind::kPrompt;
      p.event_name = "user_prompt";
      p.time_unix_ms = row.time_unix_ms;
      p.request_count = 0;
      p.prompt_length = static_cast<int64_t>(text.size());  // ASCII: characters = bytes
      p.raw_id = fmt::format("{}:{}", session, prompt.sequence);
      p.event_key = "seq:" + p.raw_id;
      mine.push_back(std::move(prompt));

      WireUsage call{.event = base, .sequence = ++sequence};
      model::UsageEvent& c = call.event;
      c.kind = model::UsageKind::kModelCall;
      c.event_name = "api_request";
      c.time_unix_ms = row.time_unix_ms + kApiLatencyMs;
      c.model = kClaudeModel;
      c.query_source = "main";
      c.duration_ms = kApiLatencyMs;
      const int64_t tokens = total / n + (k < total % n ? 1 : 0);
      const int64_t input = tokens * 4 / 100, creation = tokens * 12 / 100,
                    output = tokens * 4 / 100;
      c.tokens = model::TokenCounts::FromAnthropic(input, tokens - input - creation - output,
                                                   creation, output);
      c.request_count = 1;
      c.reported_cost_micros = ListPriceMicros(c.tokens);
      c.request_id = RequestIdOf(fmt::format("{}/{}", sim_session, k));
      c.raw_id = c.request_id;
      c.event_key = "req:" + c.request_id;
      mine.push_back(std::move(call));
    }
  }
  std::stable_sort(mine.begin(), mine.end(), [](const WireUsage& x, const WireUsage& y) {
    return x.event.time_unix_ms < y.event.time_unix_ms;
  });
  out->insert(out->end(), std::make_move_iterator(mine.begin()),
              std::make_move_iterator(mine.end()));
}

}  // namespace

int64_t ListPriceMicros(const model::TokenCounts& t) {
  // $3 / M input, $3.75 / M cache write, $0.30 / M cache read, $15 / M output: micro-USD per token.
  double micros = 3.0 * static_cast<double>(t.input_uncached) +
                  3.75 * static_cast<double>(t.cache_write) +
                  0.3 * static_cast<double>(t.cache_read) + 15.0 * static_cast<double>(t.output);
  return std::llround(micros);
}

WireRecords BuildWireRecords(const World& world, const std::map<std::string, std::string>& shas) {
  WireRecords out;
  out.directory_yaml = world.org.directory_yaml;
  for (const store::DeliveryRecords& team : world.teams) {
    std::map<std::string, const model::Commit*> commit_of;
    for (const model::Commit& c : team.commits)
      commit_of[c.sha] = &c;
    for (const model::Change& ch : team.changes) {
      auto head = commit_of.find(ch.head_sha);
      out.changes.push_back(ChangeOf(ch, head == commit_of.end() ? nullptr : head->second, shas));
    }
    std::map<std::string, std::string> change_id;  // the simulator's -> GitHub's
    for (const model::Change& ch : team.changes)
      change_id[ch.id] = ChangeId(ch.repo, ch.number);
    for (const model::Review& sim : team.reviews) {
      model::Review r;
      r.ref = {.source = "github", .raw_id = UuidOf("review/" + sim.ref.raw_id)};
      r.change_id = change_id[sim.change_id];
      r.reviewer = LoginOf(sim.reviewer);
      r.state = sim.state;
      r.commit_sha = Real(shas, sim.commit_sha);
      r.submitted_unix_ms = FloorToSecond(sim.submitted_unix_ms);
      out.reviews.push_back(std::move(r));
    }
    for (const model::Deployment& d : team.deployments)
      out.deployments.push_back(DeploymentOf(d, shas));
  }
  for (const Engineer& e : world.org.engineers)
    AppendUsage(e, world.activities[static_cast<size_t>(e.index)], &out.usage);
  return out;
}

}  // namespace goodhart::simulate::emit
