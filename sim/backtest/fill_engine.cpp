#include "sim/backtest/fill_engine.hpp"

#include <algorithm>

namespace polybot::sim::backtest {

namespace {

const Ladder* ladder(const ModelQuote& q, Outcome token, Side taker_side) {
  const bool up = token == Outcome::kUp;
  if (taker_side == Side::kBuy) return up ? &q.up_asks : &q.down_asks;
  return up ? &q.up_bids : &q.down_bids;
}

bool within_limit(Side side, Price level, Price limit) {
  return side == Side::kBuy ? level <= limit : level >= limit;
}

}  // namespace

void FillEngine::schedule(std::int64_t at_ns, Action a) { actions_.emplace(std::make_pair(at_ns, ++action_seq_), a); }

void FillEngine::submit(const OrderTicket& ticket, std::int64_t now_ns) {
  Order o;
  o.t = ticket;
  const auto id = ticket.request.client_id;
  orders_[id.value] = o;
  schedule(now_ns + p_.submit_latency_ns, Action{ActionKind::kArrive, id, ticket.request.market});
  if (ticket.request.order_type == OrderType::kGtd && ticket.request.expiration_s > 0) {
    schedule(ticket.request.expiration_s * 1'000'000'000, Action{ActionKind::kExpire, id, ticket.request.market});
  }
}

void FillEngine::cancel(ClientOrderId id, std::int64_t now_ns) {
  if (orders_.count(id.value) == 0) return;
  schedule(now_ns + p_.cancel_latency_ns, Action{ActionKind::kCancel, id, MarketId{}});
}

void FillEngine::cancel_market(MarketId market, std::int64_t now_ns) {
  schedule(now_ns + p_.cancel_latency_ns, Action{ActionKind::kCancel, ClientOrderId{}, market});
}

void FillEngine::advance(std::int64_t t_ns, bool inclusive, ExecSink& sink) {
  while (!actions_.empty()) {
    const auto it = actions_.begin();
    const std::int64_t at = it->first.first;
    if (inclusive ? at > t_ns : at >= t_ns) break;
    const Action a = it->second;
    actions_.erase(it);
    run(at, a, sink);
  }
}

bool FillEngine::marketable(const Order& o) const noexcept {
  const ModelQuote* q = book_.quote(o.t.request.market);
  if (q == nullptr || !q->valid) return false;
  const Ladder* l = ladder(*q, o.t.outcome, o.t.request.side);
  return l->count > 0 && within_limit(o.t.request.side, l->price[0], o.t.request.price);
}

Qty FillEngine::available(const Order& o) const noexcept {
  const ModelQuote* q = book_.quote(o.t.request.market);
  if (q == nullptr || !q->valid) return Qty{};
  const Ladder* l = ladder(*q, o.t.outcome, o.t.request.side);
  Qty total;
  for (int i = 0; i < l->count && within_limit(o.t.request.side, l->price[i], o.t.request.price); ++i) {
    total += l->size[i];
  }
  return total;
}

Qty FillEngine::take(Order& o, std::int64_t now_ns, ExecSink& sink, Qty max_qty) {
  const ModelQuote* q = book_.quote(o.t.request.market);
  if (q == nullptr || !q->valid) return Qty{};
  const Ladder l = *ladder(*q, o.t.outcome, o.t.request.side);
  Qty done;
  for (int i = 0; i < l.count && done < max_qty; ++i) {
    if (!within_limit(o.t.request.side, l.price[i], o.t.request.price)) break;
    const Qty qty = std::min(l.size[i], max_qty - done);
    if (qty.raw <= 0) continue;
    done += qty;
    o.cum += qty;
    const Usdc fee = trade_fee(o.t.fee, Liquidity::kTaker, l.price[i], qty);
    const bool complete = o.cum >= o.t.request.size;
    report(o, complete ? ExecKind::kFilled : ExecKind::kPartiallyFilled, now_ns, sink, l.price[i], qty, fee,
           Liquidity::kTaker);
  }
  return done;
}

void FillEngine::report(const Order& o, ExecKind kind, std::int64_t now_ns, ExecSink& sink, Price px, Qty qty,
                        Usdc fee, Liquidity liq) {
  ExecReport r{};
  r.hdr.type = ExecReport::kType;
  r.hdr.producer = Stage::kOms;
  r.hdr.instrument = o.t.request.hdr.instrument;
  r.hdr.ts_exch = now_ns;
  r.hdr.ts_recv = now_ns;
  r.hdr.ts_origin = now_ns;
  r.client_id = o.t.request.client_id;
  r.market = o.t.request.market;
  r.strategy = o.t.request.strategy;
  r.kind = kind;
  r.side = o.t.request.side;
  r.price = o.t.request.price;
  r.last_price = px;
  r.last_qty = qty;
  r.cum_qty = o.cum;
  r.leaves_qty = o.t.request.size - o.cum;
  r.fee = fee;
  r.outcome = o.t.outcome;
  r.trade_status = (kind == ExecKind::kFilled || kind == ExecKind::kPartiallyFilled) ? TradeStatus::kMatched
                                                                                     : TradeStatus::kNone;
  sink.on_exec(r, liq, o.t.outcome);
}

void FillEngine::finish(ClientOrderId id) { orders_.erase(id.value); }

void FillEngine::run(std::int64_t at, const Action& a, ExecSink& sink) {
  if (a.kind == ActionKind::kCancel && !a.id.valid()) {
    std::vector<ClientOrderId> ids;
    for (auto& [id, o] : orders_) {
      if (o.t.request.market == a.market) ids.push_back(o.t.request.client_id);
    }
    for (auto id : ids) run(at, Action{ActionKind::kCancel, id, a.market}, sink);
    return;
  }
  const auto it = orders_.find(a.id.value);
  if (it == orders_.end()) return;
  Order& o = it->second;
  const bool closed =
      std::find(closed_markets_.begin(), closed_markets_.end(), o.t.request.market.value) != closed_markets_.end() ||
      at >= o.t.window_end_ns;
  switch (a.kind) {
    case ActionKind::kArrive: {
      if (closed) {
        report(o, ExecKind::kRejected, at, sink);
        finish(a.id);
        return;
      }
      if (o.cancel_pending) {
        report(o, ExecKind::kCancelled, at, sink);
        finish(a.id);
        return;
      }
      const bool cross = marketable(o);
      if (cross && o.t.request.post_only != 0) {
        report(o, ExecKind::kRejected, at, sink);  // the venue refuses a post-only order that would cross
        finish(a.id);
        return;
      }
      if (cross) {
        o.phase = Phase::kDelayed;
        report(o, ExecKind::kAccepted, at, sink);
        schedule(at + p_.taker_delay_ns, Action{ActionKind::kMatch, a.id, o.t.request.market});
        return;
      }
      if (o.t.request.order_type == OrderType::kFok || o.t.request.order_type == OrderType::kFak) {
        report(o, ExecKind::kCancelled, at, sink);  // nothing to take: killed
        finish(a.id);
        return;
      }
      o.phase = Phase::kResting;
      report(o, ExecKind::kAccepted, at, sink);
      return;
    }
    case ActionKind::kMatch: {
      if (closed) {
        report(o, ExecKind::kRejected, at, sink);
        finish(a.id);
        return;
      }
      const Qty want = o.t.request.size - o.cum;
      if (o.t.request.order_type == OrderType::kFok && available(o) < want) {
        report(o, ExecKind::kCancelled, at, sink);
        finish(a.id);
        return;
      }
      take(o, at, sink, want);
      if (o.cum >= o.t.request.size) {
        finish(a.id);
        return;
      }
      if (o.t.request.order_type == OrderType::kFok || o.t.request.order_type == OrderType::kFak) {
        report(o, ExecKind::kCancelled, at, sink);
        finish(a.id);
        return;
      }
      o.phase = Phase::kResting;
      if (o.cancel_pending) {
        report(o, ExecKind::kCancelled, at, sink);
        finish(a.id);
      }
      return;
    }
    case ActionKind::kCancel: {
      if (o.phase == Phase::kInFlight) {
        o.cancel_pending = true;
        return;
      }
      if (o.phase == Phase::kDelayed) {
        o.cancel_pending = true;  // the speed bump is not cancellable: takes effect after the match
        return;
      }
      report(o, ExecKind::kCancelled, at, sink);
      finish(a.id);
      return;
    }
    case ActionKind::kExpire: {
      if (o.phase == Phase::kResting) {
        report(o, ExecKind::kExpired, at, sink);
        finish(a.id);
      }
      return;
    }
  }
}

void FillEngine::on_book(MarketId market, std::int64_t now_ns, ExecSink& sink) {
  const ModelQuote* q = book_.quote(market);
  if (q == nullptr || !q->valid) return;
  std::vector<std::uint64_t> done;
  for (auto& [id, o] : orders_) {
    if (o.phase != Phase::kResting || o.t.request.market != market) continue;
    // Our resting buy fills when the other side's best quote is strictly better than our price.
    const Side opp = o.t.request.side == Side::kBuy ? Side::kBuy : Side::kSell;  // taker side that would hit us
    const Ladder* l = ladder(*q, o.t.outcome, opp);
    if (l->count == 0) continue;
    const bool through = o.t.request.side == Side::kBuy ? l->price[0] < o.t.request.price
                                                         : l->price[0] > o.t.request.price;
    if (!through) continue;
    const Qty qty = o.t.request.size - o.cum;
    o.cum += qty;
    report(o, ExecKind::kFilled, now_ns, sink, o.t.request.price, qty,
           trade_fee(o.t.fee, Liquidity::kMaker, o.t.request.price, qty), Liquidity::kMaker);
    done.push_back(id);
  }
  for (auto id : done) orders_.erase(id);
}

void FillEngine::on_trade(MarketId market, Outcome token, Price price, std::int64_t now_ns, ExecSink& sink) {
  std::vector<std::uint64_t> done;
  for (auto& [id, o] : orders_) {
    if (o.phase != Phase::kResting || o.t.request.market != market || o.t.outcome != token) continue;
    const bool through = o.t.request.side == Side::kBuy ? price < o.t.request.price : price > o.t.request.price;
    if (!through) continue;
    const Qty qty = o.t.request.size - o.cum;
    o.cum += qty;
    report(o, ExecKind::kFilled, now_ns, sink, o.t.request.price, qty,
           trade_fee(o.t.fee, Liquidity::kMaker, o.t.request.price, qty), Liquidity::kMaker);
    done.push_back(id);
  }
  for (auto id : done) orders_.erase(id);
}

void FillEngine::close_market(MarketId market, std::int64_t now_ns, ExecSink& sink) {
  closed_markets_.push_back(market.value);
  std::vector<std::uint64_t> done;
  for (auto& [id, o] : orders_) {
    if (o.t.request.market != market || o.phase != Phase::kResting) continue;
    report(o, ExecKind::kExpired, now_ns, sink);
    done.push_back(id);
  }
  for (auto id : done) orders_.erase(id);
}

}  // namespace polybot::sim::backtest
