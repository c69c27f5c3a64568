#include "goodhart/processors/pricing/price_table.h"

#include <gtest/gtest.h>

#include <limits>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::processors {
namespace {

using ::goodhart::testing::IsOk;
using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const int64_t kNov2025 = CivilToMillis(2025, 11, 25);

const ModelPrice& MustLookup(const PriceTable& table, std::string_view provider,
                             std::string_view model, int64_t at = kNov2025) {
  static const ModelPrice kNone;
  auto price = table.Lookup(provider, model, at);
  EXPECT_TRUE(price.ok()) << price.status().ToString();
  return price.ok() ? **price : kNone;
}

model::TokenCounts Tokens(int64_t input, int64_t cache_read, int64_t cache_write, int64_t output) {
  return model::TokenCounts::FromAnthropic(input, cache_read, cache_write, output);
}

Status ParseError(std::string_view yaml) { return PriceTable::FromYaml(yaml).status(); }

TEST(PriceTableTest, BuiltinTableLoads) {
  auto parsed = PriceTable::FromYaml(PriceTable::BuiltinYaml());
  ASSERT_THAT(parsed.status(), IsOk());
  const PriceTable& table = PriceTable::Builtin();
  EXPECT_EQ(table.version(), "2026-02-17");
  EXPECT_EQ(table.prices().size(), 28u);
  EXPECT_EQ(table.prices(), parsed->prices());
  for (const auto& p : table.prices()) {
    EXPECT_GT(p.input_micros_per_mtok, 0) << p.model;
    EXPECT_GT(p.output_micros_per_mtok, p.input_micros_per_mtok) << p.model;
    EXPECT_LE(p.cache_read_micros_per_mtok, p.input_micros_per_mtok) << p.model;
  }
}

TEST(PriceTableTest, ParsesPricesExactly) {
  const ModelPrice& p = MustLookup(PriceTable::Builtin(), "anthropic", "claude-sonnet-4-5");
  EXPECT_EQ(p.provider, "anthropic");
  EXPECT_EQ(p.model, "claude-sonnet-4-5");
  EXPECT_EQ(p.aliases, std::vector<std::string>{"claude-sonnet-4.5"});
  EXPECT_EQ(p.input_micros_per_mtok, 3'000'000);
  EXPECT_EQ(p.cache_read_micros_per_mtok, 300'000);
  EXPECT_EQ(p.cache_write_micros_per_mtok, 3'750'000);
  EXPECT_EQ(p.output_micros_per_mtok, 15'000'000);
  EXPECT_EQ(MustLookup(PriceTable::Builtin(), "openai", "o4-mini").cache_read_micros_per_mtok,
            275'000);
}

TEST(PriceTableTest, ComputesExactCosts) {
  const PriceTable& table = PriceTable::Builtin();
  const ModelPrice& sonnet = MustLookup(table, "anthropic", "claude-sonnet-4-5");
  EXPECT_EQ(CostMicros(sonnet, Tokens(1'000'000, 0, 0, 2'000)), 3'030'000);
  // Cache-read heavy agent turn: 36 + 370'370.1 + 30'000 + 22'500 micro-USD.
  EXPECT_EQ(CostMicros(sonnet, Tokens(12, 1'234'567, 8'000, 1'500)), 422'906);
  const ModelPrice& opus45 = MustLookup(table, "anthropic", "claude-opus-4-5-20251101");
  EXPECT_EQ(CostMicros(opus45, Tokens(3, 250'000, 40'000, 2'000)), 425'015);
  const ModelPrice& haiku = MustLookup(table, "anthropic", "claude-haiku-4-5-20251001");
  EXPECT_EQ(CostMicros(haiku, Tokens(1, 0, 0, 1)), 6);
  // OpenAI's accounting includes cached tokens in input; TokenCounts has split them.
  const ModelPrice& mini = MustLookup(table, "openai", "gpt-4o-mini");
  auto openai = model::TokenCounts::FromInclusiveInput(2'500'000, 500'000, 0, 300'000, 0);
  ASSERT_TRUE(openai.ok());
  EXPECT_EQ(CostMicros(mini, *openai), 517'500);
  EXPECT_EQ(CostMicros(mini, {}), 0);
}

TEST(PriceTableTest, RoundsHalfUpOnceOverTheSum) {
  const ModelPrice& nano = MustLookup(PriceTable::Builtin(), "openai", "gpt-5-nano");
  EXPECT_EQ(nano.cache_read_micros_per_mtok, 5'000);     // $0.005 / MTok
  EXPECT_EQ(CostMicros(nano, Tokens(0, 99, 0, 0)), 0);   // 0.495 micro-USD
  EXPECT_EQ(CostMicros(nano, Tokens(0, 100, 0, 0)), 1);  // 0.5
  EXPECT_EQ(CostMicros(nano, Tokens(0, 60, 0, 0)), 0);   // 0.3
  EXPECT_EQ(CostMicros(nano, Tokens(6, 60, 0, 0)), 1);   // 0.3 + 0.3: rounded once
}

TEST(PriceTableTest, HostileTokenCountsNeitherCrashNorWrap) {
  const ModelPrice& opus = MustLookup(PriceTable::Builtin(), "anthropic", "claude-opus-4-1");
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(CostMicros(opus, Tokens(max, max, max, max)), max);
  EXPECT_EQ(CostMicros(opus, Tokens(-5, 0, 0, 1'000'000)), 75'000'000);
}

TEST(PriceTableTest, MatchesDatedIdsAliasesAndCase) {
  const PriceTable& table = PriceTable::Builtin();
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-sonnet-4-5-20250929").model,
            "claude-sonnet-4-5");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-sonnet-4-20250514").model, "claude-sonnet-4");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-opus-4-6").model, "claude-opus-4-6");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-sonnet-4.6").model, "claude-sonnet-4-6");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-opus-4-1@20250805").model, "claude-opus-4-1");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-3-5-haiku-latest").model, "claude-3-5-haiku");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-sonnet-4.5").model, "claude-sonnet-4-5");
  EXPECT_EQ(MustLookup(table, "anthropic", "claude-opus-4-0").model, "claude-opus-4");
  EXPECT_EQ(MustLookup(table, "Anthropic", "Claude-Haiku-4-5").model, "claude-haiku-4-5");
  // The longest name wins: gpt-4o-mini, not gpt-4o followed by "-mini".
  EXPECT_EQ(MustLookup(table, "openai", "gpt-4o-mini-2024-07-18").model, "gpt-4o-mini");
  EXPECT_EQ(MustLookup(table, "openai", "gpt-4o-2024-08-06").model, "gpt-4o");
  EXPECT_EQ(MustLookup(table, "openai", "gpt-4o-2024-05-13").input_micros_per_mtok, 5'000'000);
  EXPECT_EQ(MustLookup(table, "openai", "o3-mini-2025-01-31").model, "o3-mini");
  // An empty provider matches on the model alone.
  EXPECT_EQ(MustLookup(table, "", "gpt-4.1-2025-04-14").model, "gpt-4.1");
}

TEST(PriceTableTest, DoesNotGuessPricesOfUnknownModels) {
  const PriceTable& table = PriceTable::Builtin();
  // A newer model must not silently take an older family member's price.
  EXPECT_THAT(table.Lookup("anthropic", "claude-opus-4-7", kNov2025).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("claude-opus-4-7")));
  EXPECT_THAT(table.Lookup("anthropic", "claude-sonnet-4-5-thinking", kNov2025).status(),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(table.Lookup("openai", "claude-sonnet-4-5", kNov2025).status(),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(table.Lookup("anthropic", "", kNov2025).status(), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(table.Lookup("", "gpt-4o-", kNov2025).status(), StatusIs(StatusCode::kNotFound));
  EXPECT_TRUE(table.History("github", "gpt-4o").empty());
}

TEST(PriceTableTest, EffectiveFromChoosesByTime) {
  const PriceTable& table = PriceTable::Builtin();
  const auto tokens = Tokens(1'000, 0, 0, 1'000);
  const int64_t cut = CivilToMillis(2025, 6, 10);
  EXPECT_EQ(CostMicros(MustLookup(table, "openai", "o3", cut - 1), tokens), 50'000);
  EXPECT_EQ(CostMicros(MustLookup(table, "openai", "o3-2025-04-16", cut), tokens), 10'000);
  EXPECT_EQ(table.History("openai", "o3").size(), 2u);

  auto own = PriceTable::FromFile(::goodhart::testing::TestdataPath("prices_small.yaml"));
  ASSERT_THAT(own.status(), IsOk());
  EXPECT_EQ(own->version(), "acme-2026-10");
  const int64_t oct = CivilToMillis(2026, 10, 1);
  const ModelPrice& before = MustLookup(*own, "anthropic", "claude-sonnet-4-5", oct - 1);
  const ModelPrice& after = MustLookup(*own, "anthropic", "claude-sonnet-4-5", oct);
  EXPECT_EQ(before.input_micros_per_mtok, 2'700'000);
  EXPECT_EQ(after.input_micros_per_mtok, 2'400'000);
  EXPECT_EQ(after.cache_read_micros_per_mtok, 2'400'000);  // omitted: the input price
  EXPECT_EQ(after.cache_write_micros_per_mtok, 2'400'000);

  auto dated = PriceTable::FromYaml(R"(
version: v1
models:
  - {provider: x, model: m, effective_from: 2026-01-01, usd_per_mtok: {input: 1, output: 2}}
)");
  ASSERT_THAT(dated.status(), IsOk());
  EXPECT_THAT(dated->Lookup("x", "m", CivilToMillis(2025, 12, 31)).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("x/m has no price before 2026-01-01")));
}

TEST(PriceTableTest, ParseErrorsNameTheField) {
  EXPECT_THAT(ParseError("version: v1\nmodels: [\n"),
              StatusIs(StatusCode::kInvalidArgument, StartsWith("pricing: prices.yaml: line ")));
  EXPECT_THAT(ParseError("- a\n- b\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected a mapping")));
  EXPECT_THAT(ParseError("models: []\n"),
              StatusIs(StatusCode::kInvalidArgument, "pricing: prices.yaml: version: missing"));
  EXPECT_THAT(ParseError("version: v1\n"),
              StatusIs(StatusCode::kInvalidArgument, "pricing: prices.yaml: models: missing"));
  EXPECT_THAT(ParseError("version: v1\nmodels: {}\nextra: 1\n"),
              StatusIs(StatusCode::kInvalidArgument, "pricing: prices.yaml: extra: unknown key"));
  const std::string head = R"(
version: v1
models:
  - {provider: anthropic, model: a, usd_per_mtok: {input: 1, output: 2}}
)";
  EXPECT_THAT(
      ParseError(head + "  - {provider: anthropic, usd_per_mtok: {input: 1, output: 2}}"),
      StatusIs(StatusCode::kInvalidArgument, "pricing: prices.yaml: models[1].model: missing"));
  EXPECT_THAT(
      ParseError(head + "  - {provider: '', model: b, usd_per_mtok: {input: 1, output: 2}}"),
      StatusIs(StatusCode::kInvalidArgument,
               "pricing: prices.yaml: models[1].provider: expected a non-empty string"));
  EXPECT_THAT(
      ParseError(head + "  - {provider: p, model: b, usd_per_mtok: {input: -1, output: 2}}"),
      StatusIs(StatusCode::kInvalidArgument,
               "pricing: prices.yaml: models[1].usd_per_mtok.input: '-1' is negative"));
  EXPECT_THAT(ParseError(head + "  - {provider: p, model: b, usd_per_mtok: {input: 1}}"),
              StatusIs(StatusCode::kInvalidArgument,
                       "pricing: prices.yaml: models[1].usd_per_mtok.output: missing"));
  EXPECT_THAT(
      ParseError(head + "  - {provider: p, model: b, usd_per_mtok: {input: 1, output: 2, x: 3}}"),
      StatusIs(StatusCode::kInvalidArgument,
               "pricing: prices.yaml: models[1].usd_per_mtok.x: unknown key"));
  EXPECT_THAT(
      ParseError(head + "  - {provider: p, model: b, usd_per_mtok: {input: 1e-3, output: 2}}"),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("models[1].usd_per_mtok.input: '1e-3' is not a decimal number")));
  EXPECT_THAT(
      ParseError(head + "  - {provider: p, model: b, usd_per_mtok: {input: [1], output: 2}}"),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("models[1].usd_per_mtok.input: expected a number")));
  EXPECT_THAT(ParseError(head + "  - {provider: p, model: b, usd_per_mtok: 3}"),
              StatusIs(StatusCode::kInvalidArgument,
                       "pricing: prices.yaml: models[1].usd_per_mtok: expected a mapping"));
  EXPECT_THAT(
      ParseError(head + "  - {provider: p, model: b, price: 1}"),
      StatusIs(StatusCode::kInvalidArgument, "pricing: prices.yaml: models[1].price: unknown key"));
  EXPECT_THAT(ParseError(head + "  - {provider: p, model: b, effective_from: soon, "
                                "usd_per_mtok: {input: 1, output: 2}}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("models[1].effective_from:")));
  EXPECT_THAT(ParseError(head + "  - {provider: p, model: b, aliases: c, "
                                "usd_per_mtok: {input: 1, output: 2}}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("models[1].aliases: expected")));
  EXPECT_THAT(ParseError(head + "  - {provider: anthropic, model: A, "
                                "usd_per_mtok: {input: 1, output: 2}}"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("models[1]: anthropic/a already has a price with this "
                                 "effective_from at models[0]")));
  EXPECT_THAT(
      PriceTable::FromFile(::goodhart::testing::TestdataPath("prices_bad_alias.yaml")).status(),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("prices_bad_alias.yaml: models[1].aliases[0]: 'gpt-4o' already "
                         "names openai/gpt-4o")));
  EXPECT_THAT(PriceTable::FromFile("/nonexistent/prices.yaml").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("/nonexistent/prices.yaml")));
}

TEST(PriceTableTest, SameNameUnderTwoProvidersIsFine) {
  auto table = PriceTable::FromYaml(R"(
version: v1
models:
  - {provider: openai, model: gpt-4o, usd_per_mtok: {input: 2.5, output: 10}}
  - {provider: azure.ai.openai, model: gpt-4o, usd_per_mtok: {input: 2.75, output: 11}}
)");
  ASSERT_THAT(table.status(), IsOk());
  EXPECT_EQ(MustLookup(*table, "azure.ai.openai", "gpt-4o").input_micros_per_mtok, 2'750'000);
  EXPECT_EQ(MustLookup(*table, "", "gpt-4o").input_micros_per_mtok, 2'500'000);  // file order
}

}  // namespace
}  // namespace goodhart::processors
