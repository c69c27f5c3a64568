// goodhart keys create --name N --role admin|analyst|member [--person P]: makes an API key, prints
// it once with the config entry that holds only its SHA-256 (docs/access.md).
// goodhart audit [--format table|json]: prints the audit log of person-level reads.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/access/api_keys.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"

namespace goodhart::cli {
namespace {

struct KeysOptions {
  std::string name, role, person;
};

int RunKeysCreate(const KeysOptions& options) {
  auto role = access::ParseRole(options.role);
  if (!role.ok())
    return ReportError(role.status().WithPrefix("keys create: --role"));
  if (*role == access::Role::kMember && options.person.empty()) {
    return ReportError(Status::InvalidArgument(
        "keys create: --person: a member key names the person whose data it may read"));
  }
  auto key = access::GenerateApiKey();
  if (!key.ok())
    return ReportError(key.status());
  fmt::print("API key for {} ({}): {}\n", options.name, options.role, *key);
  fmt::print("It is shown only now. Add this entry under access.api_keys in the config:\n\n");
  std::string person = options.person.empty() ? "" : fmt::format(", person: {}", options.person);
  fmt::print("    - {{name: {}, role: {}{}, key_sha256: \"{}\"}}\n", options.name, options.role,
             person, access::HashApiKey(*key));
  return kExitOk;
}

struct AuditOptions {
  CommonOptions common;
  std::string format = "table";
};

int RunAudit(const AuditOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return ReportError(Status::InvalidArgument(
        fmt::format("audit: --format: '{}' is not table|json", options.format)));
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto records = (*opened)->audit_log().ReadAll();
  if (!records.ok())
    return ReportError(records.status());
  if (options.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *records) {
      out.push_back({{"time", FormatMillis(r.time_unix_ms)},
                     {"principal", r.principal},
                     {"role", r.role},
                     {"action", r.action},
                     {"subjects", r.subjects},
                     {"detail", r.detail}});
    }
    fmt::print("{}\n", JsonText(out, 2));
    return kExitOk;
  }
  fmt::print("{:<25} {:<16} {:<8} {:<28} {}\n", "time", "principal", "role", "action", "subjects");
  for (const auto& r : *records) {
    std::string subjects = fmt::format("{}", fmt::join(r.subjects, ","));
    if (subjects.size() > 60)
      subjects = fmt::format("{} people", r.subjects.size());
    fmt::print("{:<25} {:<16} {:<8} {:<28} {}\n", FormatMillis(r.time_unix_ms), r.principal, r.role,
               r.action, subjects);
  }
  return kExitOk;
}

}  // namespace

CommandRunner AddKeysCommand(CLI::App& app) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* keys = app.add_subcommand("keys", "API keys for the read API (roles, docs/access.md)");
  keys->require_subcommand(1);
  CLI::App* create =
      keys->add_subcommand("create", "Make a key; prints it once with its config entry");
  create->add_option("--name", options->name, "A name for the key (shown in the audit log)")
      ->required();
  create->add_option("--role", options->role, "admin | analyst | member")->required();
  create->add_option("--person", options->person, "The directory person of a member key");
  return [options, create]() -> int { return create->parsed() ? RunKeysCreate(*options) : -1; };
}

CommandRunner AddAuditCommand(CLI::App& app) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Print the audit log of person-level reads");
  AddCommonOptions(*cmd, options->common);
  cmd->add_option("--format", options->format, "table | json");
  return [options, cmd]() -> int { return cmd->parsed() ? RunAudit(*options) : -1; };
}

}  // namespace goodhart::cli
