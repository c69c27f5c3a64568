#include "goodhart/api/request_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::api {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;

TEST(CheckRequestTextTest, NamesThePartThatIsNotUtf8) {
  httplib::Request req;
  req.path = "/api/v1/report";
  req.params.emplace("from", "2026-01-01");
  EXPECT_THAT(CheckRequestText(req), IsOk());
  req.params.emplace("team", "caf\xe9");
  EXPECT_THAT(CheckRequestText(req),
              StatusIs(StatusCode::kInvalidArgument, "http: query parameter 'team': not UTF-8"));
  req.params.clear();
  req.path = "/api/v1/flags/\xff";
  EXPECT_THAT(CheckRequestText(req),
              StatusIs(StatusCode::kInvalidArgument, "http: path: not UTF-8"));
}

}  // namespace
}  // namespace goodhart::api
