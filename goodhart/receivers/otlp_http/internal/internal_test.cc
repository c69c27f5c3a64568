// The building blocks: AnyValue conversions, the attribute key table, attribute reading on the
// canonical logs example (every AnyValue type), commit-id extraction and canonical values.
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/otlp_http/internal/any_value.h"
#include "goodhart/receivers/otlp_http/internal/claude_code.h"
#include "goodhart/receivers/otlp_http/internal/json_reader.h"

namespace goodhart::receivers::otlp::internal {
namespace {

TEST(AttrIdTest, EveryNameMapsBackToItsId) {
  for (size_t i = 0; i < kNumAttrIds; ++i) {
    const auto id = static_cast<AttrId>(i);
    EXPECT_EQ(LookupAttrId(AttrName(id)), id) << AttrName(id);
  }
  EXPECT_EQ(LookupAttrId("input_tokens"), AttrId::kInputTokens);
  EXPECT_EQ(LookupAttrId("gen_ai.usage.cache_read.input_tokens"),
            AttrId::kGenAiUsageCacheReadInputTokens);
  EXPECT_EQ(LookupAttrId(""), AttrId::kUnknown);
  EXPECT_EQ(LookupAttrId("input_tokenz"), AttrId::kUnknown);
  EXPECT_EQ(LookupAttrId("Input_tokens"), AttrId::kUnknown);
  EXPECT_EQ(LookupAttrId(std::string(200, 'x')), AttrId::kUnknown);
}

TEST(AnyValueTest, IntegerConversions) {
  EXPECT_EQ(ParseDecimalInt64("30"), 30);
  EXPECT_EQ(ParseDecimalInt64("+5"), 5);
  EXPECT_EQ(ParseDecimalInt64("-7"), -7);
  EXPECT_EQ(ParseDecimalInt64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseDecimalInt64("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseDecimalInt64(""), std::nullopt);
  EXPECT_EQ(ParseDecimalInt64("1 "), std::nullopt);
  EXPECT_EQ(ParseDecimalInt64("0x10"), std::nullopt);

  EXPECT_EQ(AsInt64({.type = ValueType::kDouble, .double_value = 2.0}), 2);
  EXPECT_EQ(AsInt64({.type = ValueType::kDouble, .double_value = 2.5}), std::nullopt);
  EXPECT_EQ(AsInt64({.type = ValueType::kDouble, .double_value = 1e19}), std::nullopt);
  EXPECT_EQ(AsInt64({.type = ValueType::kString, .text = "30"}), 30);
  EXPECT_EQ(AsInt64({.type = ValueType::kBool, .bool_value = true}), std::nullopt);
  EXPECT_EQ(AsDouble({.type = ValueType::kString, .text = "0.25"}), 0.25);
  EXPECT_EQ(AsDouble({.type = ValueType::kInt, .int_value = 3}), 3.0);
}

TEST(AnyValueTest, CanonicalFormIgnoresTheIntEncoding) {
  std::string a, b, c;
  AppendCanonical({.type = ValueType::kInt, .int_value = 10}, &a);
  AppendCanonical({.type = ValueType::kInt, .int_value = 10}, &b);
  AppendCanonical({.type = ValueType::kString, .text = "10"}, &c);
  EXPECT_EQ(a, "i10");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::string d;
  AppendCanonical({.type = ValueType::kDouble, .double_value = 0.1}, &d);
  EXPECT_EQ(d, "d0.1");
}

// Reads the attributes of logs.json's only record with the decoder's own reader.
TEST(ReadAttributesTest, LogsExampleHoldsEveryAnyValueType) {
  simdjson::padded_string json(
      goodhart::testing::ReadCorpus("opentelemetry-proto/examples/logs.json"));
  sj::parser parser;
  sj::document doc;
  ASSERT_EQ(parser.iterate(json).get(doc), simdjson::SUCCESS);
  sj::value attributes;
  ASSERT_EQ(doc.at_pointer("/resourceLogs/0/scopeLogs/0/logRecords/0/attributes").get(attributes),
            simdjson::SUCCESS);
  AttrSet known;
  std::vector<Attribute> all;
  ASSERT_EQ(ReadAttributes(attributes, &known, &all), simdjson::SUCCESS);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].key, "string.attribute");
  EXPECT_EQ(all[0].value.type, ValueType::kString);
  EXPECT_EQ(all[0].value.text, "some string");
  EXPECT_EQ(all[1].key, "boolean.attribute");
  EXPECT_EQ(all[1].value.type, ValueType::kBool);
  EXPECT_TRUE(all[1].value.bool_value);
  EXPECT_EQ(all[2].key, "int.attribute");
  EXPECT_EQ(all[2].value.type, ValueType::kInt);
  EXPECT_EQ(all[2].value.int_value, 10);  // "10", a string
  EXPECT_EQ(all[3].key, "double.attribute");
  EXPECT_EQ(all[3].value.type, ValueType::kDouble);
  EXPECT_EQ(all[3].value.double_value, 637.704);
  EXPECT_EQ(all[4].key, "array.attribute");
  EXPECT_EQ(all[4].value.type, ValueType::kArray);
  EXPECT_NE(all[4].value.text.find("\"many\""), std::string_view::npos);
  EXPECT_EQ(all[5].key, "map.attribute");
  EXPECT_EQ(all[5].value.type, ValueType::kKvlist);
  EXPECT_NE(all[5].value.text.find("\"some.map.key\""), std::string_view::npos);
  EXPECT_FALSE(known.Has(AttrId::kServiceName));  // none of these keys is one goodhart reads
}

TEST(ReadAttributesTest, KnownKeysOnlyWithoutAll) {
  simdjson::padded_string json(std::string_view(
      R"([{"key":"model","value":{"stringValue":"m"}},{"key":"x","value":{"intValue":"oops"}},)"
      R"({"key":"input_tokens","value":{"intValue":"9007199254740993"}},)"
      R"({"key":"duration_ms","value":{"intValue":"12x"}}])"));
  sj::parser parser;
  sj::document doc;
  ASSERT_EQ(parser.iterate(json).get(doc), simdjson::SUCCESS);
  sj::value value;
  ASSERT_EQ(doc.get_value().get(value), simdjson::SUCCESS);
  AttrSet known;
  ASSERT_EQ(ReadAttributes(value, &known, nullptr), simdjson::SUCCESS);
  EXPECT_EQ(known.String(AttrId::kModel), "m");
  ASSERT_NE(known.Find(AttrId::kInputTokens), nullptr);
  EXPECT_EQ(known.Find(AttrId::kInputTokens)->int_value, 9007199254740993);
  ASSERT_NE(known.Find(AttrId::kDurationMs), nullptr);
  EXPECT_EQ(known.Find(AttrId::kDurationMs)->type, ValueType::kInvalid);
}

TEST(ReadAttributesTest, EscapedKeysAndValuesAreUnescaped) {
  // Backslashes at every offset around the 8-byte words the escape scan reads.
  std::string json = "[";
  std::vector<std::string> expected;
  for (int length = 1; length <= 20; ++length) {
    for (int at = 0; at < length; ++at) {
      std::string raw(static_cast<size_t>(length), 'a');
      std::string plain = raw;
      raw.replace(static_cast<size_t>(at), 1, "\\u0062");  // "b"
      plain[static_cast<size_t>(at)] = 'b';
      if (json.size() > 1)
        json += ',';
      json += R"({"key":"k)" + std::to_string(expected.size()) + R"(","value":{"stringValue":")" +
              raw + R"("}})";
      expected.push_back(plain);
    }
  }
  json += R"(,{"key":"mod\u0065l","value":{"stringValue":"plain"}}])";
  simdjson::padded_string padded(json);
  sj::parser parser;
  sj::document doc;
  ASSERT_EQ(parser.iterate(padded).get(doc), simdjson::SUCCESS);
  sj::value value;
  ASSERT_EQ(doc.get_value().get(value), simdjson::SUCCESS);
  AttrSet known;
  std::vector<Attribute> all;
  ASSERT_EQ(ReadAttributes(value, &known, &all), simdjson::SUCCESS);
  ASSERT_EQ(all.size(), expected.size() + 1);
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(all[i].value.text, expected[i]) << i;
  EXPECT_EQ(all.back().key, "model");
  EXPECT_EQ(known.String(AttrId::kModel), "plain");
}

TEST(AttrSetTest, RecordValuesWinOverTheParent) {
  AttrSet resource, record;
  resource.Set(AttrId::kUserEmail, {.type = ValueType::kString, .text = "res@example.com"});
  resource.Set(AttrId::kServiceName, {.type = ValueType::kString, .text = "claude-code"});
  record.set_parent(&resource);
  record.Set(AttrId::kUserEmail, {.type = ValueType::kString, .text = "rec@example.com"});
  EXPECT_EQ(record.String(AttrId::kUserEmail), "rec@example.com");
  EXPECT_EQ(record.String(AttrId::kServiceName), "claude-code");
  EXPECT_FALSE(record.Has(AttrId::kSessionId));
  record.Clear();
  EXPECT_EQ(record.String(AttrId::kUserEmail), "res@example.com");
}

TEST(FindGitCommitIdTest, ReadsOnlyAHexCommitId) {
  EXPECT_EQ(FindGitCommitId(R"({"git_commit_id":"3f9a2c1"})"), "3f9a2c1");
  EXPECT_EQ(FindGitCommitId(R"({"a":1, "git_commit_id" : "ABCDEF0123456789"})"),
            "ABCDEF0123456789");
  EXPECT_EQ(FindGitCommitId(R"({"git_commit_id":"abc"})"), "");  // too short
  EXPECT_EQ(FindGitCommitId(R"({"git_commit_id":"not-a-sha"})"), "");
  EXPECT_EQ(FindGitCommitId(R"({"git_commit_id":null})"), "");
  EXPECT_EQ(FindGitCommitId(R"({"git_commit_id":"3f9a2c1)"), "");  // unterminated
  EXPECT_EQ(FindGitCommitId(""), "");
  EXPECT_EQ(FindGitCommitId(R"({"bash_command":"git status"})"), "");
}

}  // namespace
}  // namespace goodhart::receivers::otlp::internal
