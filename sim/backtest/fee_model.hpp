// Polymarket taker fee (protocol notes §13.5): fee = C × rate × (p(1−p))^exponent in pUSD, rounded half-up to
// 5 decimals with a minimum of 0.00001 when non-zero; makers pay nothing when the schedule is taker-only.
// Integer arithmetic only (128-bit intermediate). Pure; any thread; no allocation.
#pragma once

#include "core/fixed_point.hpp"
#include "sim/backtest/market_list.hpp"

namespace polybot::sim::backtest {

enum class Liquidity : std::uint8_t { kTaker = 0, kMaker = 1 };

// Fee in USDC base units for `shares` filled at `price` under `schedule`.
Usdc trade_fee(const FeeSchedule& schedule, Liquidity liquidity, Price price, Qty shares) noexcept;

}  // namespace polybot::sim::backtest
