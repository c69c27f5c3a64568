// Sender authentication for webhook routes: GitHub's HMAC signature and GitLab's shared token.
// Both compare in constant time and never put the secret or the received value in a message.
#pragma once

#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::receivers::webhook {

// Checks X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(key = secret, msg = raw_body)), over
// the exact bytes received. An empty `secret` means verification is off: returns OK. With a
// secret, a missing, malformed or wrong header is kUnauthenticated.
Status VerifyGithubSignature(std::string_view secret, std::string_view raw_body,
                             std::string_view header);

// Checks X-Gitlab-Token, which GitLab sends as the plain shared secret. Empty `secret`: OK.
// Otherwise a missing or different token is kUnauthenticated; the comparison takes the same time
// whatever the token's length or content.
Status VerifyGitlabToken(std::string_view secret, std::string_view header);

}  // namespace goodhart::receivers::webhook
