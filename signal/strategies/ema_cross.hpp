// EmaCross: the foundation pipeline's demonstration strategy over 1-minute klines. When the fast EMA of closes
// crosses the slow EMA it asks to buy the Up (cross up) or Down (cross down) token with a fixed notional.
// It exists to exercise the pipeline end to end on real data; the product strategies live beside it.
// Signal thread only; no allocation in on_message.
#pragma once

#include "signal/strategy.hpp"

namespace polybot::signal {

struct EmaCrossParams {
  int fast = 12;
  int slow = 26;
  Usdc notional = Usdc::from_units(5);
  Price limit_price = Price::from_raw(550'000);  // 0.55
  bool every_bar = false;  // emit on every bar (the side of the averages), not only on crossings: load tests
};

class EmaCross final : public Strategy {
 public:
  static constexpr ReasonCode kCrossUp = 9001;
  static constexpr ReasonCode kCrossDown = 9002;

  EmaCross(StrategyId id, EmaCrossParams params) noexcept;
  [[nodiscard]] const char* name() const noexcept override { return "ema_cross"; }
  [[nodiscard]] StrategyId id() const noexcept override { return id_; }
  void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept override;

 private:
  StrategyId id_;
  EmaCrossParams p_;
  double fast_ = 0.0, slow_ = 0.0;
  double alpha_fast_, alpha_slow_;
  long n_ = 0;
  int last_sign_ = 0;
};

}  // namespace polybot::signal
