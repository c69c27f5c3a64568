#include "goodhart/access/api_keys.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace goodhart::access {

std::string HashApiKey(std::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(key.data(), key.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<std::string> GenerateApiKey() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1)
    return Status::Internal("access: api key: the random generator failed");
  std::string key = "ghk_";
  for (unsigned char b : bytes)
    key += fmt::format("{:02x}", b);
  return key;
}

Result<ApiKeyRing> ApiKeyRing::FromConfig(const std::vector<config::ApiKeyConfig>& keys) {
  ApiKeyRing ring;
  for (const config::ApiKeyConfig& k : keys) {
    GOODHART_ASSIGN_OR_RETURN(Role role, ParseRole(k.role));
    if (k.key_sha256.size() != 64) {
      return Status::InvalidArgument(
          fmt::format("access: api key {}: key_sha256: not a SHA-256 in hex", k.name));
    }
    ring.keys_.push_back(
        {.sha256 = k.key_sha256, .principal = {.name = k.name, .role = role, .person = k.person}});
  }
  return ring;
}

std::optional<Principal> ApiKeyRing::Authenticate(std::string_view presented) const {
  if (open())
    return Principal{.name = "local", .role = Role::kAdmin};
  if (presented.empty())
    return std::nullopt;
  std::string hash = HashApiKey(presented);
  std::optional<Principal> found;
  for (const Entry& e : keys_) {  // every entry is compared, so timing says nothing of which
    if (CRYPTO_memcmp(e.sha256.data(), hash.data(), hash.size()) == 0)
      found = e.principal;
  }
  return found;
}

}  // namespace goodhart::access
