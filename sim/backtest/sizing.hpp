// Sizing and the pre-trade gate, as interfaces so the risk stage's policies can sit in the same path in the
// backtest and live: Sizer turns an Intent into shares, RiskGate says yes or names a DenyReason. The backtest
// ships a fixed-stake sizer (the default until the risk stage lands), the strategy's own size, and the
// product's win-streak policy (also used by `polybot montecarlo`). Single-threaded callers; no allocation.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/intent.hpp"

namespace polybot::sim::backtest {

// What sizing and the gate may know about the account.
struct AccountView {
  Usdc cash;            // settled cash
  Usdc available;       // cash minus what live buy orders reserve
  Usdc start_capital;
  Usdc equity;          // cash + open positions at cost
  std::int32_t win_streak = 0;
};

class Sizer {
 public:
  virtual ~Sizer() = default;
  // Shares to order for `intent` at its limit price; 0 means "nothing" (the gate then denies kBelowMinOrder).
  [[nodiscard]] virtual Qty size(const Intent& intent, const AccountView& account) const noexcept = 0;
};

// Spends a fixed USDC stake per buy intent: floor(stake / limit, 0.01 share). Sells keep the strategy's size.
class FixedStakeSizer final : public Sizer {
 public:
  explicit FixedStakeSizer(Usdc stake) noexcept : stake_(stake) {}
  [[nodiscard]] Qty size(const Intent& intent, const AccountView& account) const noexcept override;

 private:
  Usdc stake_;
};

// The strategy's own size (shares), or its notional converted at the limit price.
class IntentSizer final : public Sizer {
 public:
  [[nodiscard]] Qty size(const Intent& intent, const AccountView& account) const noexcept override;
};

// The product's win-streak policy: base × growth^streak, capped at `cap` and at `capital_fraction` of equity;
// the streak resets on any loss (PRODUCT.md §1).
struct WinStreakParams {
  Usdc base = Usdc::from_units(5);
  double growth = 1.5;
  Usdc cap = Usdc::from_units(25);
  double capital_fraction = 0.5;
};
Usdc win_streak_stake(const WinStreakParams& p, std::int32_t streak, Usdc equity) noexcept;

class WinStreakSizer final : public Sizer {
 public:
  explicit WinStreakSizer(WinStreakParams p) noexcept : p_(p) {}
  [[nodiscard]] Qty size(const Intent& intent, const AccountView& account) const noexcept override;

 private:
  WinStreakParams p_;
};

// Shares bought with `stake` at `price`, floored to 0.01 share (the venue's size precision).
Qty shares_for_stake(Usdc stake, Price price) noexcept;

struct GateContext {
  std::int64_t now_s = 0;
  std::int64_t window_end_s = 0;
  AccountView account;
  Qty held;                        // shares of the token held (for sells)
  Qty min_size;                    // the market's minimum order size
  std::int32_t buys_in_window = 0; // orders this strategy already placed in the window
  bool halted = false;
};

class RiskGate {
 public:
  virtual ~RiskGate() = default;
  // kNone: approved. `cost` is the worst-case USDC the order can consume (notional + taker fee bound).
  [[nodiscard]] virtual DenyReason check(const Intent& intent, Qty shares, Usdc cost,
                                         const GateContext& ctx) const noexcept = 0;
};

struct BasicGateParams {
  std::int32_t cutoff_s = 5;             // no new orders in the last N seconds of a window
  std::int32_t max_buys_per_window = 0;  // 0: unlimited
  Usdc drawdown_floor;                   // 0: none; halt new buys when equity <= floor
};

// The checks the backtest applies until the risk stage lands: halted, too late, drawdown floor, minimum size,
// capital, sells only what is held, orders per window.
class BasicRiskGate final : public RiskGate {
 public:
  explicit BasicRiskGate(BasicGateParams p) noexcept : p_(p) {}
  [[nodiscard]] DenyReason check(const Intent& intent, Qty shares, Usdc cost,
                                 const GateContext& ctx) const noexcept override;

 private:
  BasicGateParams p_;
};

}  // namespace polybot::sim::backtest
