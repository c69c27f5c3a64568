#include "goodhart/base/status.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

Result<int> Half(int x) {
  if (x % 2 != 0)
    return Status::InvalidArgument("half: x: odd value " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  GOODHART_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_THAT(Status::Ok(), IsOk());
  Status s = Status::NotFound("store: tenant: t1 not found");
  EXPECT_EQ(s.ToString(), "NOT_FOUND: store: tenant: t1 not found");
  EXPECT_EQ(s.WithPrefix("api").message(), "api: store: tenant: t1 not found");
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("odd value 3")));
}

}  // namespace
}  // namespace goodhart
