#include "signal/strategies/ema_cross.hpp"

namespace polybot::signal {

EmaCross::EmaCross(StrategyId id, EmaCrossParams params) noexcept
    : id_(id),
      p_(params),
      alpha_fast_(2.0 / (params.fast + 1.0)),
      alpha_slow_(2.0 / (params.slow + 1.0)) {}

void EmaCross::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  if (!msg.is<Kline>()) return;
  const Kline& k = msg.as<Kline>();
  const double close = k.close.to_double();
  if (n_++ == 0) {
    fast_ = slow_ = close;
    return;
  }
  fast_ += alpha_fast_ * (close - fast_);
  slow_ += alpha_slow_ * (close - slow_);
  if (n_ < p_.slow) return;  // let the slow average settle before acting
  const int sign = fast_ > slow_ ? 1 : (fast_ < slow_ ? -1 : 0);
  if (sign != 0 && ((last_sign_ != 0 && sign != last_sign_) || p_.every_bar)) {
    Intent it{};
    it.hdr.type = Intent::kType;
    it.hdr.instrument = k.hdr.instrument;
    it.hdr.ts_exch = k.hdr.ts_exch;
    it.strategy = id_;
    it.action = IntentAction::kPlace;
    it.outcome = sign > 0 ? Outcome::kUp : Outcome::kDown;
    it.reason = sign > 0 ? kCrossUp : kCrossDown;
    it.side = Side::kBuy;
    it.order_type = OrderType::kFok;
    it.limit_price = p_.limit_price;
    it.notional = p_.notional;
    it.window_end_s = clock.now_ns() / 1'000'000'000 + 300;
    it.inputs[0] = close;
    it.inputs[1] = fast_;
    it.inputs[2] = slow_;
    (void)sink.emit(it);
  }
  if (sign != 0) last_sign_ = sign;
}

}  // namespace polybot::signal
