#include "goodhart/directory/directory.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace goodhart::directory {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Accounts AI agents act under (formats.md §6 and §9), by lowercased name.
struct AgentAccount {
  std::string_view name;
  std::string_view tool;
};
constexpr std::array<AgentAccount, 9> kAgentAccounts = {{
    {"copilot", "copilot"},
    {"copilot-swe-agent[bot]", "copilot"},
    {"claude[bot]", "claude-code"},
    {"claude", "claude-code"},
    {"noreply@anthropic.com", "claude-code"},
    {"devin-ai-integration[bot]", "devin"},
    {"google-labs-jules[bot]", "jules"},
    {"cursoragent@cursor.com", "cursor"},
    {"noreply@openai.com", "codex"},
}};

Status Bad(std::string_view where, std::string_view what) {
  return Status::InvalidArgument(fmt::format("directory: {}: {}", where, what));
}

Result<std::vector<std::string>> StringList(const YAML::Node& node, const std::string& where) {
  std::vector<std::string> out;
  if (!node)
    return out;
  if (!node.IsSequence())
    return Bad(where, "expected a list");
  for (size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar())
      return Bad(fmt::format("{}[{}]", where, i), "expected a string");
    out.push_back(node[i].as<std::string>());
  }
  return out;
}

Result<std::string> RequiredString(const YAML::Node& node, const char* key,
                                   const std::string& where) {
  if (!node[key] || !node[key].IsScalar() || node[key].as<std::string>().empty()) {
    return Bad(fmt::format("{}.{}", where, key), "missing");
  }
  return node[key].as<std::string>();
}

std::string OptionalString(const YAML::Node& node, const char* key) {
  return node[key] && node[key].IsScalar() ? node[key].as<std::string>() : std::string();
}

}  // namespace

std::string_view IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kPerson:
      return "person";
    case IdentityKind::kBot:
      return "bot";
    case IdentityKind::kAgent:
      return "agent";
    case IdentityKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<Directory> Directory::Parse(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Bad(fmt::format("line {}", e.mark.line + 1), e.msg);
  }
  Directory d;
  if (root.IsNull())
    return d;
  if (!root.IsMap())
    return Bad("top level", "expected a mapping with people, teams, services, bots");
  for (const auto& kv : root) {
    if (!kv.first.IsScalar())
      return Bad("top level", "a key that is not a name");
    auto key = kv.first.as<std::string>();
    if (key != "people" && key != "teams" && key != "services" && key != "bots") {
      return Bad(key, "unknown key");
    }
  }
  try {
    if (auto teams = root["teams"]) {
      if (!teams.IsSequence())
        return Bad("teams", "expected a list");
      for (size_t i = 0; i < teams.size(); ++i) {
        std::string where = fmt::format("teams[{}]", i);
        GOODHART_ASSIGN_OR_RETURN(auto id, RequiredString(teams[i], "id", where));
        model::Team t{.id = id, .name = OptionalString(teams[i], "name")};
        if (t.name.empty())
          t.name = t.id;
        if (std::any_of(d.teams_.begin(), d.teams_.end(), [&](auto& o) { return o.id == t.id; })) {
          return Bad(where + ".id", fmt::format("duplicate team '{}'", t.id));
        }
        d.teams_.push_back(std::move(t));
      }
    }
    auto known_team = [&](const std::string& id) {
      return std::any_of(d.teams_.begin(), d.teams_.end(), [&](auto& t) { return t.id == id; });
    };
    if (auto people = root["people"]) {
      if (!people.IsSequence())
        return Bad("people", "expected a list");
      for (size_t i = 0; i < people.size(); ++i) {
        const auto& n = people[i];
        std::string where = fmt::format("people[{}]", i);
        model::Person p;
        GOODHART_ASSIGN_OR_RETURN(p.id, RequiredString(n, "id", where));
        p.team = OptionalString(n, "team");
        if (!p.team.empty() && !known_team(p.team)) {
          return Bad(where + ".team", fmt::format("unknown team '{}'", p.team));
        }
        p.role = OptionalString(n, "role");
        if (p.role.empty())
          p.role = "product";
        p.github = OptionalString(n, "github");
        GOODHART_ASSIGN_OR_RETURN(p.emails, StringList(n["emails"], where + ".emails"));
        GOODHART_ASSIGN_OR_RETURN(p.ai_accounts,
                                  StringList(n["ai_accounts"], where + ".ai_accounts"));
        if (n["fte"]) {
          p.fte = n["fte"].as<double>();
          if (p.fte < 0 || p.fte > 1.5)
            return Bad(where + ".fte", "must be between 0 and 1.5");
        }
        if (d.person_by_id_.count(p.id))
          return Bad(where + ".id", fmt::format("duplicate person '{}'", p.id));
        size_t index = d.people_.size();
        d.person_by_id_[p.id] = index;
        std::vector<std::string> identities = p.emails;
        identities.insert(identities.end(), p.ai_accounts.begin(), p.ai_accounts.end());
        if (!p.github.empty())
          identities.push_back(p.github);
        identities.push_back(p.id);
        for (const auto& identity : identities) {
          auto key = Lower(identity);
          auto [it, inserted] = d.person_by_identity_.emplace(key, index);
          if (!inserted && it->second != index) {
            return Bad(where, fmt::format("identity '{}' already belongs to '{}'", identity,
                                          d.people_[it->second].id));
          }
        }
        d.people_.push_back(std::move(p));
      }
    }
    if (auto services = root["services"]) {
      if (!services.IsSequence())
        return Bad("services", "expected a list");
      for (size_t i = 0; i < services.size(); ++i) {
        const auto& n = services[i];
        std::string where = fmt::format("services[{}]", i);
        model::Service s;
        GOODHART_ASSIGN_OR_RETURN(s.id, RequiredString(n, "id", where));
        s.team = OptionalString(n, "team");
        if (!s.team.empty() && !known_team(s.team)) {
          return Bad(where + ".team", fmt::format("unknown team '{}'", s.team));
        }
        s.repo = OptionalString(n, "repo");
        s.family = OptionalString(n, "family");
        GOODHART_ASSIGN_OR_RETURN(s.paths, StringList(n["paths"], where + ".paths"));
        GOODHART_ASSIGN_OR_RETURN(
            s.production_environments,
            StringList(n["production_environments"], where + ".production_environments"));
        // Omitted: no allow-list; a deployment is production when its source marks it so (GitHub's
        // production_environment, GitLab's production tier) or its environment is named
        // production or prod (analytics::IsProductionDeployment).
        if (d.service_by_id_.count(s.id)) {
          return Bad(where + ".id", fmt::format("duplicate service '{}'", s.id));
        }
        d.service_by_id_[s.id] = d.services_.size();
        d.services_.push_back(std::move(s));
      }
    }
    GOODHART_ASSIGN_OR_RETURN(d.bots_, StringList(root["bots"], "bots"));
  } catch (const YAML::Exception& e) {
    return Bad(fmt::format("line {}", e.mark.line + 1), e.msg);
  }
  return d;
}

const model::Person* Directory::FindPerson(std::string_view id) const {
  auto it = person_by_id_.find(std::string(id));
  return it == person_by_id_.end() ? nullptr : &people_[it->second];
}

const model::Service* Directory::FindService(std::string_view id) const {
  auto it = service_by_id_.find(std::string(id));
  return it == service_by_id_.end() ? nullptr : &services_[it->second];
}

Resolution Directory::Resolve(std::string_view identity) const {
  std::string key = Lower(identity);
  // "Name <email>" as found in Co-authored-by trailers.
  if (auto lt = key.find('<'); lt != std::string::npos && key.back() == '>') {
    key = key.substr(lt + 1, key.size() - lt - 2);
  }
  if (auto it = person_by_identity_.find(key); it != person_by_identity_.end()) {
    return {.kind = IdentityKind::kPerson, .person_id = people_[it->second].id};
  }
  for (const auto& agent : kAgentAccounts) {
    if (key == agent.name ||
        key.ends_with("+" + std::string(agent.name) + "@users.noreply.github.com")) {
      return {.kind = IdentityKind::kAgent, .tool = std::string(agent.tool)};
    }
  }
  for (const auto& bot : bots_) {
    if (Lower(bot) == key)
      return {.kind = IdentityKind::kBot};
  }
  // GitHub noreply address: "12345+login@users.noreply.github.com" or
  // "login@users.noreply.github.com".
  constexpr std::string_view kNoreply = "@users.noreply.github.com";
  if (key.ends_with(kNoreply)) {
    std::string login = key.substr(0, key.size() - kNoreply.size());
    if (auto plus = login.find('+'); plus != std::string::npos)
      login = login.substr(plus + 1);
    if (auto it = person_by_identity_.find(login); it != person_by_identity_.end()) {
      return {.kind = IdentityKind::kPerson, .person_id = people_[it->second].id};
    }
  }
  if (key.ends_with("[bot]"))
    return {.kind = IdentityKind::kBot};
  return {};
}

}  // namespace goodhart::directory
