// The simulated world as the records its senders put on the wire, before any of it is written:
// pull requests and reviews as GitHub's webhooks describe them, deployments as a CD system posts
// them to goodhart's deployment API, Claude Code's events as goodhart's OTLP decoder reads them
// (with the prompt text the server sketches), and the directory. Both sides of the end-to-end
// check start here: the writers (github_writer.h, deployment_writer.h, otlp_writer.h) serialise
// exactly these records, and the in-process outcome (in_process.h) appends them to a store
// directly. What the wire cannot carry is left out here, once:
//   - times are whole seconds where the format has seconds (GitHub payloads, git, DevLake-style
//     deployment dates);
//   - people appear as GitHub logins on GitHub records (the directory maps login -> person);
//   - commit ids are the real git shas of the emitted repositories (git_writer.h);
//   - a pull request carries no file list and no first-commit time (GitHub's webhook has neither),
//     and is numbered from 1 (the simulator's number + 1);
//   - a deployment is a POST /api/v1/deployments (Apache DevLake's webhook shape with goodhart's
//     `service`): id api:<a UUID made from the simulator's id, which names the engineer>, no
//     artifact digest, no pipeline and no one who triggered it. Not GitHub's deployment webhooks:
//     they name no service, and ND counts only deployments of a known service
//     (analytics/nd/qualifying_deployments.cc);
//   - AI usage is one user_prompt and one api_request event per simulated prompt, the session's
//     tokens split evenly over its prompts (4% input, 12% cache creation, 80% cache read, 4%
//     output), priced by the reported cost at Claude Sonnet 4.5 list prices; sessions get UUIDs;
//   - AI links are the commits' Claude Code trailers (E1) and a "Generated with Claude Code" line
//     in the body of a pull request whose last commit has one; the simulator's session-to-commit
//     links (E2) are not sent (tool_result events carrying git_commit_id are not emitted).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "goodhart/model/delivery.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/simulate/world.h"

namespace goodhart::simulate::emit {

inline constexpr char kClaudeModel[] = "claude-sonnet-4-5";
inline constexpr char kClaudeCodeVersion[] = "2.1.294";
inline constexpr char kOrganizationId[] = "6f1c2b9e-3d4a-4e5f-8a7b-0c1d2e3f4a5b";

// A Claude Code event as decoded, and the prompt text of a user_prompt (the server sketches it).
struct WireUsage {
  model::UsageEvent event;  // without prompt_sketch: whoever receives the text computes it
  std::string prompt;       // user_prompt only
  int64_t sequence = 0;     // event.sequence within its session
};

// A change's pull request body: empty, or Claude Code's "Generated with" line.
struct WireChange {
  model::Change change;
  std::string body;
};

struct WireRecords {
  std::vector<WireChange> changes;
  std::vector<model::Review> reviews;
  std::vector<model::Deployment> deployments;  // as the deployment API decodes them
  std::vector<WireUsage> usage;                // per engineer, in time order
  std::string directory_yaml;
};

// REQUIRES: `shas` maps every commit id of the world (git_writer.h).
WireRecords BuildWireRecords(const World& world, const std::map<std::string, std::string>& shas);

// The reported cost of an api_request at Claude Sonnet 4.5 list prices, in micro-USD.
int64_t ListPriceMicros(const model::TokenCounts& tokens);

}  // namespace goodhart::simulate::emit
