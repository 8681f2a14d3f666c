// The shared pieces strategies stand on: price rounding onto the tick, the fee formula, market/window tracking
// (including the next window's book held until it opens), positions from fills.
#include <gtest/gtest.h>

#include "signal/fees.hpp"
#include "signal/market_state.hpp"
#include "signal/position_book.hpp"
#include "signal/price_rounding.hpp"
#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

TEST(PriceOnTick, FloorsBuysAndCeilsSellsWithoutBinaryNoise) {
  const Price cent = px("0.01");
  EXPECT_EQ(price_on_tick(0.57, cent, Side::kBuy), px("0.57"));  // 0.57*1e6 = 569999.99.. must not become 0.56
  EXPECT_EQ(price_on_tick(0.57, cent, Side::kSell), px("0.57"));
  EXPECT_EQ(price_on_tick(0.5749, cent, Side::kBuy), px("0.57"));
  EXPECT_EQ(price_on_tick(0.5701, cent, Side::kSell), px("0.58"));
  EXPECT_EQ(price_on_tick(0.57049, px("0.001"), Side::kBuy), px("0.57"));
  EXPECT_EQ(price_on_tick(0.5705, px("0.001"), Side::kSell), px("0.571"));
  EXPECT_EQ(price_on_tick(-0.2, cent, Side::kBuy), px("0.01"));  // clamped to [tick, 1 - tick]
  EXPECT_EQ(price_on_tick(1.3, cent, Side::kSell), px("0.99"));
  EXPECT_EQ(price_on_tick(std::nan(""), cent, Side::kBuy), Price{});
  EXPECT_EQ(add_ticks(px("0.02"), cent, -5), px("0.01"));
}

TEST(FeeSchedule, IsRateTimesPTimesOneMinusPToTheExponent) {
  const FeeSchedule f = FeeSchedule::from_bps(700, 1.0);
  EXPECT_NEAR(f.per_share(0.5) * 100, 1.75, 1e-12);  // §13.5: 100 shares at 0.50 -> $1.75
  EXPECT_NEAR(f.per_share(0.1) * 100, 0.63, 1e-12);
  EXPECT_NEAR(f.per_share(0.99) * 100, 0.0693, 1e-12);
  const FeeSchedule v1 = FeeSchedule::from_bps(2500, 2.0);  // the 2026 V1 crypto schedule: 0.25 (p(1-p))^2
  EXPECT_NEAR(v1.per_share(0.5), 0.25 * 0.0625, 1e-15);
  EXPECT_EQ(FeeSchedule::from_bps(0, 1.0).per_share(0.5), 0.0);
}

TEST(MarketState, HoldsTheNextWindowsBookUntilItOpens) {
  MarketState m;
  const std::int64_t now = (kW0 + 250) * kSec;
  m.on_message(book_top(kW0, Side2{}, Side2{}, 700, MarketId{1}), now);
  m.on_message(book_top(kW0 + 300, Side2{}, Side2{}, 700, MarketId{2}), now);  // pre-loaded next window
  EXPECT_EQ(m.market(), MarketId{1});
  EXPECT_EQ(m.window_at(now).market, MarketId{1});
  m.on_message(timer(kW0 + 300, TimerKind::kWindowOpen, MarketId{2}), (kW0 + 300) * kSec);
  EXPECT_EQ(m.market(), MarketId{2});
  EXPECT_TRUE(m.have_book());
  EXPECT_EQ(m.window_end_s(), kW0 + 600);
}

TEST(MarketState, IgnoresOtherIntervalsAndDerivesWindowsFromTheClockWithoutAMarket) {
  MarketState m(300);
  m.on_message(book_top(kW0, Side2{}, Side2{}, 700, MarketId{3}, "0.01", 900), (kW0 + 10) * kSec);
  EXPECT_FALSE(m.have_book());
  const auto w = m.window_at((kW0 + 301) * kSec);
  EXPECT_EQ(w.start_s, kW0 + 300);
  EXPECT_EQ(w.end_s, kW0 + 600);
  EXPECT_FALSE(w.market.valid());
}

TEST(MarketState, RefusesTradingOnInvalidOrFlaggedBooks) {
  MarketState m;
  Side2 bad;
  bad.valid = false;
  m.on_message(book_top(kW0, Side2{}, bad), (kW0 + 1) * kSec);
  EXPECT_TRUE(m.can_buy(Outcome::kUp));
  EXPECT_FALSE(m.can_buy(Outcome::kDown));
  Envelope flagged = book_top(kW0, Side2{}, Side2{});
  flagged.hdr.flags = msg_flag::kInvalid;
  m.on_message(flagged, (kW0 + 2) * kSec);
  EXPECT_FALSE(m.can_buy(Outcome::kUp));
  EXPECT_FALSE(m.both_usable());
}

TEST(PositionBook, AddsBuysWithFeesRemovesSellsAtAverageCostAndTakesRisksSnapshot) {
  MarketState m;
  m.on_message(book_top(kW0, Side2{}, Side2{}), (kW0 + 1) * kSec);
  PositionBook p(StrategyId{3});
  Envelope f = fill(StrategyId{3}, Outcome::kUp, Side::kBuy, "0.40", "10");
  f.as<ExecReport>().fee = Usdc::from_raw(100'000);
  p.on_message(f, m);
  EXPECT_EQ(p.up().shares, Qty::from_units(10));
  EXPECT_EQ(p.up().cost, Usdc::from_raw(4'100'000));
  EXPECT_DOUBLE_EQ(p.up().avg(), 0.41);
  p.on_message(fill(StrategyId{3}, Outcome::kUp, Side::kSell, "0.90", "4"), m);
  EXPECT_EQ(p.up().shares, Qty::from_units(6));
  EXPECT_DOUBLE_EQ(p.up().avg(), 0.41);
  p.on_message(fill(StrategyId{4}, Outcome::kDown, Side::kBuy, "0.40", "10"), m);  // another strategy's
  EXPECT_EQ(p.down().shares, Qty{});
  PositionUpdate pu{};
  pu.hdr.type = PositionUpdate::kType;
  pu.strategy = StrategyId{3};
  pu.market = kMarket;
  pu.down_shares = Qty::from_units(7);
  pu.down_cost = Usdc::from_units(3);
  p.on_message(Envelope::of(pu), m);
  EXPECT_EQ(p.down().shares, Qty::from_units(7));
  EXPECT_EQ(p.up().shares, Qty{});
  EXPECT_EQ(p.delta_raw(), -7'000'000);
}

}  // namespace
}  // namespace polybot::signal
