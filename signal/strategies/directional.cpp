#include "signal/strategies/directional.hpp"

#include <cmath>

#include "signal/indicator/book_imbalance.hpp"
#include "signal/position_book.hpp"
#include "signal/price_rounding.hpp"

namespace polybot::signal {

namespace {
IndicatorPeriods periods_of(const DirectionalParams& p) noexcept {
  IndicatorPeriods ip;
  ip.rsi = p.rsi_period;
  ip.macd_fast = p.macd_fast;
  ip.macd_slow = p.macd_slow;
  ip.macd_signal = p.macd_signal;
  ip.range_bars = p.range_bars;
  return ip;
}
}  // namespace

Directional::Directional(const DirectionalParams& p) noexcept
    : p_(p), market_(p.interval_s), ind_(periods_of(p)), btc_imbalance_(kNoImbalance) {}

double Directional::imbalance(std::int64_t now_ns) const noexcept {
  switch (p_.imbalance_source) {
    case ImbalanceSource::kPolymarket:
      return market_.usable(Outcome::kUp) ? token_imbalance(market_.top().up) : kNoImbalance;
    case ImbalanceSource::kBinance:
      if (std::isnan(btc_imbalance_) || now_ns - btc_imbalance_ns_ > p_.max_imbalance_age_ms * 1'000'000)
        return kNoImbalance;
      return btc_imbalance_;
    case ImbalanceSource::kNone:
      break;
  }
  return kNoImbalance;
}

void Directional::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  const std::int64_t now = clock.now_ns();
  market_.on_message(msg, now);
  if (msg.is<Kline>()) {
    const Kline& k = msg.as<Kline>();
    if (k.closed != 0) ind_.update(k.high.to_double(), k.low.to_double(), k.close.to_double());
  } else if (msg.is<BtcTick>()) {
    btc_imbalance_ = btc_tick_imbalance(msg.as<BtcTick>());
    btc_imbalance_ns_ = now;
  }
  const MarketState::Window w = market_.window_at(now);
  if (w.end_s == decided_window_end_s_) return;
  const std::int64_t left_ns = w.end_s * 1'000'000'000 - now;
  if (left_ns > std::int64_t{p_.entry_from_s} * 1'000'000'000) return;
  decide(w, now, sink);
}

bool Directional::defer_for_book(const MarketState::Window& w, std::int64_t left_ns) noexcept {
  // Inside the entry window a missing or invalid book may still come good: wait for it, and record the skip
  // only when the entry window has passed.
  if (left_ns < std::int64_t{p_.entry_to_s} * 1'000'000'000) return false;
  waiting_for_book_window_end_s_ = w.end_s;
  return true;
}

void Directional::decide(const MarketState::Window& w, std::int64_t now_ns, IntentSink& sink) noexcept {
  const IndicatorValues& v = ind_.values();
  const std::int64_t left_ns = w.end_s * 1'000'000'000 - now_ns;
  const double left_s = static_cast<double>(left_ns) * 1e-9;
  const double imb = imbalance(now_ns);
  Intent in = make_intent(p_.id, w.market, w.end_s, kSkipNeutral, IntentAction::kSkip);
  in.inputs[kRsi] = v.rsi;
  in.inputs[kMacd] = v.macd;
  in.inputs[kMacdSignal] = v.macd_signal;
  in.inputs[kImbalance] = imb;
  in.inputs[kRange] = v.range;
  in.inputs[kAsk] = 0.0;
  in.inputs[kSecondsLeft] = left_s;
  in.inputs[kClose] = v.close;
  auto skip = [&](ReasonCode r) {
    if (r == kSkipInvalidBook && defer_for_book(w, left_ns)) return;
    decided_window_end_s_ = w.end_s;
    in.reason = r;
    sink.emit(in);
  };
  if (left_ns < std::int64_t{p_.entry_to_s} * 1'000'000'000) {
    return skip(waiting_for_book_window_end_s_ == w.end_s ? kSkipInvalidBook : kSkipMissedEntry);
  }
  if (std::isnan(v.rsi) || std::isnan(v.macd)) {
    // "wait": decide on a later message of this entry window (the entry_to check above ends the wait).
    if (p_.not_warm == MissingPolicy::kIgnore) return;
    return skip(kSkipNotWarm);
  }
  const bool use_imbalance = p_.imbalance_source != ImbalanceSource::kNone;
  bool imbalance_ok_up = true, imbalance_ok_down = true;
  if (use_imbalance) {
    if (std::isnan(imb)) {
      if (p_.missing_imbalance == MissingPolicy::kSkip) return skip(kSkipNoImbalance);
    } else {
      imbalance_ok_up = imb > p_.imbalance_up;
      imbalance_ok_down = imb < p_.imbalance_down;
    }
  }
  if (p_.max_range > 0.0 && !std::isnan(v.range) && v.range > p_.max_range) return skip(kSkipRange);
  const bool up = v.rsi < p_.rsi_low && v.macd > v.macd_signal && imbalance_ok_up;
  const bool down = v.rsi > p_.rsi_high && v.macd < v.macd_signal && imbalance_ok_down;
  if (!up && !down) return skip(kSkipNeutral);
  const Outcome o = up ? Outcome::kUp : Outcome::kDown;
  in.outcome = o;
  Price limit;
  if (market_.have_book() && market_.market() == w.market && w.market.valid()) {
    if (!market_.can_buy(o)) return skip(kSkipInvalidBook);
    const TokenTop& t = market_.token(o);
    in.inputs[kAsk] = t.ask.to_double();
    if (t.ask > p_.max_price) return skip(kSkipPriceTooHigh);
    limit = add_ticks(t.ask, t.tick, p_.slippage_ticks);
    if (limit > p_.max_price) limit = p_.max_price;
    in.hdr.instrument = t.token;
  } else {
    if (p_.missing_book == MissingBookPolicy::kSkip) return skip(kSkipInvalidBook);
    limit = p_.assumed_price;  // kline-only: the backtest fills at this price; instrument stays 0 (no book)
    in.inputs[kAsk] = limit.to_double();
  }
  in.reason = up ? kUp : kDown;
  in.action = IntentAction::kPlace;
  in.side = Side::kBuy;
  in.order_type = p_.order_type;
  in.limit_price = limit;
  in.notional = p_.stake;
  decided_window_end_s_ = w.end_s;
  sink.emit(in);
}

}  // namespace polybot::signal
