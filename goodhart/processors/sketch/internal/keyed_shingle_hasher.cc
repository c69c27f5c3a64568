#include "goodhart/processors/sketch/internal/keyed_shingle_hasher.h"

#include <openssl/evp.h>

#include <array>

#include "goodhart/base/status.h"

namespace goodhart::processors::internal {
namespace {

constexpr size_t kBlockBytes = 64;  // SHA-256 block size, as HMAC pads the key to it

// OpenSSL fails these only when out of memory; goodhart cannot sketch without them.
void Check(int ok) { GOODHART_CHECK(ok == 1); }

}  // namespace

KeyedShingleHasher::KeyedShingleHasher(std::string_view key)
    : sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
      inner_(EVP_MD_CTX_new()),
      outer_(EVP_MD_CTX_new()) {
  GOODHART_CHECK(sha256_ != nullptr && inner_ != nullptr && outer_ != nullptr);
  // RFC 2104: keys longer than a block are hashed first, then zero-padded to a block.
  std::array<unsigned char, kBlockBytes> block{};
  if (key.size() > kBlockBytes) {
    unsigned int len = 0;
    Check(EVP_Digest(key.data(), key.size(), block.data(), &len, sha256_, nullptr));
  } else {
    for (size_t i = 0; i < key.size(); ++i)
      block[i] = static_cast<unsigned char>(key[i]);
  }
  std::array<unsigned char, kBlockBytes> pad{};
  for (size_t i = 0; i < kBlockBytes; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
  Check(EVP_DigestInit_ex(inner_, sha256_, nullptr));
  Check(EVP_DigestUpdate(inner_, pad.data(), pad.size()));
  for (size_t i = 0; i < kBlockBytes; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
  Check(EVP_DigestInit_ex(outer_, sha256_, nullptr));
  Check(EVP_DigestUpdate(outer_, pad.data(), pad.size()));
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
}

KeyedShingleHasher::~KeyedShingleHasher() {
  EVP_MD_CTX_free(outer_);
  EVP_MD_CTX_free(inner_);
  EVP_MD_free(sha256_);
}

KeyedShingleHasher::Session::Session(const KeyedShingleHasher& hasher)
    : hasher_(hasher), work_(EVP_MD_CTX_new()) {
  GOODHART_CHECK(work_ != nullptr);
}

KeyedShingleHasher::Session::~Session() { EVP_MD_CTX_free(work_); }

uint64_t KeyedShingleHasher::Session::Hash(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  Check(EVP_MD_CTX_copy_ex(work_, hasher_.inner_));
  Check(EVP_DigestUpdate(work_, data.data(), data.size()));
  Check(EVP_DigestFinal_ex(work_, digest.data(), &len));
  Check(EVP_MD_CTX_copy_ex(work_, hasher_.outer_));
  Check(EVP_DigestUpdate(work_, digest.data(), len));
  Check(EVP_DigestFinal_ex(work_, digest.data(), &len));
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = (x << 8) | digest[static_cast<size_t>(i)];
  return x;
}

}  // namespace goodhart::processors::internal
