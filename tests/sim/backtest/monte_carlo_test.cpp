// The win-streak sizing policy and its Monte Carlo: exact stakes, exact ruin on a losing streak, seeded
// determinism, and ruin that falls as the win rate rises.
#include "sim/backtest/monte_carlo.hpp"

#include <gtest/gtest.h>

namespace polybot::sim::backtest {
namespace {

TEST(WinStreakSizing, GrowsByHalfPerWinAndRespectsBothCaps) {
  const WinStreakParams p;
  const Usdc rich = Usdc::from_units(100);
  EXPECT_EQ(win_streak_stake(p, 0, rich), *Usdc::parse("5"));
  EXPECT_EQ(win_streak_stake(p, 1, rich), *Usdc::parse("7.5"));
  EXPECT_EQ(win_streak_stake(p, 2, rich), *Usdc::parse("11.25"));
  EXPECT_EQ(win_streak_stake(p, 3, rich), *Usdc::parse("16.87"));  // 16.875 floored to the cent
  EXPECT_EQ(win_streak_stake(p, 4, rich), *Usdc::parse("25"));     // 25.31 capped at $25
  EXPECT_EQ(win_streak_stake(p, 9, rich), *Usdc::parse("25"));
  EXPECT_EQ(win_streak_stake(p, 4, Usdc::from_units(20)), *Usdc::parse("10"));  // 50 % of capital
  EXPECT_EQ(win_streak_stake(p, 0, Usdc::from_units(8)), *Usdc::parse("4"));
}

TEST(MonteCarlo, AlwaysLosingHitsTheFloorAfterExactlySixBets) {
  MonteCarloParams p;
  p.win_rates = {0.0};
  p.runs = 100;
  const auto rows = run_monte_carlo(p);
  ASSERT_EQ(rows.size(), 1u);
  // Each loss costs $5 + the 0.175 taker fee at 0.50: 100 − 6 × 5.175 = 68.95 ≤ 70 after the sixth.
  EXPECT_DOUBLE_EQ(rows[0].ruin_probability, 1.0);
  EXPECT_DOUBLE_EQ(rows[0].mean_bets, 6.0);
  EXPECT_NEAR(rows[0].final_p50, 68.95, 1e-9);
}

TEST(MonteCarlo, AlwaysWinningNeverDrawsDown) {
  MonteCarloParams p;
  p.win_rates = {1.0};
  p.runs = 10;
  const auto rows = run_monte_carlo(p);
  EXPECT_DOUBLE_EQ(rows[0].ruin_probability, 0.0);
  EXPECT_DOUBLE_EQ(rows[0].dd_max, 0.0);
  EXPECT_GT(rows[0].final_p50, 200.0);
}

TEST(MonteCarlo, SameSeedSameBytesAndRuinFallsWithTheWinRate) {
  MonteCarloParams p;
  p.runs = 2000;
  p.windows = 288;  // a whole day of 5-minute windows
  const auto a = run_monte_carlo(p);
  const auto b = run_monte_carlo(p);
  EXPECT_EQ(monte_carlo_csv(p, a), monte_carlo_csv(p, b));
  ASSERT_EQ(a.size(), 5u);
  for (std::size_t i = 1; i < a.size(); ++i) {
    EXPECT_LT(a[i].ruin_probability, a[i - 1].ruin_probability) << "win rate " << a[i].win_rate;
  }
  EXPECT_GT(a.front().ruin_probability, 0.9);   // 40 %: a day almost surely ends at the floor
  MonteCarloParams other = p;
  other.seed = 7;
  EXPECT_NE(monte_carlo_csv(p, a), monte_carlo_csv(other, run_monte_carlo(other)));
}

}  // namespace
}  // namespace polybot::sim::backtest
