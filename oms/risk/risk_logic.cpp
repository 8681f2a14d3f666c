#include "oms/risk/risk_logic.hpp"

namespace polybot::oms::risk {
namespace {

bool ends_order(ExecKind k) noexcept {
  return k == ExecKind::kRejected || k == ExecKind::kCancelled || k == ExecKind::kExpired || k == ExecKind::kFilled;
}

// a * num / den, exact 128-bit intermediate, rounded toward zero.
std::int64_t scale(std::int64_t a, std::int64_t num, std::int64_t den) noexcept {
  return den == 0 ? 0 : static_cast<std::int64_t>(static_cast<i128>(a) * num / den);
}

}  // namespace

RiskLogic::RiskLogic(RiskParams params)
    : p_(params),
      available_(params.capital),
      min_available_(params.capital),
      orders_(params.max_open_orders),
      positions_(params.max_instruments == 0 ? 1 : params.max_instruments) {}

Usdc RiskLogic::position_cost() const noexcept {
  Usdc sum;
  for (const Position& p : positions_) sum += p.cost;
  return sum;
}

void RiskLogic::deny(const Intent& it, DenyReason reason, Usdc limit, Emitter& out) noexcept {
  Denied d{};
  d.hdr.type = Denied::kType;
  d.hdr.instrument = it.hdr.instrument;
  d.hdr.ts_exch = it.hdr.ts_exch;
  d.market = it.market;
  d.strategy = it.strategy;
  d.reason = reason;
  d.limit_price = it.limit_price;
  d.size = it.size;
  d.notional = it.notional;
  d.limit_value = limit;
  Envelope e = Envelope::of(d);
  (void)out.emit(e);
  ++denied_;
}

void RiskLogic::on_input(const Envelope& in, const Clock& /*clock*/, Emitter& out) noexcept {
  if (in.is<ExecReport>()) {
    on_report(in.as<ExecReport>());
    Envelope fwd = in;  // on to signal, whose strategies follow their own orders (position books, order gates)
    fwd.hdr.cause_seq = 0;
    (void)out.emit(fwd);
  } else if (in.is<Intent>()) {
    on_intent(in.as<Intent>(), out);
  } else if (in.is<Command>()) {
    switch (in.as<Command>().kind) {
      case CommandKind::kHalt:
      case CommandKind::kPanic: state_ = TradingState::kHalted; break;
      case CommandKind::kReduceOnly: state_ = TradingState::kReducing; break;
      case CommandKind::kResume:
        state_ = TradingState::kActive;
        reports_lost_ = false;
        break;
      case CommandKind::kReconcile: break;
    }
  } else if (in.is<MarketDef>() || in.is<TickSizeChange>()) {
    Envelope def = in;  // on to the oms, which learns the venue's token ids and tick from it
    def.hdr.cause_seq = 0;
    out.emit(def);
  }
  if (available_ < min_available_) min_available_ = available_;
}

void RiskLogic::on_intent(const Intent& it, Emitter& out) noexcept {
  if (it.action == IntentAction::kCancel || it.action == IntentAction::kCancelAll) return on_cancel(it, out);
  if (it.action != IntentAction::kPlace) {
    ++skipped_;
    return;
  }
  const Usdc notional = it.notional.raw != 0 ? it.notional : polybot::notional(it.limit_price, it.size);
  if (state_ == TradingState::kHalted) {
    return deny(it, reports_lost_ ? DenyReason::kChannelFull : DenyReason::kHalted, Usdc{}, out);
  }
  if (state_ == TradingState::kReducing && it.side == Side::kBuy) {
    return deny(it, DenyReason::kReducing, Usdc{}, out);
  }
  if (notional < p_.min_order_notional) return deny(it, DenyReason::kBelowMinOrder, p_.min_order_notional, out);
  if (notional > p_.max_order_notional) return deny(it, DenyReason::kPositionLimit, p_.max_order_notional, out);
  if (notional > available_) return deny(it, DenyReason::kInsufficientCapital, available_, out);
  if (orders_.full()) {
    // Too many orders open to account for another: limit_value carries the order count, not USDC.
    ++counters_.table_full;
    return deny(it, DenyReason::kExposureLimit, Usdc::from_raw(orders_.max_orders()), out);
  }

  const ClientOrderId id{++next_client_id_};
  OrderReservation res{};
  res.client_id = id;
  res.instrument = it.hdr.instrument;
  res.market = it.market;
  res.side = it.side;
  res.strategy = it.strategy;
  res.initial = notional;
  res.reserved = notional;
  res.size = it.size;
  (void)orders_.insert(res);  // not full (checked) and ids are fresh
  available_ -= notional;
  reserved_ += notional;

  OrderRequest r{};
  r.hdr.type = OrderRequest::kType;
  r.hdr.instrument = it.hdr.instrument;
  r.hdr.ts_exch = it.hdr.ts_exch;
  r.client_id = id;
  r.market = it.market;
  r.strategy = it.strategy;
  r.action = OrderAction::kNew;
  r.side = it.side;
  r.price = it.limit_price;
  r.size = it.size;
  r.amount = it.size.raw == 0 ? notional : Usdc{};
  r.order_type = it.order_type;
  r.post_only = it.post_only;
  r.market_order = (it.order_type == OrderType::kFok || it.order_type == OrderType::kFak) ? 1 : 0;
  r.expiration_s = it.expiration_s;
  Envelope e = Envelope::of(r);
  (void)out.emit(e);
  ++approved_;
}

// Cancels only take risk off, so they pass in every trading state. Each open order gets one request: the oms answers
// Cancelled (the reservation comes back) or the order ends otherwise (filled meanwhile, already gone).
void RiskLogic::on_cancel(const Intent& it, Emitter& out) noexcept {
  if (it.action == IntentAction::kCancel) {
    OrderReservation* o = orders_.find(it.cancel_target);
    if (o == nullptr) {
      ++counters_.cancels_unknown;
      return;
    }
    if (o->cancel_sent == 0) send_cancel(*o, it, out);
    return;
  }
  // Every open order of the strategy on the market. Emitting does not change the table, so the list stays valid.
  for (const ReservationTable::Open& open : orders_.open()) {
    if (open.strategy != it.strategy || open.market != it.market) continue;
    OrderReservation* o = orders_.find(open.client_id);
    if (o != nullptr && o->cancel_sent == 0) send_cancel(*o, it, out);
  }
}

void RiskLogic::send_cancel(OrderReservation& o, const Intent& it, Emitter& out) noexcept {
  o.cancel_sent = 1;
  OrderRequest r{};
  r.hdr.type = OrderRequest::kType;
  r.hdr.instrument = o.instrument;
  r.hdr.ts_exch = it.hdr.ts_exch;
  r.client_id = o.client_id;
  r.market = o.market;
  r.strategy = o.strategy;
  r.action = OrderAction::kCancel;
  r.side = o.side;
  Envelope e = Envelope::of(r);
  (void)out.emit(e);
  ++counters_.cancels_sent;
}

void RiskLogic::set_reserved(OrderReservation& o, Usdc target) noexcept {
  if (target.raw < 0) target = Usdc{};
  const Usdc freed = o.reserved - target;
  available_ += freed;
  reserved_ -= freed;
  o.reserved = target;
}

void RiskLogic::on_report(const ExecReport& er) noexcept {
  ++counters_.reports;
  // The oms numbers everything it emits, and everything it emits comes here: a gap is a report that a full
  // channel refused. Positions and capital can no longer be trusted, so no new order until an operator resumes.
  if (er.hdr.producer == Stage::kOms && er.hdr.seq != 0) {
    if (er.hdr.seq > last_oms_seq_ + 1) {
      counters_.lost_reports += er.hdr.seq - last_oms_seq_ - 1;
      reports_lost_ = true;
      state_ = TradingState::kHalted;
    }
    if (er.hdr.seq > last_oms_seq_) last_oms_seq_ = er.hdr.seq;
  }
  if (er.kind == ExecKind::kReconciled) return;  // the oms's summary of a reconciliation: no order of ours
  if (er.kind == ExecKind::kSettled) return settle(er);

  OrderReservation* o = orders_.find(er.client_id);
  if (o == nullptr) {
    // Ids are issued in order: one at or below the last issued belonged to an order that ended.
    if (er.client_id.valid() && er.client_id.value <= next_client_id_) ++counters_.late_reports;
    else ++counters_.unknown_reports;
  }
  // A fill is the venue's word even for an order risk no longer tracks (e.g. a reversal after the order ended).
  if (er.last_qty.raw != 0) apply_fill(er, o);
  if (o == nullptr) return;

  if (ends_order(er.kind)) {
    const std::int64_t before = o->reserved.raw;
    set_reserved(*o, Usdc{});
    if (er.kind != ExecKind::kFilled) counters_.released_raw += static_cast<std::uint64_t>(before);
    ++counters_.closed;
    orders_.erase(o);
    return;
  }
  // Still working: keep reserved what its unfilled part may still cost.
  Usdc target;
  if (o->size.raw > 0) {
    std::int64_t left = o->size.raw - o->filled.raw;
    if (left < 0) left = 0;
    if (left > o->size.raw) left = o->size.raw;
    target = Usdc::from_raw(scale(o->initial.raw, left, o->size.raw));
  } else {
    target = o->initial - o->spent;  // a market buy sized in USDC: its amount less what it spent
  }
  set_reserved(*o, target);
}

void RiskLogic::apply_fill(const ExecReport& er, OrderReservation* o) noexcept {
  const Qty q = er.last_qty;
  if (q.raw > 0) ++counters_.fills;
  else ++counters_.fill_reversals;
  if (er.hdr.instrument.value >= positions_.size()) ++counters_.untracked_fills;
  Position& p = positions_[slot(er.hdr.instrument)];
  if (er.market.valid()) p.market = er.market;
  const Usdc value = notional(er.last_price, q);  // negative for a reversal
  if (er.side == Side::kBuy) {
    const Usdc spend = value + er.fee;
    available_ -= spend;
    p.qty += q;
    p.cost += spend;
    if (o != nullptr) o->spent += spend;
  } else if (q.raw > 0) {
    const Usdc proceeds = value - er.fee;
    const std::int64_t held = p.qty.raw > 0 ? p.qty.raw : 0;
    const std::int64_t sold = q.raw < held ? q.raw : held;
    if (q.raw > held) ++counters_.sold_unheld;
    const Usdc cost_out = Usdc::from_raw(scale(p.cost.raw, sold, held));  // at the average cost
    available_ += proceeds;
    p.qty.raw -= sold;
    p.cost -= cost_out;
    realized_ += proceeds - cost_out;
  } else {
    // A sale that failed: its proceeds go back and the shares come back at the price they were sold at.
    const Usdc proceeds = value - er.fee;  // negative
    const Usdc cost_in = -value;
    available_ += proceeds;
    p.qty -= q;
    p.cost += cost_in;
    realized_ += proceeds + cost_in;
  }
  if (o != nullptr) o->filled += q;
}

void RiskLogic::settle(const ExecReport& er) noexcept {
  ++counters_.settlements;
  // Every token of the market resolves at once: the winners' payout comes in, all their cost goes out.
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    Position& p = positions_[i];
    const bool of_market = er.market.valid() ? p.market == er.market : i == slot(er.hdr.instrument);
    if (!of_market) continue;
    realized_ -= p.cost;
    p = Position{};
  }
  available_ += er.payout;
  realized_ += er.payout;
}

}  // namespace polybot::oms::risk
