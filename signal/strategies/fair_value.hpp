// FairValue (temporal arbitrage): P(Up) from the live BTC price against the window's strike, the time left and
// realised volatility (FairValueModel, TWAP settlement modelled), traded against the Polymarket book:
//   buy Up   when ask_up   < P(Up)     - taker fee(ask) - delay risk - edge
//   buy Down when ask_down < 1 - P(Up) - taker fee(ask) - delay risk - edge
//   sell a held side when its bid > its fair value + fee + delay risk + edge
// The fee is rate x (p(1-p))^exponent with the rate from BookTop::fee_rate_bps (§13.5); the delay risk is the
// fair-value move a `delay_sigmas` BTC move during the taker delay (§13.6, UNVERIFIED length, configurable)
// would cause. One order in flight at a time; no new orders inside T - stop_before_end_s. Emits only actions
// (no SKIP stream: it evaluates on every tick).
// Signal thread only; on_message never allocates, blocks or throws.
#pragma once

#include "signal/fair_value_model.hpp"
#include "signal/fees.hpp"
#include "signal/market_state.hpp"
#include "signal/position_book.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

struct FairValueParams {
  StrategyId id{2};
  std::uint32_t interval_s = 300;
  FairValueModelParams model{};
  double edge = 0.02;                 // required edge after fees and delay risk, probability units
  double fee_exponent = 1.0;          // feeSchedule.exponent (the rate comes from BookTop)
  std::int32_t taker_delay_ms = 150;  // §13.6: UNVERIFIED current value
  double delay_sigmas = 1.0;
  Qty order_size = Qty::from_units(10);
  Qty min_size = Qty::from_units(5);
  Qty max_position = Qty::from_units(100);  // shares per side per window
  Price min_price = Price::from_raw(20'000);   // do not buy below 0.02 or above 0.98: tails are model error
  Price max_price = Price::from_raw(980'000);
  std::int32_t stop_before_end_s = 10;
  std::int32_t cooldown_ms = 1000;
  std::int32_t order_timeout_ms = 3000;
  OrderType order_type = OrderType::kFak;
  bool allow_sell = true;
};

class FairValueStrategy final : public Strategy {
 public:
  static constexpr ReasonCode kBuyUp = 200;
  static constexpr ReasonCode kBuyDown = 201;
  static constexpr ReasonCode kSellUp = 202;
  static constexpr ReasonCode kSellDown = 203;
  enum Input { kFairUp = 0, kBtcPrice = 1, kStrike = 2, kSecondsLeft = 3, kSigma = 4, kBookPrice = 5, kFee = 6,
               kEdge = 7 };

  explicit FairValueStrategy(const FairValueParams& p) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "fair_value"; }
  [[nodiscard]] StrategyId id() const noexcept override { return p_.id; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;
  [[nodiscard]] const FairValueModel& model() const noexcept { return model_; }

 private:
  bool try_buy(Outcome o, double fair, const FairValue& fv, double delay, std::int64_t now, IntentSink& sink) noexcept;
  bool try_sell(Outcome o, double fair, const FairValue& fv, double delay, std::int64_t now, IntentSink& sink) noexcept;

  FairValueParams p_;
  MarketState market_;
  FairValueModel model_;
  PositionBook pos_;
  OrderGate gate_;
};

}  // namespace polybot::signal
