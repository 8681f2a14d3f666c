#include "oms/oms_logic.hpp"

#include <cstring>
#include <utility>

#include "core/int128.hpp"
#include "core/word256.hpp"

namespace polybot::oms {
namespace {
constexpr std::int64_t kMs = 1'000'000;
constexpr std::uint32_t kPresignReserve = 16;  // slots kept free for decisions that miss the cache
constexpr std::uint32_t kMaxPages = 1'000;      // reconciliation: pages of open orders or trades walked

constexpr std::uint32_t kMaxBalanceRetries = 8;  // reads asked again after racing a fill, per reconciliation

struct TradeCollector final : UserEventSink {
  Reconciler* rec = nullptr;
  BalanceBook* book = nullptr;
  std::string_view api_key, funder;
  void on_order(const UserOrderEvent&) noexcept override {}
  void on_trade(const UserTradeEvent& ev) noexcept override {
    attribute_fills(ev, api_key, funder, [&](const OurFill& f) {
      (void)rec->add_fill(f, ev.status);
      // A trade the venue lists as CONFIRMED is no longer in doubt, whether or not its frame reached us.
      if (ev.status == TradeStatus::kConfirmed)
        book->on_settled(FillLedger::key(ev.trade_id, venue_key_of(f.order), f.leg));
    });
  }
};
}  // namespace

OmsLogic::OmsLogic(OmsConfig cfg, const MarketDirectory& markets, SignedOrderStore& store, SignPort& signer,
                   OrderVenue* gateway, const Clock& clock, Emitter& out)
    : cfg_(std::move(cfg)),
      markets_(markets),
      store_(store),
      signer_(signer),
      gateway_(gateway),
      clock_(clock),
      out_(out),
      table_(cfg_.max_orders),
      cache_(cfg_.presign_max_age_ms * kMs),
      reconciler_(cfg_.reconcile),
      balances_(cfg_.reconcile) {
  started_ns_ = clock.now_ns();
  reconcile_clean_ = !cfg_.reconcile_on_start || gateway == nullptr;
  reconcile_wanted_ = cfg_.reconcile_on_start && gateway != nullptr;
}

void OmsLogic::set_input_recorder(OmsInputRecorder* r) noexcept {
  inputs_ = r;
  if (inputs_ == nullptr) return;
  std::string id = cfg_.api_key;  // the API key is public (POLY_API_KEY); the secret never comes here
  id += '\n';
  id += cfg_.funder_address;
  record(OmsInputKind::kStart, started_ns_, &started_ns_, sizeof started_ns_, id);
}

// ---- outputs ----

void OmsLogic::note_sent(SendStatus s, RequestKind kind, std::uint64_t client, bool resend, std::string_view body,
                         std::int64_t after_s, std::uint32_t count) noexcept {
  if (s != SendStatus::kSent || inputs_ == nullptr) return;
  SentHead h;
  h.kind = static_cast<std::uint8_t>(kind);
  h.resend = resend ? 1 : 0;
  h.count = static_cast<std::uint16_t>(count);
  h.client = client;
  h.after_s = after_s;
  record(OmsInputKind::kSent, event_ns_, &h, sizeof h, body);
}

bool OmsLogic::venue_healthy(std::int64_t now_ns) const noexcept {
  const bool h = gateway_->heartbeat_healthy(now_ns);
  if (health_seen_ != static_cast<std::int8_t>(h ? 1 : 0)) {
    health_seen_ = static_cast<std::int8_t>(h ? 1 : 0);
    const std::uint8_t v = h ? 1 : 0;
    record(OmsInputKind::kHealth, now_ns, &v, sizeof v);
  }
  return h;
}

void OmsLogic::emit(ExecReport& r) noexcept {
  touch();
  // Outside on_input (an answer, a frame, a poll) the report was caused by that event: received at its time.
  if (in_call_ == nullptr && r.hdr.ts_recv == 0) r.hdr.ts_recv = event_ns_;
  Envelope e = Envelope::of(r);
  Emitter& sink = in_call_ != nullptr ? *in_call_ : out_;
  if (!sink.emit(e)) ++counters_.emit_failures;
}

void OmsLogic::report(const Order& o, ExecKind kind, Qty last_qty, Price last_price, TradeStatus ts,
                      std::uint16_t reason) noexcept {
  ExecReport r{};
  r.hdr.type = ExecReport::kType;
  r.hdr.instrument = o.token;
  r.client_id = o.client_id;
  r.venue_key = o.venue_key();
  r.market = o.market;
  r.strategy = o.strategy;
  r.kind = kind;
  r.side = o.side;
  r.price = o.price;
  r.last_price = last_price;
  r.last_qty = last_qty;
  r.cum_qty = o.cum_qty;
  r.leaves_qty = o.leaves();
  r.venue_reason = reason;
  r.trade_status = ts;
  emit(r);
}

void OmsLogic::refuse(const OrderRequest& req, OmsReason why) noexcept {
  ++counters_.refused;
  ExecReport r{};
  r.hdr.type = ExecReport::kType;
  r.hdr.instrument = req.hdr.instrument;
  r.client_id = req.client_id;
  r.market = req.market;
  r.strategy = req.strategy;
  r.kind = ExecKind::kRejected;
  r.side = req.side;
  r.price = req.price;
  r.leaves_qty = Qty{};
  r.venue_reason = static_cast<std::uint16_t>(why);
  emit(r);
}

void OmsLogic::closed(Order& o) noexcept {
  if (o.send_pending != 0) {
    o.send_pending = 0;
    --send_pending_;
  }
  if (o.signed_slot != kNoSlot) {
    store_.release(o.signed_slot);
    o.signed_slot = kNoSlot;
  }
}

void OmsLogic::settle_slot(Order& o) noexcept {
  // Once the venue has answered for it (or it is Unknown: never resent, reconciliation decides), the signed bytes
  // are no longer needed for an identical resend: the slot goes back to the pool.
  if (o.state == OrderState::kSubmitted || o.send_pending != 0 || o.signed_slot == kNoSlot) return;
  store_.release(o.signed_slot);
  o.signed_slot = kNoSlot;
}

// ---- inputs ----

OmsReason OmsLogic::gate(MarketId market, std::int64_t now_ns) const noexcept {
  if (halted_) return OmsReason::kHalted;
  if (fail_closed_ || balance_fail_closed_) return OmsReason::kFailClosed;
  if (!reconcile_clean_) return OmsReason::kReconciling;
  if (cfg_.require_heartbeat && gateway_ != nullptr && !venue_healthy(now_ns))
    return OmsReason::kHeartbeatDown;
  if (table_.market_blocked(market)) return OmsReason::kMarketUnknown;
  return OmsReason::kNone;
}

void OmsLogic::define_market(const MarketDef& d) noexcept {
  // The window's end retires the market's learned pre-sign targets (no refills for a closed market).
  for (const InstrumentId id : {d.up, d.down}) {
    if (id.value < window_end_ns_.size()) window_end_ns_[id.value] = d.window_end_s > 0 ? d.window_end_s * 1'000'000'000 : 0;
  }
  if (dir_writer_ == nullptr) return;
  char condition[66];
  const std::string_view cond(condition, word256_to_hex(d.condition_id, condition));
  for (const auto& [id, word] : {std::pair{d.up, d.up_token}, std::pair{d.down, d.down_token}}) {
    char digits[80];
    const std::string_view token(digits, word256_to_decimal(word, digits));
    const TokenInfo* known = markets_.find(id);
    // The signing thread may be reading a known entry: rewrite it only when the definition really changed.
    if (known != nullptr && known->token.text() == token && known->condition() == cond && known->market == d.market &&
        known->min_size == d.min_order_size && known->neg_risk == (d.neg_risk != 0)) {
      continue;
    }
    if (dir_writer_->set(id, d.market, token, cond, d.tick, d.min_order_size, d.neg_risk != 0)) {
      ++counters_.markets_defined;
    } else {
      ++counters_.market_def_errors;
    }
  }
}

void OmsLogic::on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept {
  in_call_ = &out;
  const std::int64_t now = clock.now_ns();
  event_ns_ = now;
  if (in.is<OrderRequest>()) {
    const OrderRequest& req = in.as<OrderRequest>();
    switch (req.action) {
      case OrderAction::kNew:
        // Learning comes after the order is on its way: it never delays this decision's bytes.
        if (new_order(req, now) && cfg_.presign_auto.enabled) learn_presign(req, now);
        break;
      case OrderAction::kCancel:
      case OrderAction::kCancelMarket:
      case OrderAction::kCancelAll: cancel_order(req, now); break;
    }
  } else if (in.is<MarketDef>()) {
    define_market(in.as<MarketDef>());
  } else if (in.is<TickSizeChange>()) {
    if (dir_writer_ != nullptr) (void)dir_writer_->set_tick(in.hdr.instrument, in.as<TickSizeChange>().new_tick);
  } else if (in.is<Command>()) {
    const Command& c = in.as<Command>();
    switch (c.kind) {
      case CommandKind::kHalt: halted_ = true; break;
      case CommandKind::kResume:
        halted_ = false;
        fail_closed_ = false;  // the operator's word; reconciliation still has to come back clean
        balance_fail_closed_ = false;
        buys_blocked_ = false;
        balances_.reset();     // the venue's balances as they are now become the baseline
        reconcile_clean_ = false;
        request_reconcile();
        break;
      case CommandKind::kPanic:
        halted_ = true;
        if (gateway_ != nullptr) note_sent(gateway_->cancel_all(), RequestKind::kCancelAll, 0, false, {});
        break;
      case CommandKind::kReconcile: request_reconcile(); break;
      case CommandKind::kReduceOnly: break;  // risk's business
    }
  }
  in_call_ = nullptr;
}

SignKey OmsLogic::sign_key(const OrderRequest& req, Qty* sized) const noexcept {
  // What gets signed. A market order (FOK/FAK from risk) is sized in pUSD for a BUY (the official client's
  // createMarketOrder: amount to spend, price = the worst acceptable) and in shares for a SELL. A limit order that
  // came with a notional only is sized in whole cents of shares at its limit price.
  if (sized != nullptr) *sized = req.size;
  SignKey key{req.hdr.instrument, req.side, req.order_type, req.post_only, req.price, req.size};
  const bool marketable = req.order_type == ::polybot::OrderType::kFok || req.order_type == ::polybot::OrderType::kFak;
  if (req.market_order != 0 && marketable) {
    key.market = 1;
    key.size = Qty{};
    if (req.side == ::polybot::Side::kBuy) {
      key.amount_raw = req.amount.raw != 0 ? req.amount.raw : notional(req.price, req.size).raw;
      if (sized != nullptr) {
        // The table's size: the shares the signed order asks for (its taker amount), as the signer will compute it.
        const TokenInfo* ti = markets_.find(req.hdr.instrument);
        AmountLimits limits;
        limits.min_size = ti->min_size;
        const auto am = market_order_amounts(Side::kBuy, req.price, key.amount_raw, ti->tick, limits,
                                             cfg_.market_rounding);
        *sized = am ? Qty::from_raw(static_cast<std::int64_t>(am->taker)) : Qty{};
      }
    } else {
      key.amount_raw = req.size.raw;
    }
  } else if (req.size.is_zero() && req.amount.raw > 0 && req.price.raw > 0) {
    const std::int64_t shares =
        static_cast<std::int64_t>(static_cast<i128>(req.amount.raw) * 1'000'000 / req.price.raw);
    key.size = Qty::from_raw(shares - shares % 10'000);  // 2 decimals, rounded down: never above the notional
    if (sized != nullptr) *sized = key.size;
  }
  return key;
}

bool OmsLogic::new_order(const OrderRequest& req, std::int64_t now) noexcept {
  ++counters_.orders;
  const OmsReason why = gate(req.market, now);
  if (why != OmsReason::kNone) return refuse(req, why), false;
  if (buys_blocked_ && req.side == ::polybot::Side::kBuy) return refuse(req, OmsReason::kCollateralShort), false;
  if (markets_.find(req.hdr.instrument) == nullptr) return refuse(req, OmsReason::kUnknownToken), false;
  OrderRequest sized = req;
  const SignKey key = sign_key(req, &sized.size);
  Order* o = nullptr;
  switch (table_.insert(sized, now, &o)) {
    case OrderTable::InsertStatus::kOk: break;
    case OrderTable::InsertStatus::kFull: return refuse(req, OmsReason::kTableFull), false;
    case OrderTable::InsertStatus::kDuplicate:
    case OrderTable::InsertStatus::kInvalidId: return refuse(req, OmsReason::kDuplicateClientId), false;
  }
  std::uint32_t slot = 0;
  if (req.order_type != ::polybot::OrderType::kGtd && cache_.take(key, now, &slot)) {
    ++counters_.presign_hits;
    dispatch(*o, slot, now);
    return true;
  }
  ++counters_.presign_misses;
  if (!store_.acquire(&slot)) {
    table_.apply(*o, ExecKind::kRejected, now);
    report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(OmsReason::kNoSignSlot));
    return true;
  }
  SignJob job;
  job.slot = slot;
  job.tag = 0;
  job.client = req.client_id;
  job.key = key;
  job.expiration_s = req.expiration_s;
  if (!signer_.submit(job)) {
    record(OmsInputKind::kSignRefused, now, &job.client.value, sizeof job.client.value);
    store_.release(slot);
    table_.apply(*o, ExecKind::kRejected, now);
    report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(OmsReason::kNoSignSlot));
  }
  return true;
}

void OmsLogic::dispatch(Order& o, std::uint32_t slot, std::int64_t now) noexcept {
  const SignedRequest& sr = store_.at(slot);
  o.signed_slot = slot;
  if (!table_.bind_digest(o, sr.digest)) {
    // Another order already has this digest: sending would be a duplicate. Dead before sending.
    table_.apply(o, ExecKind::kRejected, now);
    report(o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(VenueError::kDuplicated));
    closed(o);
    return;
  }
  table_.apply(o, ExecKind::kSubmitted, now);
  ++counters_.submitted;
  // Journal first: the venue key is on record before the bytes can reach the venue.
  report(o, ExecKind::kSubmitted);
  (void)try_send(o, false, now);
}

bool OmsLogic::try_send(Order& o, bool resend, std::int64_t now) noexcept {
  if (o.signed_slot == kNoSlot) return false;
  SendStatus s = SendStatus::kSent;
  if (gateway_ != nullptr) {
    const SignedRequest& sr = store_.at(o.signed_slot);
    s = gateway_->send_order(o.client_id, sr.view(), resend, &sr.l2);
    note_sent(s, RequestKind::kOrder, o.client_id.value, resend, sr.view());
  }
  if (s == SendStatus::kSent) {
    ++o.send_attempts;
    o.sent_ns = now;
    if (resend) ++counters_.resends;
    if (o.send_pending != 0) {
      o.send_pending = 0;
      --send_pending_;
    }
    return true;
  }
  if (o.send_pending == 0) {
    o.send_pending = 1;
    ++send_pending_;
  }
  return false;
}

void OmsLogic::cancel_order(const OrderRequest& req, std::int64_t /*now*/) noexcept {
  if (req.action == OrderAction::kCancelAll) {
    if (gateway_ != nullptr) note_sent(gateway_->cancel_all(), RequestKind::kCancelAll, 0, false, {});
    ++counters_.cancels;
    return;
  }
  if (req.action == OrderAction::kCancelMarket) {
    const TokenInfo* ti = markets_.find(req.hdr.instrument);
    if (gateway_ != nullptr && ti != nullptr) {
      note_sent(gateway_->cancel_market(ti->condition(), {}), RequestKind::kCancelMarket, req.client_id.value, false,
                ti->condition());
    }
    ++counters_.cancels;
    return;
  }
  Order* o = table_.find(req.client_id);
  if (o == nullptr || is_terminal(o->state)) return;
  ++counters_.cancels;
  o->cancel_pending = 1;
  if (o->state == OrderState::kSigning || o->send_pending != 0) return;  // never sent: stopped before sending
  if (gateway_ != nullptr && o->has_digest) {
    note_sent(gateway_->cancel(o->digest), RequestKind::kCancel, o->client_id.value, false,
              std::string_view(reinterpret_cast<const char*>(o->digest.data()), o->digest.size()));
  }
}

// ---- periodic ----

bool OmsLogic::settled() noexcept {
  if (send_pending_ > 0 || phase_ != ReconcilePhase::kIdle || table_.unknown_count() > 0) return false;
  bool busy = false;
  table_.for_each([&](Order& o) {
    // A marketable order (FOK/FAK) never rests: Accepted means its fills are still on their way.
    const bool marketable = o.type == ::polybot::OrderType::kFok || o.type == ::polybot::OrderType::kFak;
    busy = busy || o.state == OrderState::kSigning || o.state == OrderState::kSubmitted ||
           (marketable && o.state == OrderState::kAccepted);
  });
  return !busy;
}

int OmsLogic::poll(std::int64_t now) noexcept {
  int work = 0;
  // Venue cadence first: its answers are events of their own (journaled at top level, before this poll's tick).
  if (gateway_ != nullptr) gateway_->poll(now);
  in_poll_ = true;
  ticked_ = false;
  event_ns_ = now;
  SignDone d;
  while (signer_.poll(d)) {
    ++work;
    if (inputs_ != nullptr) {
      const SignedRequest& sr = store_.at(d.slot);
      SignDoneHead head{d, sr.digest, sr.key, sr.signed_ns};
      record(OmsInputKind::kSignDone, now, &head, sizeof head,
             d.outcome == SignOutcome::kOk ? sr.view() : std::string_view{});
    }
    if (d.tag == 1) {
      const std::uint32_t i = static_cast<std::uint32_t>(d.client.value);
      Target* t = i < targets_n_ ? &targets_[i] : nullptr;
      if (t != nullptr && t->in_flight > 0) --t->in_flight;
      if (d.outcome != SignOutcome::kOk || t == nullptr || !(store_.at(d.slot).key == t->key) ||
          !cache_.put(t->key, d.slot, store_.at(d.slot).signed_ns))
        store_.release(d.slot);
      continue;
    }
    if (d.tag == 2) {
      const std::uint32_t i = static_cast<std::uint32_t>(d.client.value & 0xffff'ffffU);
      const std::uint32_t gen = static_cast<std::uint32_t>(d.client.value >> 32);
      AutoTarget* t = i < auto_n_ && auto_[i].gen == gen ? &auto_[i] : nullptr;
      if (t != nullptr && t->in_flight > 0) --t->in_flight;
      if (t != nullptr && d.outcome != SignOutcome::kOk) t->dead = true;  // it would fail again: stop asking
      if (d.outcome != SignOutcome::kOk || t == nullptr || !(store_.at(d.slot).key == t->key) ||
          !cache_.put(t->key, d.slot, store_.at(d.slot).signed_ns))
        store_.release(d.slot);
      continue;
    }
    Order* o = table_.find(d.client);
    if (o == nullptr || o->state != OrderState::kSigning) {
      store_.release(d.slot);
      continue;
    }
    ++counters_.signed_async;
    if (d.outcome != SignOutcome::kOk) {
      store_.release(d.slot);
      table_.apply(*o, ExecKind::kRejected, now);
      report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone,
             static_cast<std::uint16_t>(d.outcome == SignOutcome::kUnknownToken ? OmsReason::kUnknownToken
                                                                                : OmsReason::kSignFailed));
      continue;
    }
    if (o->cancel_pending != 0) {
      store_.release(d.slot);
      table_.apply(*o, ExecKind::kCancelled, now);
      report(*o, ExecKind::kCancelled, {}, {}, TradeStatus::kNone,
             static_cast<std::uint16_t>(OmsReason::kCancelledBeforeSend));
      continue;
    }
    dispatch(*o, d.slot, now);
  }
  if (send_pending_ > 0) {
    table_.for_each([&](Order& o) {
      if (o.send_pending == 0) return;
      ++work;
      if (o.cancel_pending != 0 || now - o.created_ns > cfg_.send_window_ms * kMs) {
        // Never handed to the socket: provably dead, nothing to reconcile.
        table_.apply(o, o.cancel_pending != 0 ? ExecKind::kCancelled : ExecKind::kRejected, now);
        report(o, o.state == OrderState::kCancelled ? ExecKind::kCancelled : ExecKind::kRejected, {}, {},
               TradeStatus::kNone, static_cast<std::uint16_t>(OmsReason::kNotSent));
        closed(o);
        return;
      }
      (void)try_send(o, o.send_attempts > 0, now);
    });
  }
  refill_presign(now);
  cache_.expire(now, [&](std::uint32_t slot) {
    touch();
    store_.release(slot);
  });
  step_reconcile(now);
  if (now >= next_retire_ns_) {
    touch();
    table_.retire_terminal(now - cfg_.retire_after_ms * kMs);
    next_retire_ns_ = now + 1'000 * kMs;
  }
  in_poll_ = false;
  return work;
}

void OmsLogic::set_presign_targets(InstrumentId token, ::polybot::Side side, const Price* prices, std::uint32_t n,
                                   Qty size, ::polybot::OrderType type, bool post_only) noexcept {
  for (std::uint32_t i = 0; i < n && targets_n_ < targets_.size(); ++i) {
    targets_[targets_n_++] = Target{SignKey{token, side, type, static_cast<std::uint8_t>(post_only ? 1 : 0),
                                            prices[i], size},
                                    0};
  }
}

void OmsLogic::set_presign_market_targets(InstrumentId token, ::polybot::Side side, const Price* worst_prices,
                                          std::uint32_t n, std::int64_t amount_raw, ::polybot::OrderType type) noexcept {
  for (std::uint32_t i = 0; i < n && targets_n_ < targets_.size(); ++i) {
    SignKey k{token, side, type, 0, worst_prices[i], Qty{}};
    k.market = 1;
    k.amount_raw = amount_raw;
    targets_[targets_n_++] = Target{k, 0};
  }
}

bool OmsLogic::refill_one(const SignKey& key, std::uint32_t* in_flight, std::uint32_t tag,
                          std::uint64_t client) noexcept {
  if (*in_flight > 0 || cache_.count(key) > 0) return true;
  if (store_.free_count() <= kPresignReserve) return false;
  std::uint32_t slot = 0;
  touch();
  if (!store_.acquire(&slot)) return false;
  SignJob job;
  job.slot = slot;
  job.tag = tag;
  job.client = ClientOrderId{client};
  job.key = key;
  job.l2_ahead = true;  // its HMACs too: a cache hit then hashes nothing on this thread
  if (signer_.submit(job)) {
    ++*in_flight;
  } else {
    record(OmsInputKind::kSignRefused, event_ns_, &job.client.value, sizeof job.client.value);
    store_.release(slot);
  }
  return true;
}

void OmsLogic::refill_presign(std::int64_t now) noexcept {
  for (std::uint32_t i = 0; i < targets_n_; ++i) {
    if (!refill_one(targets_[i].key, &targets_[i].in_flight, 1, i)) return;
  }
  for (std::uint32_t i = 0; i < auto_n_; ++i) {
    AutoTarget& t = auto_[i];
    if (!auto_live(t, now)) continue;
    if (!refill_one(t.key, &t.in_flight, 2, (static_cast<std::uint64_t>(t.gen) << 32) | i)) return;
  }
}

// ---- learned pre-sign targets ----
// Everything here is derived from the OrderRequests (journaled inputs) and the times the logic saw (consumption
// and poll times, journaled), so the replay learns the same targets and asks for the same signatures.

bool OmsLogic::auto_live(const AutoTarget& t, std::int64_t now) const noexcept {
  if (t.dead || now - t.last_ns > cfg_.presign_auto.idle_ms * kMs) return false;
  if (markets_.find(t.key.token) == nullptr) return false;
  const std::int64_t end = t.key.token.value < window_end_ns_.size() ? window_end_ns_[t.key.token.value] : 0;
  return end == 0 || now < end;
}

std::uint32_t OmsLogic::live_auto_targets(std::int64_t now_ns) const noexcept {
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < auto_n_; ++i) n += auto_live(auto_[i], now_ns) ? 1 : 0;
  return n;
}

void OmsLogic::learn_presign(const OrderRequest& req, std::int64_t now) noexcept {
  // GTD orders never use the cache; an expiration would be a different signed order.
  if (req.order_type == ::polybot::OrderType::kGtd || req.expiration_s != 0) return;
  const TokenInfo* ti = markets_.find(req.hdr.instrument);
  if (ti == nullptr) return;
  const std::int64_t tick = tick_rounding(ti->tick).tick.raw;
  // Off the grid: neither the price nor its neighbours would sign.
  if (tick <= 0 || req.price.raw % tick != 0) return;
  const auto k = static_cast<std::int64_t>(cfg_.presign_auto.neighbour_ticks);
  OrderRequest r = req;
  // The requested price first, then outwards: with a small capacity the nearest prices are kept.
  for (std::int64_t d = 0; d <= k; ++d) {
    for (const std::int64_t sgn : {1, -1}) {
      if (d == 0 && sgn < 0) continue;
      const std::int64_t p = req.price.raw + sgn * d * tick;
      if (p < tick || p > kPriceOne.raw - tick) continue;
      r.price = Price::from_raw(p);
      add_auto_target(sign_key(r, nullptr), now);
    }
  }
}

void OmsLogic::add_auto_target(const SignKey& key, std::int64_t now) noexcept {
  for (std::uint32_t i = 0; i < targets_n_; ++i) {
    if (targets_[i].key == key) return;  // configured already
  }
  std::uint32_t lru = 0;
  for (std::uint32_t i = 0; i < auto_n_; ++i) {
    if (auto_[i].key == key) {
      auto_[i].last_ns = now;
      return;
    }
    if (auto_[i].last_ns < auto_[lru].last_ns) lru = i;
  }
  const std::uint32_t cap = cfg_.presign_auto.max_targets < kMaxAutoTargets ? cfg_.presign_auto.max_targets
                                                                             : kMaxAutoTargets;
  if (cap == 0) return;
  ++counters_.presign_learned;
  std::uint32_t i = auto_n_;
  if (auto_n_ < cap) {
    ++auto_n_;
  } else {
    i = lru;
    ++counters_.presign_evicted;
    // Its signed orders would only wait out their max age holding slots and cache entries.
    cache_.drop_key(auto_[i].key, [&](std::uint32_t slot) { store_.release(slot); });
  }
  auto_[i] = AutoTarget{key, 0, ++auto_gen_, now, false};
}

// ---- venue answers ----

void OmsLogic::on_order_answer(ClientOrderId id, const OrderAnswer& a) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const OrderAnswerHead head{id.value, a};
    record(OmsInputKind::kOrderAnswer, now, &head, sizeof head);
  }
  Order* o = table_.find(id);
  if (o == nullptr) return;
  switch (a.disposition) {
    case Disposition::kOk:
      if (table_.apply(*o, ExecKind::kAccepted, now) == Transition::kApplied) {
        ++counters_.accepted;
        report(*o, ExecKind::kAccepted);
      }
      settle_slot(*o);
      return;
    case Disposition::kRejected:
      if (a.error == VenueError::kDuplicated && o->send_attempts > 1) {
        // Our identical resend: the venue already has the first copy. Same order, not a second one.
        if (table_.apply(*o, ExecKind::kAccepted, now) == Transition::kApplied) {
          ++counters_.accepted;
          report(*o, ExecKind::kAccepted);
        }
        settle_slot(*o);
        return;
      }
      if (table_.apply(*o, ExecKind::kRejected, now) == Transition::kApplied) {
        ++counters_.rejected;
        report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(a.error));
        closed(*o);
      }
      return;
    case Disposition::kBackPressure:
      // 429/425: the venue did not take it. Same bytes again once the limiter allows, within the send window.
      if (o->send_pending == 0) {
        o->send_pending = 1;
        ++send_pending_;
      }
      return;
    case Disposition::kFailClosed:
      fail_closed_ = true;
      if (table_.apply(*o, ExecKind::kRejected, now) == Transition::kApplied) {
        ++counters_.rejected;
        report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(a.error));
        closed(*o);
      }
      return;
    case Disposition::kUnknown:
      if (a.error == VenueError::kTransport && o->send_attempts <= cfg_.max_resends &&
          o->state == OrderState::kSubmitted) {
        if (try_send(*o, true, now)) return;  // the same signed bytes; the venue dedupes by digest
      }
      // Only an order nobody has confirmed is in doubt: the user channel may already have said where it is.
      if (o->state != OrderState::kSubmitted) return;
      if (table_.apply(*o, ExecKind::kUnknown, now) == Transition::kApplied) {
        ++counters_.unknown;
        report(*o, ExecKind::kUnknown, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(a.error));
      }
      settle_slot(*o);
      request_reconcile();
      return;
  }
}

void OmsLogic::on_cancel_answer(const OrderDigest& id, bool cancelled, VenueError reason) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const CancelAnswerHead head{id, static_cast<std::uint8_t>(cancelled ? 1 : 0), reason};
    record(OmsInputKind::kCancelAnswer, now, &head, sizeof head);
  }
  Order* o = table_.find(id);
  if (o == nullptr) return;
  if (cancelled) {
    if (table_.apply(*o, ExecKind::kCancelled, now) == Transition::kApplied) {
      report(*o, ExecKind::kCancelled);
      closed(*o);
    }
    return;
  }
  o->cancel_pending = 0;
  // "already canceled or matched": the user channel or reconciliation tells which.
  if (!is_terminal(o->state)) request_reconcile();
}

void OmsLogic::on_cancel_failed(RequestKind kind, VenueError error) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const KindErrorHead head{kind, error};
    record(OmsInputKind::kCancelFailed, now, &head, sizeof head);
  }
  if (disposition_of(error) == Disposition::kFailClosed) fail_closed_ = true;
  request_reconcile();
}

void OmsLogic::on_heartbeat(bool ok, VenueError error) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const HeartbeatHead head{static_cast<std::uint8_t>(ok ? 1 : 0), error};
    record(OmsInputKind::kHeartbeat, now, &head, sizeof head);
  }
  if (!ok && (error == VenueError::kUnauthorized || error == VenueError::kForbidden)) fail_closed_ = true;
}

void OmsLogic::on_order(const UserOrderEvent& ev) noexcept {
  const std::int64_t now = in_frame_ ? event_ns_ : begin_event();
  Order* o = table_.find(ev.id);
  if (o == nullptr) {
    ++counters_.stray_events;
    return;
  }
  if (ev.type == UserOrderType::kCancellation || ev.status == UserOrderStatus::kCanceled ||
      ev.status == UserOrderStatus::kInvalid) {
    if (table_.apply(*o, ExecKind::kCancelled, now) == Transition::kApplied) {
      report(*o, ExecKind::kCancelled);
      closed(*o);
    }
    return;
  }
  if (ev.type == UserOrderType::kPlacement || ev.status == UserOrderStatus::kLive) {
    if (table_.apply(*o, ExecKind::kAccepted, now) == Transition::kApplied) {
      ++counters_.accepted;
      report(*o, ExecKind::kAccepted);
    }
    settle_slot(*o);
  }
  // UPDATE / MATCHED: the quantities come with the trade events.
}

void OmsLogic::on_trade(const UserTradeEvent& ev) noexcept {
  const std::int64_t now = in_frame_ ? event_ns_ : begin_event();
  attribute_fills(ev, cfg_.api_key, cfg_.funder_address, [&](const OurFill& f) {
    Order* o = table_.find(f.order);
    if (o == nullptr) {
      ++counters_.stray_events;
      return;
    }
    const std::uint64_t key = FillLedger::key(ev.trade_id, o->venue_key(), f.leg);
    switch (ledger_.record(key, ev.status)) {
      case FillAction::kCount:
        if (table_.apply_fill(*o, f.qty, f.price, now) != Transition::kApplied) return;
        count_fill(*o, f.qty, f.price, !f.maker, key, ev.status, now);
        ++counters_.fills;
        report(*o, exec_kind_of(o->state), f.qty, f.price, ev.status);
        if (is_terminal(o->state)) closed(*o);
        else settle_slot(*o);
        return;
      case FillAction::kAdvance:
        if (ev.status == TradeStatus::kConfirmed) balances_.on_settled(key);
        report(*o, exec_kind_of(o->state), Qty{}, f.price, ev.status);
        return;
      case FillAction::kReverse:
        (void)table_.apply_fill(*o, -f.qty, f.price, now);
        count_fill(*o, -f.qty, f.price, false, 0, TradeStatus::kFailed, now);
        balances_.on_settled(key);
        report(*o, exec_kind_of(o->state), -f.qty, f.price, TradeStatus::kFailed);
        return;
      case FillAction::kDuplicate:
      case FillAction::kIgnore:
        ++counters_.duplicate_fills;
        return;
    }
  });
}

bool OmsLogic::on_user_frame(std::string_view frame) noexcept {
  const std::int64_t now = begin_event();
  record(OmsInputKind::kUserFrame, now, nullptr, 0, frame);
  in_frame_ = true;
  (void)user_parser_.parse(frame, *this);
  in_frame_ = false;
  return true;
}

void OmsLogic::on_gap(bool open) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const std::uint8_t head = open ? 1 : 0;
    record(OmsInputKind::kUserGap, now, &head, sizeof head);
  }
  if (!open) {
    user_channel_dropped_ = true;
    return;
  }
  if (user_channel_dropped_) request_reconcile();  // events may have been missed while it was down
  user_channel_dropped_ = false;
}

// ---- reconciliation ----

void OmsLogic::step_reconcile(std::int64_t now) noexcept {
  if (gateway_ == nullptr || phase_ != ReconcilePhase::kIdle) return;
  if (!reconcile_wanted_ && reconcile_clean_ && cfg_.reconcile.balance_interval_ms > 0 &&
      cfg_.reconcile.balance_check != BalanceCheck::kOff && now >= next_balance_ns_ && next_balance_ns_ != 0) {
    // Between reconciliations: the balances alone (open orders and trades were clean last time).
    orders_ok_ = true;
    orders_unexplained_ = 0;
    start_balances(now);
    return;
  }
  if (!reconcile_wanted_ || now < next_reconcile_ns_) return;
  const SendStatus s = gateway_->query_open_orders();
  note_sent(s, RequestKind::kDataOrders, 0, false, {});
  if (s != SendStatus::kSent) return;
  reconcile_wanted_ = false;
  reconciler_.begin();
  pages_ = 0;
  phase_ = ReconcilePhase::kOpenOrders;
}

void OmsLogic::on_open_order(const VenueOpenOrder& o) noexcept {
  (void)reconciler_.add_open(o.id, o.original_size, o.size_matched);
}

void OmsLogic::on_query_answer(RequestKind kind, VenueError error, std::string_view body) noexcept {
  const std::int64_t now = begin_event();
  if (inputs_ != nullptr) {
    const KindErrorHead head{kind, error};
    record(OmsInputKind::kQueryAnswer, now, &head, sizeof head, body);
  }
  if (phase_ == ReconcilePhase::kIdle) return;
  if (error != VenueError::kNone && phase_ == ReconcilePhase::kBalances) {
    // The orders and trades were applied; balances unread: unclean (fail safe), asked again after the retry delay.
    return finish_reconcile(now, false, orders_unexplained_ + 1);
  }
  if (error != VenueError::kNone) {
    phase_ = ReconcilePhase::kIdle;
    reconcile_wanted_ = true;
    next_reconcile_ns_ = now + cfg_.reconcile_retry_ms * kMs;
    return;
  }
  const auto retry_later = [&] {
    phase_ = ReconcilePhase::kIdle;
    reconcile_wanted_ = true;
    next_reconcile_ns_ = now + cfg_.reconcile_retry_ms * kMs;
  };
  // Every page is read: next_cursor until the end marker "LTE=" (protocol notes §6.2); a walk longer than
  // kMaxPages is a difference we cannot rule out.
  const auto more_pages = [](std::string_view cursor) { return !cursor.empty() && cursor != "LTE="; };
  if (kind == RequestKind::kDataOrders && phase_ == ReconcilePhase::kOpenOrders) {
    std::string_view cursor;
    if (state_parser_.parse_orders(body, *this, &cursor) != RestParseStatus::kOk ||
        (more_pages(cursor) && ++pages_ > kMaxPages)) {
      ++counters_.unexplained;
      reconcile_clean_ = false;
      return retry_later();
    }
    if (more_pages(cursor)) {
      const SendStatus qs = gateway_->query_open_orders(cursor);
      note_sent(qs, RequestKind::kDataOrders, 0, false, cursor);
      if (qs != SendStatus::kSent) return retry_later();
      return;
    }
    pages_ = 0;
    const std::int64_t after = started_ns_ / 1'000'000'000 - cfg_.trades_lookback_s;
    const SendStatus ts = gateway_->query_trades(after);
    note_sent(ts, RequestKind::kDataTrades, 0, false, {}, after);
    if (ts != SendStatus::kSent) {
      phase_ = ReconcilePhase::kIdle;
      reconcile_wanted_ = true;
      return;
    }
    phase_ = ReconcilePhase::kTrades;
    return;
  }
  if (kind == RequestKind::kDataTrades && phase_ == ReconcilePhase::kTrades) {
    TradeCollector tc;
    tc.rec = &reconciler_;
    tc.book = &balances_;
    tc.api_key = cfg_.api_key;
    tc.funder = cfg_.funder_address;
    std::string_view cursor;
    bool ok = state_parser_.parse_trades(body, tc, &cursor) == RestParseStatus::kOk;
    if (ok && more_pages(cursor) && ++pages_ <= kMaxPages) {
      const std::int64_t after = started_ns_ / 1'000'000'000 - cfg_.trades_lookback_s;
      const SendStatus qs = gateway_->query_trades(after, cursor);
      note_sent(qs, RequestKind::kDataTrades, 0, false, cursor, after);
      if (qs != SendStatus::kSent) return retry_later();
      return;
    }
    ok = ok && !more_pages(cursor);
    pages_ = 0;
    strays_n_ = 0;
    const ReconcileReport rep = reconciler_.finish(table_, now, *this);
    if (strays_n_ > 0) {
      note_sent(gateway_->cancel_many(strays_.data(), strays_n_), RequestKind::kCancelMany, 0, false,
                std::string_view(reinterpret_cast<const char*>(strays_.data()), strays_n_ * sizeof(OrderDigest)), 0,
                strays_n_);
    }
    if (cfg_.reconcile.balance_check == BalanceCheck::kOff) {
      return finish_reconcile(now, ok && rep.clean(), rep.unexplained + (ok ? 0 : 1));
    }
    orders_ok_ = ok && rep.clean();
    orders_unexplained_ = rep.unexplained + (ok ? 0 : 1);
    start_balances(now);
    return;
  }
  if (kind == RequestKind::kBalance && phase_ == ReconcilePhase::kBalances) on_balance_answer(now, body);
}

void OmsLogic::finish_reconcile(std::int64_t now, bool ok, std::uint32_t unexplained) noexcept {
  phase_ = ReconcilePhase::kIdle;
  next_balance_ns_ = now + cfg_.reconcile.balance_interval_ms * kMs;
  ++counters_.reconciliations;
  reconcile_clean_ = ok;
  if (!reconcile_clean_) ++counters_.unexplained;
  if (!reconcile_clean_ || balance_fail_closed_) {
    reconcile_wanted_ = true;  // look again: a race with live events clears on the next pass
    next_reconcile_ns_ = now + cfg_.reconcile_retry_ms * kMs;
  }
  ExecReport summary{};
  summary.hdr.type = ExecReport::kType;
  summary.kind = ExecKind::kReconciled;
  summary.venue_reason = static_cast<std::uint16_t>(unexplained);
  emit(summary);
}

// ---- balance reconciliation (third phase) ----

void OmsLogic::start_balances(std::int64_t now) noexcept {
  phase_ = ReconcilePhase::kBalances;
  balances_.expire(now);
  collateral_read_ = BalanceRead{};
  for (auto& r : share_reads_) r = BalanceRead{};
  balance_index_ = -1;
  balance_retries_ = 0;
  balances_epoch_ = balances_.epoch();
  if (!send_balance_query()) finish_reconcile(now, false, orders_unexplained_ + 1);
}

bool OmsLogic::send_balance_query() noexcept {
  const std::string_view token =
      balance_index_ < 0 ? std::string_view{} : balances_.token_text(static_cast<std::size_t>(balance_index_));
  const SendStatus s = gateway_->query_balance(token);
  note_sent(s, RequestKind::kBalance, 0, false, token);
  balance_epoch_ = balances_.epoch();
  return s == SendStatus::kSent;
}

void OmsLogic::on_balance_answer(std::int64_t now, std::string_view body) noexcept {
  BalanceAnswer a;
  const BalanceParseError e = balance_parser_.parse(body, &a);
  if (e != BalanceParseError::kNone) {
    // Fail safe: nothing is judged from an answer we cannot read; trading waits for a readable one.
    ++counters_.balance_malformed;
    const std::string_view why = balance_parser_.error_text();
    balance_error_len_ = why.size() < sizeof(balance_error_) ? why.size() : sizeof(balance_error_);
    std::memcpy(balance_error_, why.data(), balance_error_len_);
    const InstrumentId token =
        balance_index_ < 0 ? InstrumentId{} : balances_.token_id(static_cast<std::size_t>(balance_index_));
    balance_report(OmsReason::kBalanceMalformed, token, 0, static_cast<std::int64_t>(e));
    return finish_reconcile(now, false, orders_unexplained_ + 1);
  }
  if (balances_.epoch() != balance_epoch_) {
    // A fill (or a settlement) arrived while the read was in flight: the read may or may not include it.
    ++counters_.balance_raced;
    if (++balance_retries_ > kMaxBalanceRetries || !send_balance_query())
      finish_reconcile(now, false, orders_unexplained_ + 1);
    return;
  }
  ++counters_.balance_reads;
  if (balance_index_ < 0) {
    collateral_read_ = BalanceRead{a.balance, balances_.collateral(), true};
  } else {
    const auto i = static_cast<std::size_t>(balance_index_);
    share_reads_[i] = BalanceRead{a.balance, balances_.shares(i), true};
  }
  // Shares too: every token we hold or traded since the baseline, one read at a time (answers carry no token).
  if (cfg_.reconcile.balance_check == BalanceCheck::kCollateralAndConditional &&
      static_cast<std::size_t>(balance_index_ + 1) < balances_.token_count()) {
    ++balance_index_;
    if (!send_balance_query()) finish_reconcile(now, false, orders_unexplained_ + 1);
    return;
  }
  judge_balances(now);
}

std::int64_t OmsLogic::open_buy_notional() noexcept {
  std::int64_t sum = 0;
  table_.for_each([&](Order& o) {
    if (o.side != ::polybot::Side::kBuy || is_terminal(o.state) || o.state == OrderState::kFree) return;
    sum += notional(o.price, o.leaves()).raw;
  });
  return sum;
}

void OmsLogic::judge_balances(std::int64_t now) noexcept {
  bool missing = false;
  std::uint32_t unexplained = orders_unexplained_;
  const std::size_t tokens = cfg_.reconcile.balance_check == BalanceCheck::kCollateralAndConditional
                                 ? balances_.token_count()
                                 : 0;
  const bool judge = balances_.has_baseline();
  const auto check = [&](const BalanceRead& r, InstrumentId token) {
    if (!r.read || !judge) return;
    switch (BalanceBook::judge(r.venue, r.expected)) {
      case BalanceVerdict::kMatches: return;
      case BalanceVerdict::kMissing:
        missing = true;
        ++unexplained;
        ++counters_.balance_mismatches;
        balance_report(OmsReason::kBalanceMismatch, token, r.venue, r.expected.low);
        return;
      case BalanceVerdict::kExtra:
        ++counters_.balance_extras;
        balance_report(OmsReason::kBalanceExtra, token, r.venue, r.expected.high);
        return;
    }
  };
  check(collateral_read_, InstrumentId{});
  for (std::size_t i = 0; i < tokens; ++i) check(share_reads_[i], balances_.token_id(i));

  // The venue reserves pUSD for our resting BUYs: less than their notional means it will refuse or cancel them.
  const std::int64_t open_buys = open_buy_notional();
  buys_blocked_ = collateral_read_.read && collateral_read_.venue < open_buys;
  if (buys_blocked_) {
    ++counters_.collateral_short;
    balance_report(OmsReason::kCollateralShort, InstrumentId{}, collateral_read_.venue, open_buys);
  }
  balance_fail_closed_ = missing;

  // A clean check with nothing in doubt and no fill since the first read re-anchors the baseline on what the venue
  // showed: deposits are absorbed, and the fee allowance and rounding restart from zero.
  const bool anchored = !missing && balances_.in_doubt() == 0 && balances_.epoch() == balances_epoch_;
  if (anchored) {
    if (!balances_.has_baseline()) ++counters_.balance_baselines;
    balances_.adopt_collateral(collateral_read_.venue);
    for (std::size_t i = 0; i < tokens; ++i)
      if (share_reads_[i].read) balances_.adopt_shares(i, share_reads_[i].venue);
    balances_.compact();
  }
  // Without a baseline nothing could be judged: trading waits (fail safe) until one can be adopted.
  const bool ok = orders_ok_ && !missing && balances_.has_baseline() && !balances_.token_overflow();
  finish_reconcile(now, ok, unexplained + (balances_.has_baseline() ? 0 : 1));
}

void OmsLogic::balance_report(OmsReason what, InstrumentId token, std::int64_t venue, std::int64_t expected) noexcept {
  // A finding, journaled: kind kReconciled, venue_reason the finding, hdr.instrument the token (0: pUSD),
  // cum_qty the venue's balance, leaves_qty what we expected (base units), last_qty their difference.
  ExecReport r{};
  r.hdr.type = ExecReport::kType;
  r.hdr.instrument = token;
  r.kind = ExecKind::kReconciled;
  r.venue_reason = static_cast<std::uint16_t>(what);
  r.cum_qty = Qty::from_raw(venue);
  r.leaves_qty = Qty::from_raw(expected);
  r.last_qty = Qty::from_raw(venue - expected);
  emit(r);
}

void OmsLogic::count_fill(const Order& o, Qty qty, Price price, bool taker, std::uint64_t trade_key, TradeStatus ts,
                          std::int64_t now) noexcept {
  const TokenInfo* ti = markets_.find(o.token);
  const bool in_doubt = ts != TradeStatus::kConfirmed && ts != TradeStatus::kNone && ts != TradeStatus::kFailed;
  balances_.on_fill(o.token, ti != nullptr ? ti->token.text() : std::string_view{}, o.side, qty, price, taker,
                    trade_key, in_doubt, now);
}

void OmsLogic::on_finding(ReconcileFinding what, Order* o, const OrderDigest& digest, Qty qty,
                          Price price) noexcept {
  switch (what) {
    case ReconcileFinding::kMissingFill:
      // Its trade status is not known here: taken as settled (a lagging venue view then clears on a later pass).
      count_fill(*o, qty, price, true, 0, TradeStatus::kNone, event_ns_);
      ++counters_.fills;
      report(*o, exec_kind_of(o->state), qty, price, TradeStatus::kNone);
      if (is_terminal(o->state)) closed(*o);
      return;
    case ReconcileFinding::kConfirmedLive:
      report(*o, ExecKind::kAccepted);
      settle_slot(*o);
      return;
    case ReconcileFinding::kClosedFilled:
      closed(*o);
      return;
    case ReconcileFinding::kClosedCancelled:
      report(*o, ExecKind::kCancelled);
      closed(*o);
      return;
    case ReconcileFinding::kNeverArrived:
      report(*o, ExecKind::kRejected, {}, {}, TradeStatus::kNone, static_cast<std::uint16_t>(OmsReason::kProvenDead));
      closed(*o);
      return;
    case ReconcileFinding::kStrayCancelled:
      if (strays_n_ < strays_.size()) strays_[strays_n_++] = digest;
      return;
    case ReconcileFinding::kStrayUnexplained:
    case ReconcileFinding::kOverCounted:
    case ReconcileFinding::kBalanceMismatch:
    case ReconcileFinding::kClosedButOpen:
    case ReconcileFinding::kBalanceExtra:
    case ReconcileFinding::kCollateralShort:
      return;
  }
}

}  // namespace polybot::oms
