#include "signal/strategies/fair_value.hpp"

#include <cmath>

#include "signal/price_rounding.hpp"

namespace polybot::signal {

FairValueStrategy::FairValueStrategy(const FairValueParams& p) noexcept
    : p_(p), market_(p.interval_s), model_(p.model), pos_(p.id),
      gate_(std::int64_t{p.order_timeout_ms} * 1'000'000, std::int64_t{p.cooldown_ms} * 1'000'000) {}

void FairValueStrategy::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  const std::int64_t now = clock.now_ns();
  market_.on_message(msg, now);
  const MarketState::Window w = market_.window_at(now);
  model_.on_message(msg, w.start_s, w.end_s);
  pos_.on_message(msg, market_);
  gate_.on_message(msg, p_.id);
  if (!msg.is<BookTop>() && !msg.is<BtcTick>() && !msg.is<RefPrice>()) return;
  if (!market_.have_book() || market_.market() != w.market || !w.market.valid()) return;
  if (now >= (w.end_s - p_.stop_before_end_s) * 1'000'000'000) return;
  if (!gate_.ready(now)) return;
  const FairValue fv = model_.evaluate(now);
  if (!fv.valid()) return;
  // A BTC move of delay_sigmas standard deviations during the taker delay, in probability units.
  const double delay =
      p_.delay_sigmas * fv.dp_ds * fv.sigma * fv.price * std::sqrt(static_cast<double>(p_.taker_delay_ms) * 1e-3);
  if (try_buy(Outcome::kUp, fv.p_up, fv, delay, now, sink)) return;
  if (try_buy(Outcome::kDown, 1.0 - fv.p_up, fv, delay, now, sink)) return;
  if (!p_.allow_sell) return;
  if (try_sell(Outcome::kUp, fv.p_up, fv, delay, now, sink)) return;
  try_sell(Outcome::kDown, 1.0 - fv.p_up, fv, delay, now, sink);
}

bool FairValueStrategy::try_buy(Outcome o, double fair, const FairValue& fv, double delay, std::int64_t now,
                                IntentSink& sink) noexcept {
  if (!market_.can_buy(o)) return false;
  const TokenTop& t = market_.token(o);
  if (t.ask < p_.min_price || t.ask > p_.max_price) return false;
  const FeeSchedule fees = FeeSchedule::from_bps(market_.top().fee_rate_bps, p_.fee_exponent);
  const double ask = t.ask.to_double();
  const double fee = fees.per_share(ask);
  const double edge = fair - ask - fee - delay;
  if (edge <= p_.edge) return false;
  const Qty held = pos_.side(o).shares;
  Qty size = p_.order_size;
  if (t.ask_size < size) size = t.ask_size;
  if (held + size > p_.max_position) size = p_.max_position - held;
  size.raw -= size.raw % 10'000;  // shares to 2 decimals (the venue's size precision, §4.3)
  if (size < p_.min_size) return false;
  Intent in = make_intent(p_.id, market_.market(), market_.window_end_s(), o == Outcome::kUp ? kBuyUp : kBuyDown,
                          IntentAction::kPlace);
  in.hdr.instrument = t.token;
  in.outcome = o;
  in.side = Side::kBuy;
  in.order_type = p_.order_type;
  in.limit_price = t.ask;  // taker at the best ask: price on the tick already
  in.size = size;
  in.inputs[kFairUp] = fv.p_up;
  in.inputs[kBtcPrice] = fv.price;
  in.inputs[kStrike] = fv.strike;
  in.inputs[kSecondsLeft] = fv.tau_s;
  in.inputs[kSigma] = fv.sigma;
  in.inputs[kBookPrice] = ask;
  in.inputs[kFee] = fee;
  in.inputs[kEdge] = edge;
  gate_.sent(now);
  sink.emit(in);
  return true;
}

bool FairValueStrategy::try_sell(Outcome o, double fair, const FairValue& fv, double delay, std::int64_t now,
                                 IntentSink& sink) noexcept {
  const Qty held = pos_.side(o).shares;
  if (held < p_.min_size || !market_.can_sell(o)) return false;
  const TokenTop& t = market_.token(o);
  const FeeSchedule fees = FeeSchedule::from_bps(market_.top().fee_rate_bps, p_.fee_exponent);
  const double bid = t.bid.to_double();
  const double fee = fees.per_share(bid);
  const double edge = bid - fee - delay - fair;
  if (edge <= p_.edge) return false;
  Qty size = p_.order_size;
  if (t.bid_size < size) size = t.bid_size;
  if (held < size) size = held;
  size.raw -= size.raw % 10'000;
  if (size < p_.min_size) return false;
  Intent in = make_intent(p_.id, market_.market(), market_.window_end_s(), o == Outcome::kUp ? kSellUp : kSellDown,
                          IntentAction::kPlace);
  in.hdr.instrument = t.token;
  in.outcome = o;
  in.side = Side::kSell;
  in.order_type = p_.order_type;
  in.limit_price = t.bid;
  in.size = size;
  in.inputs[kFairUp] = fv.p_up;
  in.inputs[kBtcPrice] = fv.price;
  in.inputs[kStrike] = fv.strike;
  in.inputs[kSecondsLeft] = fv.tau_s;
  in.inputs[kSigma] = fv.sigma;
  in.inputs[kBookPrice] = bid;
  in.inputs[kFee] = fee;
  in.inputs[kEdge] = edge;
  gate_.sent(now);
  sink.emit(in);
  return true;
}

}  // namespace polybot::signal
