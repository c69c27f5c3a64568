#include "goodhart/analytics/report/report_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goodhart::analytics::report {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Sample() {
  return json::parse(R"({
    "definition_version": "nd-1.0", "as_of": "2026-05-01T00:00:00.000Z", "directory_version": 3,
    "period": {"from": "2026-01-01T00:00:00.000Z", "to": "2026-04-01T00:00:00.000Z"},
    "org": {"nd": 12.5, "nd_final": 10, "nd_provisional": 2.5, "nd_pending": 1, "changes": 30,
            "cost_usd": 250.0, "cost_per_nd": 25.0, "cost_per_nd_basis": "final",
            "tokens": 1000000, "ai_assisted_nd_share": 0.4, "orphan_token_share": 0.25,
            "review_coverage": 0.9,
            "dora": {"deployment_days_per_week": 3, "deployment_frequency_bucket": "daily",
                     "lead_time_hours_median": 20.5, "change_failure_rate": 0.1,
                     "recovery_hours_median": null, "rework_rate": 0.05}},
    "teams": [{"team": "payments", "members": 6, "nd": 7.5, "nd_final": 6, "nd_rate": 0.12,
               "nd_index": 1.1, "nd_index_ci": [0.9, 1.3], "cost_per_nd": 20, "cost_usd": 150,
               "tokens": 600000, "ai_assisted_nd_share": 0.5,
               "dora": {"deployment_days_per_week": 2}}],
    "people": [{"person": "alice", "team": "payments", "nd": 2, "nd_star": 2, "nd_final": 2,
                "nd_rate": null, "changes": 4, "tokens": 5000, "cost_usd": 1.5, "flags": []}],
    "notes": ["something to know"]})");
}

TEST(RenderReportTableTest, ShowsOrgTeamsPeopleAndNotes) {
  std::string t = RenderReportTable(Sample());
  EXPECT_THAT(t, HasSubstr("definition nd-1.0"));
  EXPECT_THAT(t, HasSubstr("ND            12.50 (final 10.00, provisional 2.50, pending 1.00)"));
  EXPECT_THAT(t, HasSubstr("cost per ND $25.00 (final)"));
  EXPECT_THAT(t, HasSubstr("40% of ND"));
  EXPECT_THAT(t, HasSubstr("recovery - h"));
  EXPECT_THAT(t, HasSubstr("0.90..1.30"));
  EXPECT_THAT(t, HasSubstr("alice"));
  EXPECT_THAT(t, HasSubstr("note: something to know"));
}

TEST(RenderReportCsvTest, OneRowPerScope) {
  std::string csv = RenderReportCsv(Sample());
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find('\n', start);
    lines.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);  // header, org, one team, one person
  EXPECT_EQ(lines[0].rfind("scope,id,team,nd,", 0), 0u);
  EXPECT_EQ(lines[1].rfind("org,,,12.5,10,", 0), 0u) << lines[1];
  EXPECT_THAT(lines[2],
              HasSubstr("team,payments,payments,7.5,6,0.12,1.1,0.9,1.3,150,20,600000,0.5,2,"));
  EXPECT_EQ(lines[3].rfind("person,alice,payments,2,2,,", 0), 0u) << lines[3];
  // Every row has the header's number of fields.
  size_t fields = std::count(lines[0].begin(), lines[0].end(), ',');
  for (const std::string& l : lines)
    EXPECT_EQ(static_cast<size_t>(std::count(l.begin(), l.end(), ',')), fields) << l;
}

}  // namespace
}  // namespace goodhart::analytics::report
