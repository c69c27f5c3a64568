#include "goodhart/model/usage_event.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::model {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

UsageEvent Valid() {
  UsageEvent e;
  e.event_key = "req:req_1";
  e.source = "otlp_logs";
  e.time_unix_ms = 1791447318137;
  return e;
}

TEST(UsageEventTest, ValidEventPasses) { EXPECT_THAT(Valid().Validate(), IsOk()); }

TEST(UsageEventTest, NamesTheBadField) {
  UsageEvent e = Valid();
  e.event_key.clear();
  EXPECT_THAT(e.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("event_key")));
  e = Valid();
  e.signal = Signal::kMetric;
  EXPECT_THAT(e.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("series_key")));
  e = Valid();
  e.tokens.cache_read = -1;
  EXPECT_THAT(e.Validate(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("cache_read")));
}

TEST(UsageEventTest, KindNamesRoundTrip) {
  for (auto k : {UsageKind::kModelCall, UsageKind::kPrompt, UsageKind::kUsageAggregate}) {
    EXPECT_EQ(*ParseUsageKind(UsageKindName(k)), k);
  }
  EXPECT_FALSE(ParseUsageKind("nope").ok());
}

}  // namespace
}  // namespace goodhart::model
