// CompleteSet: complete-set arbitrage on one Up/Down window. One Up plus one Down share always settles to exactly
// 1 USDC, so:
//   buy both  when ask_up + ask_down + taker fees (§13.5, both legs) < 1 - margin, sized by the smaller size
//             at those two best asks (capped), both legs FAK (or FOK) at the asks;
//   sell both when bid_up + bid_down - taker fees > 1 + margin and the strategy holds both sides (mirror).
// Both legs carry the same reason and inputs. One set in flight at a time; nothing inside T - stop_before_end_s.
// Signal thread only; on_message never allocates, blocks or throws.
#pragma once

#include "signal/fees.hpp"
#include "signal/market_state.hpp"
#include "signal/position_book.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

struct CompleteSetParams {
  StrategyId id{4};
  std::uint32_t interval_s = 300;
  double margin = 0.005;                  // required profit per pair after fees
  double fee_exponent = 1.0;
  Qty max_size = Qty::from_units(100);    // shares per leg per set
  Qty min_size = Qty::from_units(5);
  bool allow_sell = true;
  OrderType order_type = OrderType::kFak; // kFak or kFok
  std::int32_t stop_before_end_s = 5;
  std::int32_t cooldown_ms = 1000;
  std::int32_t order_timeout_ms = 3000;
};

class CompleteSet final : public Strategy {
 public:
  static constexpr ReasonCode kBuySet = 400;
  static constexpr ReasonCode kSellSet = 401;
  enum Input { kUpPrice = 0, kDownPrice = 1, kSum = 2, kFees = 3, kProfitPerPair = 4, kUpSize = 5,
               kDownSize = 6, kSecondsLeft = 7 };

  explicit CompleteSet(const CompleteSetParams& p) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "complete_set"; }
  [[nodiscard]] StrategyId id() const noexcept override { return p_.id; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;

 private:
  void emit_set(ReasonCode r, Side side, Price up, Price down, Qty size, const double* inputs, std::int64_t now,
                IntentSink& sink) noexcept;

  CompleteSetParams p_;
  MarketState market_;
  PositionBook pos_;
  OrderGate gate_;
};

}  // namespace polybot::signal
