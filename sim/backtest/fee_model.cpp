#include "sim/backtest/fee_model.hpp"

#include "core/int128.hpp"

namespace polybot::sim::backtest {

Usdc trade_fee(const FeeSchedule& schedule, Liquidity liquidity, Price price, Qty shares) noexcept {
  if (!schedule.enabled || schedule.rate_e6 <= 0 || shares.raw <= 0) return Usdc{};
  if (liquidity == Liquidity::kMaker && schedule.taker_only) return Usdc{};
  const i128 p = price.raw;
  const i128 q = Price::kScale - price.raw;
  if (p <= 0 || q <= 0) return Usdc{};
  constexpr i128 kE12 = static_cast<i128>(1'000'000) * 1'000'000;
  // term = (p(1-p))^exponent in 1e-12 units; each extra power rescales (sub-1e-12 truncation is far below the
  // 1e-5 rounding of the result).
  i128 term = kE12;
  for (int i = 0; i < schedule.exponent; ++i) term = term * (p * q) / kE12;
  // shares (1e-6) × rate (1e-6) × term (1e-12) = 1e-24 USD; 1e-5 USD = 1e19 of those.
  const i128 num = static_cast<i128>(shares.raw) * schedule.rate_e6 * term;
  constexpr i128 kE19 = static_cast<i128>(10'000'000'000LL) * 1'000'000'000LL;
  i128 fee_e5 = (num + kE19 / 2) / kE19;
  if (fee_e5 == 0 && num > 0) fee_e5 = 1;  // minimum 0.00001
  return Usdc::from_raw(static_cast<std::int64_t>(fee_e5 * 10));
}

}  // namespace polybot::sim::backtest
