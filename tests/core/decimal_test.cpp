#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/fixed_point.hpp"

namespace polybot {
namespace {

TEST(Decimal, ParsesIntegersAndFractionsExactly) {
  EXPECT_EQ(*parse_decimal("0.55", 6, false), 550'000);
  EXPECT_EQ(*parse_decimal(".48", 6, false), 480'000);
  EXPECT_EQ(*parse_decimal("12", 6, false), 12'000'000);
  EXPECT_EQ(*parse_decimal("12.", 6, false), 12'000'000);
  EXPECT_EQ(*parse_decimal("0.000001", 6, false), 1);
  EXPECT_EQ(*parse_decimal("-3.5", 6, true), -3'500'000);
  EXPECT_EQ(*parse_decimal("+3.5", 6, true), 3'500'000);
  EXPECT_EQ(*parse_decimal("65987.24000000", 8, false), 6'598'724'000'000);
}

TEST(Decimal, AcceptsTrailingZerosBeyondTheScaleButNotDigits) {
  EXPECT_EQ(*parse_decimal("0.5500000000", 6, false), 550'000);
  const auto r = parse_decimal("0.5500001", 6, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, DecimalErrc::kTooPrecise);
}

TEST(Decimal, RejectsMalformedTextNamingIt) {
  for (const char* bad : {"", ".", "-", "abc", "1.2.3", "1e5", "0x10", " 1", "1 ", "1,5", "--1", "nan", "0.5x"}) {
    const auto r = parse_decimal(bad, 6, true);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find(std::string("\"") + bad + "\""), std::string::npos) << r.error().message();
  }
}

TEST(Decimal, RejectsNegativeWhenUnsigned) {
  const auto r = parse_decimal("-0.1", 6, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, DecimalErrc::kNegative);
}

TEST(Decimal, DetectsOverflowAtTheInt64Boundary) {
  EXPECT_EQ(*parse_decimal("9223372036854775807", 0, true), INT64_MAX);
  EXPECT_EQ(*parse_decimal("-9223372036854775808", 0, true), INT64_MIN);
  EXPECT_EQ(parse_decimal("9223372036854775808", 0, true).error().code, DecimalErrc::kOverflow);
  EXPECT_EQ(parse_decimal("9223372036854.775808", 6, true).error().code, DecimalErrc::kOverflow);
  EXPECT_EQ(*parse_decimal("9223372036854.775807", 6, true), INT64_MAX);
  EXPECT_EQ(parse_decimal("99999999999999999999999", 6, true).error().code, DecimalErrc::kOverflow);
}

TEST(Decimal, FormatsShortestExactForm) {
  EXPECT_EQ(format_decimal(550'000, 6), "0.55");
  EXPECT_EQ(format_decimal(12'000'000, 6), "12");
  EXPECT_EQ(format_decimal(1, 6), "0.000001");
  EXPECT_EQ(format_decimal(-1, 6), "-0.000001");
  EXPECT_EQ(format_decimal(0, 6), "0");
  EXPECT_EQ(format_decimal(INT64_MIN, 6), "-9223372036854.775808");
  EXPECT_EQ(format_decimal(INT64_MAX, 0), "9223372036854775807");
}

TEST(Price, RoundTripsEveryLevelOfEveryTickSize) {
  // Tick sizes Polymarket uses, and the ones in the official client's rounding table.
  for (const char* tick_text : {"0.1", "0.01", "0.001", "0.0001", "0.005", "0.0025"}) {
    const Price tick = *Price::parse(tick_text);
    for (std::int64_t raw = tick.raw; raw < kPriceOne.raw; raw += tick.raw) {
      const Price p = Price::from_raw(raw);
      const std::string s = p.to_string();
      const auto back = Price::parse(s);
      ASSERT_TRUE(back) << s;
      ASSERT_EQ(back->raw, raw) << tick_text << " " << s;
    }
  }
}

TEST(Price, MapsEveryTenThousandthToItsOwnBookSlot) {
  EXPECT_EQ(kPriceLevels, 10'001);
  EXPECT_EQ(Price::parse("0.0001")->raw / kMinTick.raw, 1);
  EXPECT_EQ(Price::parse("0.9999")->raw / kMinTick.raw, 9'999);
}

TEST(FixedPoint, QtyAndUsdcUseSixDecimalBaseUnits) {
  EXPECT_EQ(Qty::parse("219.217767")->raw, 219'217'767);
  EXPECT_EQ(Usdc::parse("1")->raw, 1'000'000);
  EXPECT_EQ(Usdc::parse("-2.5")->raw, -2'500'000);
  EXPECT_EQ(notional(*Price::parse("0.55"), *Qty::parse("10")).raw, 5'500'000);
  // 128-bit intermediate: no overflow at large sizes.
  EXPECT_EQ(notional(*Price::parse("0.999"), *Qty::parse("9000000000")).raw, 8'991'000'000'000'000);
}

TEST(FixedPoint, UsdPriceHoldsBinanceEightDecimals) {
  EXPECT_EQ(UsdPrice::parse("19715.93000000")->raw, 1'971'593'000'000);
  EXPECT_DOUBLE_EQ(UsdPrice::parse("19715.93")->to_double(), 19715.93);
  EXPECT_FALSE(UsdPrice::parse("19715.930000001"));
}

}  // namespace
}  // namespace polybot
