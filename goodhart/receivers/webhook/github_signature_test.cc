#include "goodhart/receivers/webhook/github_signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// formats.md §6, from GitHub's documentation.
constexpr std::string_view kSecret = "It's a Secret to Everybody";
constexpr std::string_view kBody = "Hello, World!";
constexpr std::string_view kSignature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

TEST(VerifyGithubSignatureTest, AcceptsGithubsTestVector) {
  EXPECT_THAT(VerifyGithubSignature(kSecret, kBody, kSignature), IsOk());
}

TEST(VerifyGithubSignatureTest, AcceptsUppercaseHex) {
  std::string upper(kSignature);
  for (size_t i = 7; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  EXPECT_THAT(VerifyGithubSignature(kSecret, kBody, upper), IsOk());
}

TEST(VerifyGithubSignatureTest, RefusesTamperedBody) {
  EXPECT_THAT(VerifyGithubSignature(kSecret, "Hello, World?", kSignature),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("does not match")));
  EXPECT_THAT(VerifyGithubSignature(kSecret, "Hello, World! ", kSignature),
              StatusIs(StatusCode::kUnauthenticated));
}

TEST(VerifyGithubSignatureTest, RefusesWrongSecret) {
  EXPECT_THAT(VerifyGithubSignature("It's a secret to everybody", kBody, kSignature),
              StatusIs(StatusCode::kUnauthenticated));
}

TEST(VerifyGithubSignatureTest, RefusesMissingHeader) {
  EXPECT_THAT(VerifyGithubSignature(kSecret, kBody, ""),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("missing")));
}

TEST(VerifyGithubSignatureTest, RefusesMalformedHeaders) {
  for (std::string_view header :
       {"757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17a",
        "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha256="}) {
    EXPECT_THAT(VerifyGithubSignature(kSecret, kBody, header),
                StatusIs(StatusCode::kUnauthenticated))
        << header;
  }
}

TEST(VerifyGithubSignatureTest, MessagesNeverEchoTheSecretOrHeader) {
  Status s = VerifyGithubSignature(kSecret, "tampered", kSignature);
  EXPECT_THAT(s.message(), Not(HasSubstr("757107ea")));
  EXPECT_THAT(s.message(), Not(HasSubstr("Secret")));
}

TEST(VerifyGithubSignatureTest, NoSecretMeansNoCheck) {
  EXPECT_THAT(VerifyGithubSignature("", kBody, ""), IsOk());
  EXPECT_THAT(VerifyGithubSignature("", kBody, "sha256=00"), IsOk());
}

TEST(VerifyGitlabTokenTest, ComparesTheSharedToken) {
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", "s3cret-token"), IsOk());
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", "s3cret-tokem"),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("does not match")));
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", "s3cret"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", "s3cret-token-longer"),
              StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", ""),
              StatusIs(StatusCode::kUnauthenticated, HasSubstr("missing")));
  EXPECT_THAT(VerifyGitlabToken("", ""), IsOk());
  EXPECT_THAT(VerifyGitlabToken("s3cret-token", "nope").message(), Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace goodhart::receivers::webhook
