// API keys: a key is shown once when created (`goodhart keys create`) and only its SHA-256 is kept
// in the config. A request presents the key as `Authorization: Bearer <key>` (or `X-Api-Key`);
// the ring hashes it and compares in constant time with every configured hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/access/principal.h"
#include "goodhart/base/status.h"
#include "goodhart/config/config.h"

namespace goodhart::access {

// Lowercase hex SHA-256 of the key's bytes.
std::string HashApiKey(std::string_view key);

// "ghk_" and 64 hex digits from the system's CSPRNG (OpenSSL RAND_bytes).
Result<std::string> GenerateApiKey();

class ApiKeyRing {
 public:
  // InvalidArgument for a bad role or hash (config::Config::Validate checks the same).
  static Result<ApiKeyRing> FromConfig(const std::vector<config::ApiKeyConfig>& keys);

  // True without any key: every caller is the admin "local" (for a loopback-only server).
  bool open() const { return keys_.empty(); }

  // The principal of `presented`, or nullopt when no configured key matches. An open ring
  // answers the admin "local" for anything, including an empty key.
  std::optional<Principal> Authenticate(std::string_view presented) const;

 private:
  struct Entry {
    std::string sha256;
    Principal principal;
  };
  std::vector<Entry> keys_;
};

}  // namespace goodhart::access
