// Word256 text forms: Polymarket token ids (decimal uint256) and condition ids (0x hex) round-trip exactly, and
// anything else is refused.
#include "core/word256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace polybot {
namespace {

TEST(Word256, RoundTripsRealTokenIdsAndConditionIds) {
  for (const std::string t : {"106853212325739234269605042620856745942429109258639927166403506431703417105118",
                              "2874657147608574511870479822723455958632653581698139222421553963293182470360", "0",
                              "1", "18446744073709551616"}) {
    Word256 w{};
    ASSERT_TRUE(word256_from_decimal(t, w)) << t;
    EXPECT_EQ(word256_decimal(w), t);
  }
  Word256 two64{};
  ASSERT_TRUE(word256_from_decimal("18446744073709551616", two64));
  EXPECT_EQ(two64[23], 1);  // 2^64: the byte just above the low eight
  const std::string c = "0x6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e27094c";
  Word256 h{};
  ASSERT_TRUE(word256_from_hex(c, h));
  EXPECT_EQ(h[0], 0x6f);
  EXPECT_EQ(word256_hex(h), c);
  ASSERT_TRUE(word256_from_hex("0X6FA121D31B5ED65B5C34B32AE646E4751B37FFD49C3CBCC379B055E22E27094C", h));
  EXPECT_EQ(word256_hex(h), c);  // printed lower case
}

TEST(Word256, TakesTheLargestValueAndRefusesOneMore) {
  const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  Word256 w{};
  ASSERT_TRUE(word256_from_decimal(max, w));
  for (auto b : w) EXPECT_EQ(b, 0xff);
  EXPECT_EQ(word256_decimal(w), max);
  Word256 before = w;
  EXPECT_FALSE(word256_from_decimal("115792089237316195423570985008687907853269984665640564039457584007913129639936", w));
  EXPECT_EQ(w, before);  // unchanged on failure
}

TEST(Word256, RefusesMalformedText) {
  Word256 w{};
  for (const char* bad : {"", "01", "12a", "-1", " 1", "1 ", "+1"}) EXPECT_FALSE(word256_from_decimal(bad, w)) << bad;
  EXPECT_FALSE(word256_from_hex("6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e27094c", w));  // no 0x
  EXPECT_FALSE(word256_from_hex("0x6fa1", w));
  EXPECT_FALSE(word256_from_hex("0x6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e2709zz", w));
}

}  // namespace
}  // namespace polybot
