#include "signal/strategies/complete_set.hpp"

namespace polybot::signal {

namespace {
Qty round_shares(Qty q) noexcept { return Qty::from_raw(q.raw - q.raw % 10'000); }  // 2 decimals (§4.3)
Qty min_qty(Qty a, Qty b) noexcept { return a < b ? a : b; }
}  // namespace

CompleteSet::CompleteSet(const CompleteSetParams& p) noexcept
    : p_(p), market_(p.interval_s), pos_(p.id),
      gate_(std::int64_t{p.order_timeout_ms} * 1'000'000, std::int64_t{p.cooldown_ms} * 1'000'000) {}

void CompleteSet::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  const std::int64_t now = clock.now_ns();
  market_.on_message(msg, now);
  pos_.on_message(msg, market_);
  gate_.on_message(msg, p_.id);
  if (!msg.is<BookTop>()) return;
  const MarketState::Window w = market_.window_at(now);
  if (!market_.have_book() || market_.market() != w.market || !w.market.valid()) return;
  if (!market_.both_usable()) return;
  const std::int64_t left_ns = w.end_s * 1'000'000'000 - now;
  const double left_s = static_cast<double>(left_ns) * 1e-9;
  if (left_ns <= std::int64_t{p_.stop_before_end_s} * 1'000'000'000 || !gate_.ready(now)) return;
  const FeeSchedule fees = FeeSchedule::from_bps(market_.top().fee_rate_bps, p_.fee_exponent);
  const TokenTop& up = market_.top().up;
  const TokenTop& down = market_.top().down;
  double in[8]{};
  in[kSecondsLeft] = left_s;
  if (market_.can_buy(Outcome::kUp) && market_.can_buy(Outcome::kDown)) {
    const double a_up = up.ask.to_double(), a_down = down.ask.to_double();
    const double f = fees.per_share(a_up) + fees.per_share(a_down);
    const double profit = 1.0 - (a_up + a_down + f);
    if (profit > p_.margin) {
      const Qty size = round_shares(min_qty(min_qty(up.ask_size, down.ask_size), p_.max_size));
      if (size >= p_.min_size) {
        in[kUpPrice] = a_up;
        in[kDownPrice] = a_down;
        in[kSum] = a_up + a_down;
        in[kFees] = f;
        in[kProfitPerPair] = profit;
        in[kUpSize] = up.ask_size.to_double();
        in[kDownSize] = down.ask_size.to_double();
        return emit_set(kBuySet, Side::kBuy, up.ask, down.ask, size, in, now, sink);
      }
    }
  }
  if (!p_.allow_sell || !market_.can_sell(Outcome::kUp) || !market_.can_sell(Outcome::kDown)) return;
  const double b_up = up.bid.to_double(), b_down = down.bid.to_double();
  const double f = fees.per_share(b_up) + fees.per_share(b_down);
  const double profit = b_up + b_down - f - 1.0;
  if (profit <= p_.margin) return;
  const Qty held = min_qty(pos_.up().shares, pos_.down().shares);
  const Qty size = round_shares(min_qty(min_qty(min_qty(up.bid_size, down.bid_size), p_.max_size), held));
  if (size < p_.min_size) return;
  in[kUpPrice] = b_up;
  in[kDownPrice] = b_down;
  in[kSum] = b_up + b_down;
  in[kFees] = f;
  in[kProfitPerPair] = profit;
  in[kUpSize] = up.bid_size.to_double();
  in[kDownSize] = down.bid_size.to_double();
  emit_set(kSellSet, Side::kSell, up.bid, down.bid, size, in, now, sink);
}

void CompleteSet::emit_set(ReasonCode r, Side side, Price up, Price down, Qty size, const double* inputs,
                           std::int64_t now, IntentSink& sink) noexcept {
  for (int leg = 0; leg < 2; ++leg) {
    const Outcome o = leg == 0 ? Outcome::kUp : Outcome::kDown;
    Intent in = make_intent(p_.id, market_.market(), market_.window_end_s(), r, IntentAction::kPlace);
    in.hdr.instrument = market_.token(o).token;
    in.outcome = o;
    in.side = side;
    in.order_type = p_.order_type;
    in.limit_price = leg == 0 ? up : down;
    in.size = size;
    for (int k = 0; k < 8; ++k) in.inputs[k] = inputs[k];
    sink.emit(in);
  }
  gate_.sent(now);
}

}  // namespace polybot::signal
