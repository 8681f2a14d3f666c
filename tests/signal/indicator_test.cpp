// Hand-computed cases for each indicator: constant prices, one-step moves, warm-up boundaries.
#include <gtest/gtest.h>

#include <cmath>

#include "signal/indicator/atr.hpp"
#include "signal/indicator/bollinger.hpp"
#include "signal/indicator/book_imbalance.hpp"
#include "signal/indicator/ema.hpp"
#include "signal/indicator/macd.hpp"
#include "signal/indicator/range_volatility.hpp"
#include "signal/indicator/realized_volatility.hpp"
#include "signal/indicator/rsi.hpp"

namespace polybot::signal {
namespace {

TEST(Ema, IsTheSimpleAverageOnTheSeedBarThenSmoothsWithTwoOverNPlusOne) {
  Ema e(3);
  EXPECT_FALSE(e.update(1.0));
  EXPECT_FALSE(e.update(2.0));
  ASSERT_TRUE(e.update(6.0));
  EXPECT_DOUBLE_EQ(e.value(), 3.0);
  ASSERT_TRUE(e.update(7.0));
  EXPECT_DOUBLE_EQ(e.value(), 3.0 + (7.0 - 3.0) * 0.5);
}

TEST(Rsi, IsZeroNotFiftyOnConstantPrices) {
  Rsi r(14);
  for (int i = 0; i < 14; ++i) EXPECT_FALSE(r.update(100.0));
  ASSERT_TRUE(r.update(100.0));
  EXPECT_EQ(r.value(), 0.0);
  for (int i = 0; i < 50; ++i) r.update(100.0);
  EXPECT_EQ(r.value(), 0.0);
}

TEST(Rsi, IsHundredWhenEveryChangeIsAGainAndZeroWhenEveryChangeIsALoss) {
  Rsi up(14), down(14);
  for (int i = 0; i <= 14; ++i) {
    up.update(100.0 + i);
    down.update(100.0 - i);
  }
  EXPECT_DOUBLE_EQ(up.value(), 100.0);
  EXPECT_DOUBLE_EQ(down.value(), 0.0);
}

TEST(Rsi, OneStepMoveAfterWarmUpFollowsWilderSmoothing) {
  Rsi r(2);
  r.update(10.0);
  r.update(12.0);  // +2
  ASSERT_TRUE(r.update(11.0));  // -1 -> gain 1, loss 0.5
  EXPECT_DOUBLE_EQ(r.value(), 100.0 * 1.0 / 1.5);
  ASSERT_TRUE(r.update(14.0));  // +3 -> gain (1*1+3)/2 = 2, loss 0.25
  EXPECT_DOUBLE_EQ(r.value(), 100.0 * 2.0 / 2.25);
}

TEST(Macd, SeedsTheFastEmaOnTheClosesEndingWhereTheSlowEmaStarts) {
  Macd m(2, 4, 2);
  const double xs[] = {1, 2, 3, 4, 10};
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(m.update(xs[i]));
  // At index 3: slow = mean(1..4) = 2.5, fast = mean(3,4) = 3.5 (not an EMA from index 1), macd = 1.
  ASSERT_TRUE(m.update(xs[4]));
  // Index 4: slow = 2.5 + (10-2.5)*0.4 = 5.5; fast = 3.5 + (10-3.5)*(2/3); macd = fast - slow.
  const double fast = 3.5 + (10 - 3.5) * (2.0 / 3.0);
  const double macd4 = fast - 5.5;
  EXPECT_DOUBLE_EQ(m.macd(), macd4);
  EXPECT_DOUBLE_EQ(m.signal(), (1.0 + macd4) / 2.0);
  EXPECT_DOUBLE_EQ(m.hist(), macd4 - (1.0 + macd4) / 2.0);
  EXPECT_EQ(m.lookback(), 4);
}

TEST(Macd, IsFirstValidAtIndexThirtyThreeForTwelveTwentySixNine) {
  Macd m;
  int first = -1;
  for (int i = 0; i < 40; ++i)
    if (m.update(100.0 + std::sin(i)) && first < 0) first = i;
  EXPECT_EQ(first, 33);
}

TEST(Atr, SeedsOnTheTrueRangesOfBarsOneToNThenUsesWilderSmoothing) {
  Atr a(2);
  EXPECT_FALSE(a.update(10, 8, 9));    // no true range for the first bar
  EXPECT_FALSE(a.update(12, 9, 11));   // tr = max(3, |9-12|, |9-9|) = 3
  ASSERT_TRUE(a.update(11, 10, 10));   // tr = max(1, 0, 1) = 1 -> seed (3+1)/2 = 2
  EXPECT_DOUBLE_EQ(a.value(), 2.0);
  ASSERT_TRUE(a.update(20, 19, 19));   // gap up: tr = |10-20| = 10 -> (2*1 + 10)/2 = 6
  EXPECT_DOUBLE_EQ(a.value(), 6.0);
}

TEST(Bollinger, HasZeroWidthOnConstantPricesAndTwoSigmaBandsOtherwise) {
  Bollinger flat(5);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(flat.update(50.0));
  ASSERT_TRUE(flat.update(50.0));
  EXPECT_EQ(flat.upper(), 50.0);
  EXPECT_EQ(flat.lower(), 50.0);
  Bollinger b(4);
  for (double x : {1.0, 2.0, 3.0, 4.0}) b.update(x);
  // population variance of 1..4 = 1.25
  EXPECT_DOUBLE_EQ(b.middle(), 2.5);
  EXPECT_NEAR(b.upper(), 2.5 + 2 * std::sqrt(1.25), 1e-12);
  b.update(5.0);  // window 2..5
  EXPECT_DOUBLE_EQ(b.middle(), 3.5);
  EXPECT_NEAR(b.lower(), 3.5 - 2 * std::sqrt(1.25), 1e-12);
}

TEST(RangeVolatility, IsMaxHighMinusMinLowOverMinLowOfTheLastNBars) {
  RangeVolatility r(3);
  EXPECT_FALSE(r.update(101, 99));
  EXPECT_FALSE(r.update(105, 100));
  ASSERT_TRUE(r.update(102, 98));
  EXPECT_DOUBLE_EQ(r.value(), (105.0 - 98.0) / 98.0);
  r.update(103, 101);  // window: bars 2..4
  EXPECT_DOUBLE_EQ(r.value(), (105.0 - 98.0) / 98.0);
  r.update(103, 101);  // bars 3..5
  EXPECT_DOUBLE_EQ(r.value(), (103.0 - 98.0) / 98.0);
  r.update(103, 101);  // bars 4..6
  EXPECT_DOUBLE_EQ(r.value(), (103.0 - 101.0) / 101.0);
}

TEST(RangeVolatility, MatchesABruteForceWindowOnARandomWalk) {
  RangeVolatility r(17);
  std::vector<double> hi, lo;
  double p = 100.0;
  unsigned s = 1;
  for (int i = 0; i < 2000; ++i) {
    s = s * 1103515245u + 12345u;
    p += ((s >> 16) % 200 - 100) * 0.01;
    hi.push_back(p + 0.3);
    lo.push_back(p - 0.3);
    r.update(hi.back(), lo.back());
    const std::size_t from = hi.size() >= 17 ? hi.size() - 17 : 0;
    double mx = hi[from], mn = lo[from];
    for (std::size_t k = from; k < hi.size(); ++k) {
      mx = std::max(mx, hi[k]);
      mn = std::min(mn, lo[k]);
    }
    ASSERT_EQ(r.max(), mx) << i;
    ASSERT_EQ(r.min(), mn) << i;
  }
}

TEST(RealizedVolatility, IsZeroOnAFlatPriceAndMatchesTheReturnsOfAnAlternatingOne) {
  RealizedVolatility flat(10);
  for (int i = 0; i < 30; ++i) flat.sample(std::int64_t{i} * 1'000'000'000, 100.0);
  EXPECT_EQ(flat.sigma_per_sqrt_second(), 0.0);
  RealizedVolatility alt(10, 2'000'000'000);  // 2-second grid
  for (int i = 0; i < 40; ++i) alt.sample(std::int64_t{i} * 2'000'000'000, i % 2 ? 101.0 : 100.0);
  const double r = std::log(101.0 / 100.0);
  EXPECT_EQ(alt.count(), 10);
  EXPECT_NEAR(alt.sigma_per_sample(), r, 1e-12);
  EXPECT_NEAR(alt.sigma_per_sqrt_second(), r / std::sqrt(2.0), 1e-12);
}

TEST(BookImbalance, IsBidOverAskAndUndefinedWithoutAsks) {
  EXPECT_DOUBLE_EQ(imbalance_ratio(3.0, 2.0), 1.5);
  EXPECT_TRUE(std::isnan(imbalance_ratio(3.0, 0.0)));
  const std::int64_t bids[] = {10, 20, 30}, asks[] = {5, 5, 5};
  EXPECT_DOUBLE_EQ(depth_imbalance(bids, 3, asks, 3, 2), 30.0 / 10.0);
  TokenTop t;
  t.valid = 1;
  t.bid_depth = Qty::from_units(300);
  t.ask_depth = Qty::from_units(200);
  EXPECT_DOUBLE_EQ(token_imbalance(t), 1.5);
  t.valid = 0;
  EXPECT_TRUE(std::isnan(token_imbalance(t)));
}

}  // namespace
}  // namespace polybot::signal
