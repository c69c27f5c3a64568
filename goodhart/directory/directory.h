// Directory: who is who. People with their teams, roles and every identity they appear under
// (emails, GitHub login, AI tool accounts), teams, services with their repositories, path globs and
// production environments, and bot accounts. Loaded from YAML (`goodhart directory import FILE`,
// `PUT /api/v1/directory`); the store keeps each imported version so "who was on which team when"
// can be answered for any past period.
//
//   people:
//     - {id: alice, team: payments, role: product, emails: [alice@example.com], github: alice-gh,
//        ai_accounts: [user_01AbC], fte: 1.0}
//   teams: [{id: payments, name: Payments}]
//   services:
//     - {id: payments-api, team: payments, repo: example/payments, paths: ["services/payments/**"],
//        production_environments: [production, prod], family: go-api}
//   bots: ["dependabot[bot]", "github-actions[bot]"]
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/delivery.h"

namespace goodhart::directory {

enum class IdentityKind { kPerson, kBot, kAgent, kUnknown };
std::string_view IdentityKindName(IdentityKind kind);

struct Resolution {
  IdentityKind kind = IdentityKind::kUnknown;
  std::string person_id;  // set for kPerson
  std::string tool;       // set for kAgent: "copilot", "claude-code", ...
  bool operator==(const Resolution&) const = default;
};

// Immutable after Parse; safe to share between threads.
class Directory {
 public:
  // Parses and validates the YAML text: unique ids, known teams, an identity claimed by one person
  // only. Errors read "directory: people[3].team: unknown team 'paymnts'".
  static Result<Directory> Parse(std::string_view yaml_text);

  const std::vector<model::Person>& people() const { return people_; }
  const std::vector<model::Team>& teams() const { return teams_; }
  const std::vector<model::Service>& services() const { return services_; }
  const std::vector<std::string>& bots() const { return bots_; }

  const model::Person* FindPerson(std::string_view id) const;
  const model::Service* FindService(std::string_view id) const;

  // Resolves any identity a source reports: an email (case-insensitive; GitHub noreply addresses
  // "123+login@users.noreply.github.com" resolve through the login), a GitHub login, an AI account
  // id, a bot name, or a known AI agent account (Copilot, claude[bot], ...; the caller attributes
  // agent work to the human who owns the session or opened the PR). Anything else is kUnknown.
  Resolution Resolve(std::string_view identity) const;

 private:
  std::vector<model::Person> people_;
  std::vector<model::Team> teams_;
  std::vector<model::Service> services_;
  std::vector<std::string> bots_;
  std::unordered_map<std::string, size_t> person_by_identity_;  // lowercased identity -> index
  std::unordered_map<std::string, size_t> person_by_id_, service_by_id_;
};

}  // namespace goodhart::directory
