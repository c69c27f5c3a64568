// The compact-attribute fast path reads exactly what the on-demand reader would, and declines
// every shape it does not handle.
#include "goodhart/receivers/otlp_http/internal/compact_attribute.h"

#include <gtest/gtest.h>

#include <string>

namespace goodhart::receivers::otlp::internal {
namespace {

// The text followed by zero padding, as the decoder's input buffer is.
std::string Padded(std::string_view text) {
  std::string out(text);
  out.append(64, '\0');
  return out;
}

TEST(CompactAttributeTest, ReadsKeyAndEveryScalarValue) {
  std::string text = Padded(R"({"key":"session.id","value":{"stringValue":"eec3945a"}})");
  std::string_view key;
  const char* value_start = nullptr;
  ASSERT_TRUE(ReadCompactKey(text.data(), &key, &value_start));
  EXPECT_EQ(key, "session.id");
  AnyValue value;
  ASSERT_TRUE(ReadCompactValue(value_start, &value));
  EXPECT_EQ(value.type, ValueType::kString);
  EXPECT_EQ(value.text, "eec3945a");

  struct Case {
    const char* json;
    ValueType type;
    int64_t int_value;
    double double_value;
    bool bool_value;
  };
  const Case cases[] = {
      {R"({"intValue":15}})", ValueType::kInt, 15, 0, false},
      {R"({"intValue":"30"}})", ValueType::kInt, 30, 0, false},
      {R"({"intValue":-4}})", ValueType::kInt, -4, 0, false},
      {R"({"intValue":"9223372036854775807"}})", ValueType::kInt, INT64_MAX, 0, false},
      {R"({"doubleValue":0.0027651900000000003}})", ValueType::kDouble, 0, 0.0027651900000000003,
       false},
      {R"({"doubleValue":1e-3}})", ValueType::kDouble, 0, 0.001, false},
      {R"({"boolValue":true}})", ValueType::kBool, 0, 0, true},
      {R"({"boolValue":false}})", ValueType::kBool, 0, 0, false},
  };
  for (const Case& c : cases) {
    std::string v = Padded(c.json);
    AnyValue any;
    ASSERT_TRUE(ReadCompactValue(v.data(), &any)) << c.json;
    EXPECT_EQ(any.type, c.type) << c.json;
    EXPECT_EQ(any.int_value, c.int_value) << c.json;
    EXPECT_EQ(any.double_value, c.double_value) << c.json;
    EXPECT_EQ(any.bool_value, c.bool_value) << c.json;
  }
}

TEST(CompactAttributeTest, StringsOfEveryLengthAroundTheWordSize) {
  for (size_t length = 0; length <= 40; ++length) {
    std::string s(length, 'x');
    std::string text = Padded(R"({"stringValue":")" + s + R"("}})");
    AnyValue value;
    ASSERT_TRUE(ReadCompactValue(text.data(), &value)) << length;
    EXPECT_EQ(value.text, s);
  }
}

TEST(CompactAttributeTest, DeclinesOtherShapes) {
  const char* keys[] = {
      R"({ "key":"a","value":{"stringValue":"b"}})",    // whitespace
      R"({"key": "a","value":{"stringValue":"b"}})",    // whitespace
      R"({"key":"a\"b","value":{"stringValue":"b"}})",  // escape in the key
      R"({"value":{"stringValue":"b"},"key":"a"})",     // value first
      R"({"key":"a","val":{"stringValue":"b"}})",      R"(["key","a"])",
  };
  for (const char* json : keys) {
    std::string text = Padded(json);
    std::string_view key;
    const char* value_start = nullptr;
    EXPECT_FALSE(ReadCompactKey(text.data(), &key, &value_start)) << json;
  }
  const char* values[] = {
      R"({"stringValue":"a\nb"}})",                // escape
      R"({"stringValue":"a"},"extra":1})",         // more attribute keys
      R"({"stringValue":"a","x":1}})",             // more value keys
      R"({"intValue":1.5}})",                      // not an integer
      R"({"intValue":"12abc"}})",                  // not an integer
      R"({"intValue":""}})",                       // empty
      R"({"intValue":-}})",                        // no digits
      R"({"intValue":"9223372036854775808"}})",    // past int64
      R"({"intValue":99999999999999999999999}})",  // past int64
      R"({"boolValue":"true"}})",                  // a string
      R"({"doubleValue":"NaN"}})",                 // a string
      R"({"arrayValue":{"values":[]}}})",          // not a scalar
      R"({"kvlistValue":{"values":[]}}})",
      R"({"bytesValue":"AAE="}})",
      R"({}})",
      R"({ "stringValue":"a"}})",
  };
  for (const char* json : values) {
    std::string text = Padded(json);
    AnyValue value{.type = ValueType::kEmpty};
    EXPECT_FALSE(ReadCompactValue(text.data(), &value)) << json;
    EXPECT_EQ(value.type, ValueType::kEmpty) << json;
  }
}

}  // namespace
}  // namespace goodhart::receivers::otlp::internal
