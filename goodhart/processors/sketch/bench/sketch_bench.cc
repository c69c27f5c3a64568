// Sketch throughput for a 400-character prompt, and the three ways to compute the keyed shingle
// hash that were measured before choosing KeyedShingleHasher (copying pre-keyed SHA-256 contexts).
// Run a Release build: `sketch_bench --benchmark_min_time=1`.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <vector>

#include "goodhart/processors/sketch/internal/keyed_shingle_hasher.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"

namespace goodhart::processors {
namespace {

const std::string kKey = "bench-tenant-key-0123456789abcdef";

// 400 characters of a typical coding-agent prompt, with a number and a path.
std::string Prompt400() {
  std::string p =
      "Please refactor the payment retry logic in services/billing/retry.cc so that failed "
      "charges are retried with exponential backoff and jitter. Keep the existing metrics for "
      "attempts and failures, make sure idempotency keys are reused across retries, and add unit "
      "tests that cover the timeout path and the permanent decline path. Cap the delay at 30 "
      "seconds and update the README section about retries so operators know the settings.";
  p.resize(400, ' ');
  return p;
}

std::vector<std::string> Shingles() {
  std::string norm = PromptSketcher::Normalize(Prompt400());
  std::vector<std::string> out;
  for (size_t i = 0; i + 5 <= norm.size(); ++i)
    out.push_back(norm.substr(i, 5));
  return out;
}

void BM_Sketch400(benchmark::State& state) {
  PromptSketcher sketcher(kKey);
  const std::string prompt = Prompt400();
  for (auto _ : state)
    benchmark::DoNotOptimize(sketcher.Sketch(prompt));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(prompt.size()));
}
BENCHMARK(BM_Sketch400);

void BM_Normalize400(benchmark::State& state) {
  const std::string prompt = Prompt400();
  for (auto _ : state)
    benchmark::DoNotOptimize(PromptSketcher::Normalize(prompt));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize400);

void BM_LshBands(benchmark::State& state) {
  auto sketch = PromptSketcher(kKey).Sketch(Prompt400());
  for (auto _ : state)
    benchmark::DoNotOptimize(PromptSketcher::LshBands(sketch));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LshBands);

// Per-shingle keyed hash, chosen: copy the pre-keyed inner/outer SHA-256 contexts.
void BM_ShingleHmac_ContextCopy(benchmark::State& state) {
  const auto shingles = Shingles();
  internal::KeyedShingleHasher hasher(kKey);
  internal::KeyedShingleHasher::Session session(hasher);
  for (auto _ : state) {
    for (const auto& s : shingles)
      benchmark::DoNotOptimize(session.Hash(s));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(shingles.size()));
}
BENCHMARK(BM_ShingleHmac_ContextCopy);

// Per-shingle keyed hash with OpenSSL's one-shot HMAC(): re-keys every time.
void BM_ShingleHmac_OneShot(benchmark::State& state) {
  const auto shingles = Shingles();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (auto _ : state) {
    for (const auto& s : shingles) {
      HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
           reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest, &len);
      benchmark::DoNotOptimize(digest[0]);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(shingles.size()));
}
BENCHMARK(BM_ShingleHmac_OneShot);

// Per-shingle keyed hash by duplicating a keyed EVP_MAC context.
void BM_ShingleHmac_EvpMacDup(benchmark::State& state) {
  const auto shingles = Shingles();
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* keyed = EVP_MAC_CTX_new(mac);
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_init(keyed, reinterpret_cast<const unsigned char*>(kKey.data()), kKey.size(), params);
  unsigned char digest[EVP_MAX_MD_SIZE];
  size_t len = 0;
  for (auto _ : state) {
    for (const auto& s : shingles) {
      EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed);
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(s.data()), s.size());
      EVP_MAC_final(ctx, digest, &len, sizeof digest);
      EVP_MAC_CTX_free(ctx);
      benchmark::DoNotOptimize(digest[0]);
    }
  }
  EVP_MAC_CTX_free(keyed);
  EVP_MAC_free(mac);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(shingles.size()));
}
BENCHMARK(BM_ShingleHmac_EvpMacDup);

}  // namespace
}  // namespace goodhart::processors
