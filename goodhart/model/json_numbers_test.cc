#include "goodhart/model/json_numbers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::model {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using Json = nlohmann::json;

TEST(CheckJsonNumbersFitTest, FloatsMustFitTheIntegerFieldsTheyMayLandIn) {
  EXPECT_THAT(CheckJsonNumbersFit(Json::parse(
                  R"({"authored_unix_ms":2.0,"rollout_fraction":0.5,"n":-9.2e18,)"
                  R"("files":[{"added_line_hashes":[1.8e19,-0.5,7],"meaningful":3}]})")),
              IsOk());
  EXPECT_THAT(CheckJsonNumbersFit(Json::parse(R"({"authored_unix_ms":1e30})")),
              StatusIs(StatusCode::kInvalidArgument,
                       "record.authored_unix_ms: number out of range (1e+30)"));
  EXPECT_THAT(CheckJsonNumbersFit(Json::parse(R"({"a":[{"b":-9.3e18}]})")),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("record.a[0].b")));
  EXPECT_THAT(CheckJsonNumbersFit(Json::parse(R"({"files":[{"removed_line_hashes":[1,-5.5]}]})")),
              StatusIs(StatusCode::kInvalidArgument,
                       "record.files[0].removed_line_hashes[1]: number out of range (-5.5)"));
  EXPECT_THAT(CheckJsonNumbersFit(Json::parse(R"({"files":[{"added_line_hashes":[2e19]}]})")),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace goodhart::model
