#include "signal/strategies/pair_cost.hpp"

namespace polybot::signal {

namespace {
Outcome other(Outcome o) noexcept { return o == Outcome::kUp ? Outcome::kDown : Outcome::kUp; }
Qty round_shares(Qty q) noexcept { return Qty::from_raw(q.raw - q.raw % 10'000); }  // 2 decimals (§4.3)
}  // namespace

PairCost::PairCost(const PairCostParams& p) noexcept
    : p_(p), market_(p.interval_s), pos_(p.id),
      gate_(std::int64_t{p.order_timeout_ms} * 1'000'000, std::int64_t{p.cooldown_ms} * 1'000'000) {}

bool PairCost::entry_price(Outcome o, Price& price, double& fee) const noexcept {
  const TokenTop& t = market_.token(o);
  if (p_.mode == OrderMode::kTaker) {
    if (!market_.can_buy(o)) return false;
    price = t.ask;
    fee = FeeSchedule::from_bps(market_.top().fee_rate_bps, p_.fee_exponent).per_share(t.ask);
  } else {
    if (!market_.can_sell(o)) return false;  // needs a bid to join
    price = t.bid;
    fee = 0.0;  // makers pay no fee (§13.5)
  }
  return true;
}

void PairCost::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  const std::int64_t now = clock.now_ns();
  market_.on_message(msg, now);
  pos_.on_message(msg, market_);
  gate_.on_message(msg, p_.id);
  if (!gate_.in_flight(now)) in_flight_side_ = Outcome::kNone;
  if (!msg.is<BookTop>() && !msg.is<ExecReport>() && !msg.is<PositionUpdate>()) return;
  const MarketState::Window w = market_.window_at(now);
  if (!market_.have_book() || market_.market() != w.market || !w.market.valid()) return;
  if (!market_.both_usable()) return;
  const std::int64_t left_ns = w.end_s * 1'000'000'000 - now;
  const double left_s = static_cast<double>(left_ns) * 1e-9;
  if (left_ns <= std::int64_t{p_.stop_before_end_s} * 1'000'000'000) return;
  if (!gate_.ready(now)) return;
  if (try_equalize(now, left_s, sink)) return;
  if (left_ns <= std::int64_t{p_.no_new_risk_s} * 1'000'000'000) return;
  // The cheaper side first: it lowers the pair cost most.
  const Outcome first = market_.top().up.ask <= market_.top().down.ask ? Outcome::kUp : Outcome::kDown;
  if (try_accumulate(first, now, left_s, sink)) return;
  try_accumulate(other(first), now, left_s, sink);
}

bool PairCost::try_equalize(std::int64_t now, double left_s, IntentSink& sink) noexcept {
  const std::int64_t delta = pos_.delta_raw();
  if (delta == 0) return false;
  const Outcome lag = delta > 0 ? Outcome::kDown : Outcome::kUp;
  const Qty lag_by = Qty::from_raw(delta > 0 ? delta : -delta);
  Price price;
  double fee = 0.0;
  if (!entry_price(lag, price, fee)) return false;
  const double lead_avg = pos_.side(other(lag)).avg();
  const double pair = price.to_double() + fee + lead_avg;
  if (pair >= p_.equalizer_max_pair_cost) return false;
  Qty size = lag_by < p_.order_size ? lag_by : p_.order_size;
  const TokenTop& t = market_.token(lag);
  if (p_.mode == OrderMode::kTaker && t.ask_size < size) size = t.ask_size;
  size = round_shares(size);
  if (size < p_.min_size) return false;
  place(lag, lag == Outcome::kUp ? kEqualizeUp : kEqualizeDown, price, size, lead_avg, pair, fee, left_s, now, sink);
  return true;
}

bool PairCost::try_accumulate(Outcome o, std::int64_t now, double left_s, IntentSink& sink) noexcept {
  Price price;
  double fee = 0.0;
  if (!entry_price(o, price, fee)) return false;
  const Outcome oth = other(o);
  double other_cost = pos_.side(oth).avg();
  if (pos_.side(oth).shares.raw <= 0) {
    // No other side yet: its current ask (and fee) is what completing the pair would cost.
    Price op;
    double ofee = 0.0;
    if (!entry_price(oth, op, ofee)) return false;
    other_cost = op.to_double() + ofee;
  }
  const double pair = price.to_double() + fee + other_cost;
  if (pair >= p_.target) return false;
  // Delta after the order, counting an order still in flight as filled.
  std::int64_t delta = pos_.delta_raw();
  if (in_flight_side_ == Outcome::kUp) delta += in_flight_size_.raw;
  if (in_flight_side_ == Outcome::kDown) delta -= in_flight_size_.raw;
  const std::int64_t signed_room = o == Outcome::kUp ? p_.max_delta.raw - delta : p_.max_delta.raw + delta;
  Qty size = p_.order_size;
  if (signed_room < size.raw) size = Qty::from_raw(signed_room);
  const Qty held = pos_.side(o).shares;
  if (held + size > p_.max_shares) size = p_.max_shares - held;
  const TokenTop& t = market_.token(o);
  if (p_.mode == OrderMode::kTaker && t.ask_size < size) size = t.ask_size;
  size = round_shares(size);
  if (size < p_.min_size) return false;
  // Liquidity: the other side must be deep enough to complete the pair later.
  const double need = p_.liquidity_multiple * static_cast<double>(size.raw);
  if (static_cast<double>(market_.token(oth).ask_depth.raw) < need) return false;
  place(o, o == Outcome::kUp ? kAccumulateUp : kAccumulateDown, price, size, other_cost, pair, fee, left_s, now,
        sink);
  return true;
}

void PairCost::place(Outcome o, ReasonCode r, Price price, Qty size, double other_avg, double pair_cost, double fee,
                     double left_s, std::int64_t now, IntentSink& sink) noexcept {
  const TokenTop& t = market_.token(o);
  Intent in = make_intent(p_.id, market_.market(), market_.window_end_s(), r, IntentAction::kPlace);
  in.hdr.instrument = t.token;
  in.outcome = o;
  in.side = Side::kBuy;
  in.order_type = p_.mode == OrderMode::kTaker ? OrderType::kFak : OrderType::kGtc;
  in.post_only = p_.mode == OrderMode::kMaker ? 1 : 0;
  in.limit_price = price;
  in.size = size;
  const std::int64_t delta_after = pos_.delta_raw() + (o == Outcome::kUp ? size.raw : -size.raw);
  in.inputs[kPrice] = price.to_double();
  in.inputs[kOtherAvg] = other_avg;
  in.inputs[kPairCost] = pair_cost;
  in.inputs[kFee] = fee;
  in.inputs[kUpShares] = pos_.up().shares.to_double();
  in.inputs[kDownShares] = pos_.down().shares.to_double();
  in.inputs[kDeltaAfter] = static_cast<double>(delta_after) / static_cast<double>(Qty::kScale);
  in.inputs[kSecondsLeft] = left_s;
  gate_.sent(now);
  in_flight_side_ = o;
  in_flight_size_ = size;
  sink.emit(in);
}

}  // namespace polybot::signal
