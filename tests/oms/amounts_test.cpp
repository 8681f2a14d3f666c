#include "oms/order/amounts.hpp"

#include <gtest/gtest.h>

namespace polybot::oms {
namespace {

struct Row {
  bool market;
  Side side;
  const char* size_or_amount;
  const char* price;
  const char* tick;
  std::uint64_t maker;
  std::uint64_t taker;
};

// §4.5 of the protocol notes (official client output).
constexpr Row kRows[] = {
    {false, Side::kBuy, "10", "0.55", "0.01", 5500000, 10000000},
    {false, Side::kSell, "10", "0.55", "0.01", 10000000, 5500000},
    {false, Side::kBuy, "15", "0.24", "0.01", 3600000, 15000000},
    {false, Side::kBuy, "12.8205", "0.78", "0.01", 9999600, 12820000},
    {false, Side::kSell, "2435.89", "0.39", "0.01", 2435890000, 949997100},
    {false, Side::kBuy, "100", "0.005", "0.001", 500000, 100000000},
    {false, Side::kBuy, "100", "0.0005", "0.0001", 50000, 100000000},
    {false, Side::kBuy, "21.04", "0.5", "0.1", 10520000, 21040000},
    {false, Side::kBuy, "5", "0.962", "0.001", 4810000, 5000000},
    {false, Side::kSell, "7.333", "0.123", "0.001", 7330000, 901590},
    {false, Side::kBuy, "18233.33", "0.58", "0.01", 10575331400, 18233330000},
    {true, Side::kBuy, "2.03", "0.58", "0.01", 2030000, 3500000},
    {true, Side::kBuy, "100", "0.5", "0.01", 100000000, 200000000},
    {true, Side::kSell, "10", "0.55", "0.01", 10000000, 5500000},
    {true, Side::kBuy, "9.98", "0.985", "0.001", 9980000, 10131970},
    {true, Side::kBuy, "5", "0.333", "0.001", 5000000, 15015010},
};

TEST(Amounts, ReproduceTheOfficialClientVectors) {
  for (const Row& r : kRows) {
    TickSize tick{};
    ASSERT_TRUE(parse_tick_size(r.tick, tick)) << r.tick;
    const Price price = Price::parse(r.price).value();
    const AmountLimits limits{};
    auto a = r.market ? market_order_amounts(r.side, price, Qty::parse(r.size_or_amount)->raw, tick, limits)
                      : limit_order_amounts(r.side, price, Qty::parse(r.size_or_amount).value(), tick, false, limits);
    ASSERT_TRUE(a) << r.size_or_amount << " @ " << r.price << ": " << a.error().message();
    EXPECT_EQ(a->maker, r.maker) << r.size_or_amount << " @ " << r.price;
    EXPECT_EQ(a->taker, r.taker) << r.size_or_amount << " @ " << r.price;
  }
}

TEST(Amounts, ServerLimitsFloorMarketTakerAmountsToFourDecimals) {
  auto a = market_order_amounts(Side::kBuy, Price::parse("0.985").value(), 9980000, TickSize::k0_001, AmountLimits{},
                                MarketRounding::kServerLimits);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->maker, 9980000u);
  EXPECT_EQ(a->taker, 10131900u);
}

TEST(Amounts, RefusePricesOffTheTickGridNamingTheValue) {
  auto a = limit_order_amounts(Side::kBuy, Price::parse("0.555").value(), Qty::parse("10").value(), TickSize::k0_01,
                               false, AmountLimits{});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, AmountErrc::kPriceOffTick);
  EXPECT_EQ(a.error().message(), "price 0.555 is not a multiple of the tick size 0.01");
  // 0.005 and 0.0025 ticks.
  EXPECT_FALSE(limit_order_amounts(Side::kBuy, Price::parse("0.123").value(), Qty::parse("10").value(),
                                   TickSize::k0_005, false, AmountLimits{}));
  EXPECT_TRUE(limit_order_amounts(Side::kBuy, Price::parse("0.125").value(), Qty::parse("10").value(),
                                  TickSize::k0_005, false, AmountLimits{}));
  EXPECT_TRUE(limit_order_amounts(Side::kBuy, Price::parse("0.0125").value(), Qty::parse("10").value(),
                                  TickSize::k0_0025, false, AmountLimits{}));
}

TEST(Amounts, RefusePricesOutsideTickToOneMinusTick) {
  for (const char* p : {"0", "0.009", "0.995", "1"}) {
    auto a = limit_order_amounts(Side::kBuy, Price::parse(p).value(), Qty::parse("10").value(), TickSize::k0_01,
                                 false, AmountLimits{});
    ASSERT_FALSE(a) << p;
    EXPECT_EQ(a.error().code, AmountErrc::kPriceOutOfRange) << p;
  }
  auto a = limit_order_amounts(Side::kBuy, Price::parse("0.99").value(), Qty::parse("10").value(), TickSize::k0_01,
                               false, AmountLimits{});
  EXPECT_TRUE(a);
  auto b = limit_order_amounts(Side::kBuy, Price::parse("0.999").value(), Qty::parse("10").value(), TickSize::k0_01,
                               false, AmountLimits{});
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().message(), "price 0.999 is outside [0.01, 0.99] for tick size 0.01");
}

TEST(Amounts, RefuseRestingSizesUnderTheMarketMinimum) {
  AmountLimits limits;
  limits.min_size = Qty::parse("5").value();
  auto a = limit_order_amounts(Side::kBuy, Price::parse("0.5").value(), Qty::parse("4.999").value(), TickSize::k0_01,
                               false, limits);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, AmountErrc::kSizeTooSmall);
  EXPECT_EQ(a.error().message(), "size 4.99 is below the minimum order size 5");
  EXPECT_TRUE(limit_order_amounts(Side::kBuy, Price::parse("0.5").value(), Qty::parse("5").value(), TickSize::k0_01,
                                  false, limits));
  EXPECT_FALSE(limit_order_amounts(Side::kBuy, Price::parse("0.5").value(), Qty::parse("0.009").value(),
                                   TickSize::k0_01, false, AmountLimits{}));
}

TEST(Amounts, RefuseMarketableBuysUnderOneDollar) {
  auto a = market_order_amounts(Side::kBuy, Price::parse("0.5").value(), 999999, TickSize::k0_01, AmountLimits{});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, AmountErrc::kNotionalTooSmall);
  EXPECT_EQ(a.error().message(), "marketable BUY notional $0.99 is below the minimum $1");
  // A FOK limit BUY of 1.99 shares at 0.5 is $0.995 -> refused; a GTC one rests and is allowed.
  EXPECT_FALSE(limit_order_amounts(Side::kBuy, Price::parse("0.5").value(), Qty::parse("1.99").value(),
                                   TickSize::k0_01, true, AmountLimits{}));
  EXPECT_TRUE(limit_order_amounts(Side::kBuy, Price::parse("0.5").value(), Qty::parse("1.99").value(),
                                  TickSize::k0_01, false, AmountLimits{}));
  // SELLs have no $1 floor.
  EXPECT_TRUE(market_order_amounts(Side::kSell, Price::parse("0.5").value(), 1000000, TickSize::k0_01, AmountLimits{}));
}

TEST(TickSize, ParsesOnlyTheOfficialStrings) {
  TickSize t{};
  for (const char* s : {"0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001"}) {
    ASSERT_TRUE(parse_tick_size(s, t)) << s;
    EXPECT_STREQ(to_string(t), s);
  }
  EXPECT_FALSE(parse_tick_size("0.010", t));
  EXPECT_FALSE(parse_tick_size("0.02", t));
  EXPECT_EQ(tick_rounding(TickSize::k0_0025).amount_decimals, 6);
  EXPECT_EQ(tick_rounding(TickSize::k0_005).price_decimals, 3);
}

}  // namespace
}  // namespace polybot::oms
