// gMock matchers for Status and Result<T>:
//   EXPECT_THAT(s, IsOk());  EXPECT_THAT(r.status(), StatusIs(StatusCode::kInvalidArgument,
//   HasSubstr("x")));
#pragma once

#include <gmock/gmock.h>

#include <ostream>

#include "goodhart/base/status.h"

namespace goodhart {
// Lets gtest print a Status readably in failure messages.
inline void PrintTo(const Status& status, std::ostream* os) { *os << status.ToString(); }
}  // namespace goodhart

namespace goodhart::testing {

MATCHER(IsOk, "is OK") {
  if (arg.ok())
    return true;
  *result_listener << arg.ToString();
  return false;
}

MATCHER_P(StatusIs, code, "") {
  if (arg.code() == code)
    return true;
  *result_listener << arg.ToString();
  return false;
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  if (arg.code() != code) {
    *result_listener << arg.ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, arg.message(), result_listener);
}

}  // namespace goodhart::testing

#define GOODHART_ASSERT_OK(expr) ASSERT_TRUE((expr).ok()) << (expr).ToString()
#define GOODHART_EXPECT_OK(expr) EXPECT_TRUE((expr).ok()) << (expr).ToString()
