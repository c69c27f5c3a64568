// `goodhart simulate --emit DIR`: one simulated organisation (world.h) written as the real formats
// it would arrive in, for `goodhart replay` and `goodhart import-git` to feed a running server:
//
//   DIR/manifest.json          what was simulated (seed, size, the gamers: the answer key), the
//                              calendar (report period, detection period ends, as-of), counts
//   DIR/directory.yaml         people (emails, GitHub logins, roles), teams, services, bots
//   DIR/git/<service>.git      a bare repository per service (git_writer.h)
//   DIR/otlp/logs/*.json       Claude Code's OTLP log bodies (otlp_writer.h)
//   DIR/otlp/metrics/*.json    Claude Code's OTLP metric bodies
//   DIR/webhooks/github/*.json GitHub webhook bodies, each with its .headers (github_writer.h)
//   DIR/webhooks/deployments/  deployment API requests of the CD system (deployment_writer.h)
//   DIR/expected.json          with `expect`: the in-process outcome (in_process.h)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "goodhart/base/status.h"
#include "goodhart/simulate/emit/in_process.h"
#include "goodhart/simulate/world.h"

namespace goodhart::simulate::emit {

struct EmitOptions {
  WorldOptions world;
  std::string dir;
  std::string github_secret;  // signs the GitHub deliveries (X-Hub-Signature-256); "" unsigned
  // Also compute the in-process outcome into expected.json, sketching prompts with this key (the
  // server's privacy.sketch_key). "" skips it.
  std::string expect_sketch_key;
  std::string command;  // recorded in the manifest
};

// The emitted calendar: the report period is the three test periods, evaluated when every change
// is final; detection runs at the end of the baseline and of each test period.
OutcomeRequest EmittedCalendar();

// Writes everything; returns the manifest. An existing DIR is reused, its emitted parts replaced.
Result<nlohmann::json> EmitWorld(const EmitOptions& options);

}  // namespace goodhart::simulate::emit
