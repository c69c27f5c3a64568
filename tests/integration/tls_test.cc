// HTTPS through the real binary: server.tls_cert_file / tls_key_file make `goodhart serve` speak
// TLS (OpenSSL via cpp-httplib); a client that trusts the certificate gets answers, a plain-HTTP
// client does not, and a key that does not load stops the server with a clear error.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

TEST(TlsTest, ServesHttpsWithTheConfiguredCertificate) {
  TempDir dir;
  CertificateFiles files;
  ASSERT_TRUE(MakeSelfSignedCertificate(dir.path(), &files));
  const std::string &cert = files.cert, &key = files.key;
  std::string config = dir.path() + "/goodhart.yaml";
  std::ofstream(config) << fmt::format("server: {{tls_cert_file: {}, tls_key_file: {}}}\n", cert,
                                       key);
  ServerProcess server(dir.path() + "/data", {"--config", config});

  httplib::SSLClient tls("127.0.0.1", server.port());
  tls.set_ca_cert_path(cert.c_str());
  tls.enable_server_certificate_verification(true);
  auto health = tls.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);

  httplib::Client plain("127.0.0.1", server.port());
  auto refused = plain.Get("/healthz");
  EXPECT_TRUE(!refused || refused->status != 200);

  std::ofstream(key) << "not a key\n";
  CommandResult bad = RunGoodhart(
      {"serve", "--data", dir.path() + "/data2", "--config", config, "--listen", "127.0.0.1:0"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("http: tls: cannot load the certificate"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace goodhart::testing
