// PairCost: the pair-cost accumulator with its equalizer ("gabagool"). It holds Up and Down shares of one window
// so that a pair (one Up + one Down, worth exactly 1 USDC at settlement) costs less than 1:
//   accumulate X when  price_X + fee_X + avg cost of the other side < target (default 0.98; with no other side
//                      yet, that side's current ask + fee stands in for its average cost),
//                      keeping |Up shares - Down shares| <= max_delta after the order (in-flight order counted),
//                      and only when the other side's ask depth >= liquidity_multiple x the order;
//   equalize          buy the lagging side (up to the lag) while price + fee + avg cost of the leading side
//                      < equalizer_max_pair_cost (default 1), so the position settles to a locked profit.
// No accumulation inside T - no_new_risk_s (default 120 s); the equalizer may run until T - stop_before_end_s.
// Holdings come from the strategy's ExecReport fills (or risk's PositionUpdate). Taker mode buys at the ask with
// FAK and counts the taker fee (§13.5); maker mode bids post-only at the best bid with no fee.
// Signal thread only; on_message never allocates, blocks or throws.
#pragma once

#include "signal/fees.hpp"
#include "signal/market_state.hpp"
#include "signal/position_book.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

enum class OrderMode : std::uint8_t { kTaker = 0, kMaker = 1 };

struct PairCostParams {
  StrategyId id{3};
  std::uint32_t interval_s = 300;
  double target = 0.98;                  // accumulate while the pair cost stays below
  double equalizer_max_pair_cost = 1.0;  // equalize while the pair cost stays below
  Qty max_delta = Qty::from_units(50);   // |Up - Down| shares
  Qty order_size = Qty::from_units(10);
  Qty min_size = Qty::from_units(5);
  Qty max_shares = Qty::from_units(500); // per side per window
  double liquidity_multiple = 3.0;
  double fee_exponent = 1.0;
  OrderMode mode = OrderMode::kTaker;
  std::int32_t no_new_risk_s = 120;
  std::int32_t stop_before_end_s = 10;
  std::int32_t cooldown_ms = 500;
  std::int32_t order_timeout_ms = 3000;
};

class PairCost final : public Strategy {
 public:
  static constexpr ReasonCode kAccumulateUp = 300;
  static constexpr ReasonCode kAccumulateDown = 301;
  static constexpr ReasonCode kEqualizeUp = 302;
  static constexpr ReasonCode kEqualizeDown = 303;
  enum Input { kPrice = 0, kOtherAvg = 1, kPairCost = 2, kFee = 3, kUpShares = 4, kDownShares = 5,
               kDeltaAfter = 6, kSecondsLeft = 7 };

  explicit PairCost(const PairCostParams& p) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "pair_cost"; }
  [[nodiscard]] StrategyId id() const noexcept override { return p_.id; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;
  [[nodiscard]] const PositionBook& position() const noexcept { return pos_; }

 private:
  // Price this strategy pays for X now (ask in taker mode, best bid in maker mode) and its fee; false if none.
  bool entry_price(Outcome o, Price& price, double& fee) const noexcept;
  bool try_equalize(std::int64_t now, double left_s, IntentSink& sink) noexcept;
  bool try_accumulate(Outcome o, std::int64_t now, double left_s, IntentSink& sink) noexcept;
  void place(Outcome o, ReasonCode r, Price price, Qty size, double other_avg, double pair_cost, double fee,
             double left_s, std::int64_t now, IntentSink& sink) noexcept;

  PairCostParams p_;
  MarketState market_;
  PositionBook pos_;
  OrderGate gate_;
  Outcome in_flight_side_ = Outcome::kNone;
  Qty in_flight_size_;
};

}  // namespace polybot::signal
