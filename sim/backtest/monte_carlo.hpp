// MonteCarlo: risk of ruin and drawdown distribution of the product's win-streak sizing policy (PRODUCT.md §1:
// base $5 × 1.5 per consecutive win, capped at $25 and 50 % of capital, reset on loss, $100 start, halt at 30 %
// drawdown) over sessions of independent binary bets at a given win rate. Each bet buys at `entry_price` with the
// §13.5 taker fee and pays $1 per share on a win — the same integer money maths as the backtest. Seeded and
// deterministic (own splitmix64 generator, no std distributions). Off the hot path; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "sim/backtest/market_list.hpp"
#include "sim/backtest/sizing.hpp"

namespace polybot::sim::backtest {

struct MonteCarloParams {
  std::vector<double> win_rates{0.40, 0.45, 0.50, 0.55, 0.60};
  std::uint64_t runs = 10'000;
  std::int32_t windows = 18;              // bets per session (one per 5-minute window; 18 = the product's session)
  std::uint64_t seed = 42;
  Usdc capital = Usdc::from_units(100);
  double halt_drawdown = 0.30;            // halt when equity <= capital × (1 − halt_drawdown)
  Usdc min_order = Usdc::from_units(1);   // halt when the next stake would be below this
  Price entry_price = Price::from_raw(500'000);
  FeeSchedule fee{true, true, 70'000, 1, true};
  WinStreakParams sizing;
};

struct MonteCarloRow {
  double win_rate = 0.0;
  std::uint64_t runs = 0;
  double ruin_probability = 0.0;          // sessions that hit the drawdown floor
  double halt_probability = 0.0;          // floor or below the minimum order
  double dd_p50 = 0, dd_p90 = 0, dd_p95 = 0, dd_p99 = 0, dd_max = 0;  // max drawdown per session, fraction of peak
  double final_mean = 0, final_p05 = 0, final_p50 = 0, final_p95 = 0; // final equity, USDC
  double mean_bets = 0.0;
};

std::vector<MonteCarloRow> run_monte_carlo(const MonteCarloParams& p);

// CSV with a header; fixed formats, so identical parameters give identical bytes.
std::string monte_carlo_csv(const MonteCarloParams& p, const std::vector<MonteCarloRow>& rows);

}  // namespace polybot::sim::backtest
