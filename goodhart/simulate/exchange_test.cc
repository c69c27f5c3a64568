// Exchange: a strategy world's owner records swapped into the honest world's input and back.
#include "goodhart/simulate/exchange.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace goodhart::simulate {
namespace {

// Three owners' records: a0 a1 | b0 b1 b2 | c0.
struct Fixture {
  std::vector<std::string> whole{"a0", "a1", "b0", "b1", "b2", "c0"};
  std::vector<size_t> at{0, 2, 5, 6};
};

void ExpectRoundTrip(std::vector<std::string> part, const std::vector<std::string>& expected,
                     const std::vector<size_t>& expected_at) {
  Fixture f;
  const std::vector<std::string> given = part;
  Exchange(f.whole, f.at, 1, part);
  EXPECT_EQ(f.whole, expected);
  EXPECT_EQ(f.at, expected_at);
  EXPECT_EQ(part, (std::vector<std::string>{"b0", "b1", "b2"}));
  Exchange(f.whole, f.at, 1, part);
  EXPECT_EQ(f.whole, Fixture{}.whole);
  EXPECT_EQ(f.at, Fixture{}.at);
  EXPECT_EQ(part, given);
}

TEST(ExchangeTest, SameNumberOfRecords) {
  ExpectRoundTrip({"x0", "x1", "x2"}, {"a0", "a1", "x0", "x1", "x2", "c0"}, {0, 2, 5, 6});
}

TEST(ExchangeTest, MoreRecords) {
  ExpectRoundTrip({"x0", "x1", "x2", "x3", "x4"}, {"a0", "a1", "x0", "x1", "x2", "x3", "x4", "c0"},
                  {0, 2, 7, 8});
}

TEST(ExchangeTest, FewerRecords) {
  ExpectRoundTrip({"x0"}, {"a0", "a1", "x0", "c0"}, {0, 2, 3, 4});
}

TEST(ExchangeTest, NoRecords) { ExpectRoundTrip({}, {"a0", "a1", "c0"}, {0, 2, 2, 3}); }

TEST(ExchangeTest, TheLastOwner) {
  Fixture f;
  std::vector<std::string> part{"y0", "y1"};
  Exchange(f.whole, f.at, 2, part);
  EXPECT_EQ(f.whole, (std::vector<std::string>{"a0", "a1", "b0", "b1", "b2", "y0", "y1"}));
  EXPECT_EQ(f.at, (std::vector<size_t>{0, 2, 5, 7}));
  EXPECT_EQ(part, (std::vector<std::string>{"c0"}));
}

}  // namespace
}  // namespace goodhart::simulate
