#include "goodhart/receivers/webhook/github_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <limits>

#include "goodhart/base/hex.h"

namespace goodhart::receivers::webhook {
namespace {

constexpr std::string_view kPrefix = "sha256=";

using Digest = std::array<unsigned char, 32>;

bool Sha256(std::string_view data, Digest* out) {
  unsigned int len = 0;
  return EVP_Digest(data.data(), data.size(), out->data(), &len, EVP_sha256(), nullptr) == 1 &&
         len == out->size();
}

}  // namespace

Status VerifyGithubSignature(std::string_view secret, std::string_view raw_body,
                             std::string_view header) {
  if (secret.empty())
    return Status::Ok();
  if (header.empty())
    return Status::Unauthenticated("github_webhook: X-Hub-Signature-256: missing");
  if (!header.starts_with(kPrefix) || header.size() != kPrefix.size() + 64) {
    return Status::Unauthenticated(
        "github_webhook: X-Hub-Signature-256: not \"sha256=\" and 64 hex digits");
  }
  Digest received;
  for (size_t i = 0; i < received.size(); ++i) {
    int hi = HexDigitValue(header[kPrefix.size() + 2 * i]);
    int lo = HexDigitValue(header[kPrefix.size() + 2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::Unauthenticated(
          "github_webhook: X-Hub-Signature-256: not \"sha256=\" and 64 hex digits");
    }
    received[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  Digest expected;
  unsigned int len = 0;
  if (secret.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(raw_body.data()), raw_body.size(),
           expected.data(), &len) == nullptr ||
      len != expected.size()) {
    return Status::Internal("github_webhook: HMAC-SHA256 failed");
  }
  if (CRYPTO_memcmp(expected.data(), received.data(), expected.size()) != 0)
    return Status::Unauthenticated("github_webhook: X-Hub-Signature-256: does not match the body");
  return Status::Ok();
}

Status VerifyGitlabToken(std::string_view secret, std::string_view header) {
  if (secret.empty())
    return Status::Ok();
  if (header.empty())
    return Status::Unauthenticated("gitlab_webhook: X-Gitlab-Token: missing");
  // Hashing both first makes the comparison fixed-length, so timing tells nothing about the
  // secret's length either.
  Digest want, got;
  if (!Sha256(secret, &want) || !Sha256(header, &got))
    return Status::Internal("gitlab_webhook: SHA-256 failed");
  if (CRYPTO_memcmp(want.data(), got.data(), want.size()) != 0)
    return Status::Unauthenticated("gitlab_webhook: X-Gitlab-Token: does not match");
  return Status::Ok();
}

}  // namespace goodhart::receivers::webhook
