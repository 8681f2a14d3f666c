#include "oms/risk/risk_logic.hpp"

namespace polybot::oms::risk {

RiskLogic::RiskLogic(RiskParams params) noexcept : p_(params), available_(params.capital) {}

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
  if (in.is<Command>()) {
    switch (in.as<Command>().kind) {
      case CommandKind::kHalt:
      case CommandKind::kPanic: state_ = TradingState::kHalted; break;
      case CommandKind::kReduceOnly: state_ = TradingState::kReducing; break;
      case CommandKind::kResume: state_ = TradingState::kActive; break;
      case CommandKind::kReconcile: break;
    }
    return;
  }
  if (in.is<MarketDef>() || in.is<TickSizeChange>()) {
    Envelope def = in;  // on to the oms, which learns the venue's token ids and tick from it
    def.hdr.cause_seq = 0;
    out.emit(def);
    return;
  }
  if (!in.is<Intent>()) return;
  const Intent& it = in.as<Intent>();
  if (it.action != IntentAction::kPlace) {
    ++skipped_;
    return;
  }
  const Usdc notional = it.notional.raw != 0 ? it.notional : polybot::notional(it.limit_price, it.size);
  if (state_ == TradingState::kHalted) return deny(it, DenyReason::kHalted, Usdc{}, out);
  if (state_ == TradingState::kReducing && it.side == Side::kBuy) {
    return deny(it, DenyReason::kReducing, Usdc{}, out);
  }
  if (notional < p_.min_order_notional) return deny(it, DenyReason::kBelowMinOrder, p_.min_order_notional, out);
  if (notional > p_.max_order_notional) return deny(it, DenyReason::kPositionLimit, p_.max_order_notional, out);
  if (notional > available_) return deny(it, DenyReason::kInsufficientCapital, available_, out);

  available_ -= notional;
  OrderRequest r{};
  r.hdr.type = OrderRequest::kType;
  r.hdr.instrument = it.hdr.instrument;
  r.hdr.ts_exch = it.hdr.ts_exch;
  r.client_id = ClientOrderId{++next_client_id_};
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

}  // namespace polybot::oms::risk
