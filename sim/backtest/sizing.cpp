#include "sim/backtest/sizing.hpp"

#include <algorithm>
#include <cmath>

#include "core/int128.hpp"

namespace polybot::sim::backtest {

Qty shares_for_stake(Usdc stake, Price price) noexcept {
  if (stake.raw <= 0 || price.raw <= 0) return Qty{};
  const i128 centi = static_cast<i128>(stake.raw) * 100 / price.raw;  // shares in 0.01 units
  return Qty::from_raw(static_cast<std::int64_t>(centi * 10'000));
}

Qty FixedStakeSizer::size(const Intent& intent, const AccountView&) const noexcept {
  if (intent.side == Side::kSell) return intent.size;
  return shares_for_stake(stake_, intent.limit_price);
}

Qty IntentSizer::size(const Intent& intent, const AccountView&) const noexcept {
  if (intent.size.raw > 0) return intent.size;
  return shares_for_stake(intent.notional, intent.limit_price);
}

Usdc win_streak_stake(const WinStreakParams& p, std::int32_t streak, Usdc equity) noexcept {
  double stake = p.base.to_double() * std::pow(p.growth, std::max(0, streak));
  stake = std::min(stake, p.cap.to_double());
  stake = std::min(stake, p.capital_fraction * std::max(0.0, equity.to_double()));
  // Whole cents: the stake is a policy output, not a parsed price.
  return Usdc::from_raw(static_cast<std::int64_t>(std::floor(stake * 100.0 + 1e-9)) * 10'000);
}

Qty WinStreakSizer::size(const Intent& intent, const AccountView& account) const noexcept {
  if (intent.side == Side::kSell) return intent.size;
  return shares_for_stake(win_streak_stake(p_, account.win_streak, account.equity), intent.limit_price);
}

DenyReason BasicRiskGate::check(const Intent& intent, Qty shares, Usdc cost, const GateContext& ctx) const noexcept {
  if (ctx.halted) return DenyReason::kHalted;
  if (ctx.now_s >= ctx.window_end_s - p_.cutoff_s) return DenyReason::kTooLate;
  if (intent.side == Side::kBuy && p_.drawdown_floor.raw > 0 && ctx.account.equity <= p_.drawdown_floor) {
    return DenyReason::kDrawdownBreaker;
  }
  if (shares.raw <= 0 || shares < ctx.min_size) return DenyReason::kBelowMinOrder;
  if (intent.side == Side::kBuy) {
    if (cost > ctx.account.available) return DenyReason::kInsufficientCapital;
    if (p_.max_buys_per_window > 0 && ctx.buys_in_window >= p_.max_buys_per_window) {
      return DenyReason::kOneBookPerWindow;
    }
  } else if (shares > ctx.held) {
    return DenyReason::kPositionLimit;
  }
  return DenyReason::kNone;
}

}  // namespace polybot::sim::backtest
