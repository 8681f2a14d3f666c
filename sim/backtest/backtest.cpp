#include "sim/backtest/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

#include "core/clock.hpp"
#include "sim/backtest/book_model.hpp"
#include "sim/backtest/fill_engine.hpp"
#include "sim/backtest/kline_windows.hpp"

namespace polybot::sim::backtest {

InstrumentId token_id(std::size_t window_index, Outcome outcome) noexcept {
  return InstrumentId{static_cast<std::uint32_t>(kFirstTokenId + 2 * window_index + (outcome == Outcome::kDown ? 1 : 0))};
}

namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kNsPerS = 1'000'000'000;

enum class EvKind : std::uint8_t { kOpen, kRef, kKline, kBinance, kPolyBook, kStrike, kTMinus, kClose, kSettle };

struct Ev {
  std::int64_t t_ns;
  std::uint8_t prio;
  std::uint64_t seq;
  EvKind kind;
  std::size_t idx;     // into the data array of its kind / the window
  std::int32_t aux;    // T-minus seconds; derived-kline flag
};

struct SlotSink final : signal::IntentSink {
  std::vector<Intent>* out = nullptr;
  bool emit(const Intent& intent) noexcept override {
    out->push_back(intent);
    return true;
  }
};

}  // namespace

struct Backtest::Impl final : BookView {
  struct Slot;
  struct SlotExec final : ExecSink {
    Impl* impl = nullptr;
    Slot* slot = nullptr;
    void on_exec(const ExecReport& r, Liquidity liq, Outcome outcome) noexcept override {
      impl->on_exec(*slot, r, liq, outcome);
    }
  };
  struct Slot {
    std::size_t index = 0;
    std::unique_ptr<signal::Strategy> strategy;
    StrategyId id{};
    std::unique_ptr<FillEngine> fills;
    SlotExec exec;
    std::deque<Envelope> inbox;
    bool draining = false;
    std::vector<Intent> intents;
    std::uint64_t next_client = 1;
    Usdc cash;
    std::map<std::uint64_t, Usdc> reserved;   // live buy orders: worst-case cost of what is left
    std::map<std::uint64_t, OrderType> order_types;
    std::map<std::uint64_t, ReasonCode> order_reasons;
    std::vector<PositionRecord> pos;
    std::vector<std::int32_t> buys_in_window;
    std::int32_t win_streak = 0;
    bool halted = false;
    StrategyStats stats;
  };

  BacktestConfig cfg;
  const DataSet& data;
  std::vector<std::unique_ptr<Slot>> slots;
  std::unique_ptr<Sizer> sizer;
  std::unique_ptr<RiskGate> gate;
  ManualClock clock;
  BacktestResult res;
  std::vector<std::size_t> window_src;       // index into data.windows
  std::vector<ModelQuote> quotes;
  std::vector<double> model_strike;           // 0: unknown
  std::vector<std::uint8_t> active;
  std::vector<std::size_t> active_list;
  std::vector<FeeSchedule> fees;
  std::vector<feed::KlineRow> derived_klines;
  VolEstimator vol;
  double last_ref = 0.0;
  std::int64_t last_ref_feed_ns = 0;
  std::size_t stale_books = 0;
  std::size_t binance_in_range = 0;  // Binance ticks/trades inside the run's span (else ticks are derived)
  // Recorded Polymarket books: per token (2 per window: Up, Down), price raw -> size; a window with any recorded
  // book event is quoted from the recording, never from the model.
  struct TokenBook {
    std::map<std::int64_t, Qty> bids, asks;
  };
  std::vector<TokenBook> rec_books;
  std::vector<std::uint8_t> recorded;
  std::map<std::string, std::pair<std::size_t, Outcome>> token_index;
  std::size_t recorded_events = 0, recorded_trades = 0;
  std::uint64_t seq = 0;
  std::size_t fee_defaulted = 0;

  Impl(BacktestConfig c, const DataSet& d) : cfg(std::move(c)), data(d), vol(cfg.book) {}

  // Klines as the reference arrive once a minute: a book modelled from them lives until the next bar.
  std::int64_t max_ref_age_ns() const noexcept {
    const std::int64_t s = data.chainlink.empty() ? std::max<std::int64_t>(cfg.book.max_ref_age_s, 120) : cfg.book.max_ref_age_s;
    return s * kNsPerS;
  }

  [[nodiscard]] const ModelQuote* quote(MarketId m) const noexcept override {
    if (m.value == 0 || m.value > quotes.size()) return nullptr;
    const ModelQuote& q = quotes[m.value - 1];
    // A book modelled from a reference price that has since gone stale is no book.
    if (recorded[m.value - 1] == 0 && clock.now_ns() - last_ref_feed_ns > max_ref_age_ns()) return nullptr;
    return q.valid ? &q : nullptr;
  }

  const MarketWindow& win(std::size_t i) const { return res.windows[i]; }

  AccountView view(const Slot& s) const {
    AccountView v;
    v.cash = s.cash;
    Usdc reserved;
    for (const auto& [id, r] : s.reserved) reserved += r;
    v.available = s.cash - reserved;
    v.start_capital = cfg.capital;
    v.equity = equity(s);
    v.win_streak = s.win_streak;
    return v;
  }

  Usdc equity(const Slot& s) const {
    Usdc e = s.cash;
    for (const auto& p : s.pos) e += p.open_cost;
    return e;
  }

  void stamp(MsgHeader& h, MsgType type, InstrumentId inst, std::int64_t exch_ns, std::int64_t recv_ns) {
    h.type = type;
    h.instrument = inst;
    h.seq = ++seq;
    h.ts_exch = exch_ns;
    h.ts_recv = recv_ns;
    h.ts_origin = recv_ns;
    h.flags = msg_flag::kReplay;
  }

  void deliver_all(const Envelope& e) {
    for (auto& s : slots) deliver(*s, e);
  }

  void deliver(Slot& s, const Envelope& e) {
    s.inbox.push_back(e);
    drain(s);
  }

  void drain(Slot& s) {
    if (s.draining) return;
    s.draining = true;
    while (!s.inbox.empty()) {
      Envelope e = s.inbox.front();
      s.inbox.pop_front();
      e.hdr.ts_consumed = clock.now_ns();
      s.intents.clear();
      SlotSink sink;
      sink.out = &s.intents;
      s.strategy->on_message(e, clock, sink);
      std::vector<Intent> batch;
      batch.swap(s.intents);
      for (const auto& in : batch) on_intent(s, in);
    }
    s.draining = false;
  }

  std::int64_t window_of(MarketId m) const {
    if (m.value == 0 || m.value > res.windows.size()) return -1;
    return static_cast<std::int64_t>(m.value) - 1;
  }

  void on_intent(Slot& s, const Intent& in) {
    const std::int64_t now = clock.now_ns();
    ++s.stats.intents;
    DecisionRecord d;
    d.time_ns = now;
    d.strategy = s.index;
    d.action = in.action;
    d.outcome = in.outcome;
    d.side = in.side;
    d.reason = in.reason;
    d.limit = in.limit_price;
    for (int i = 0; i < 4; ++i) d.inputs[i] = in.inputs[i];
    std::int64_t w = window_of(in.market);
    if (w < 0 && in.hdr.instrument.value >= kFirstTokenId) {
      const std::int64_t t = (in.hdr.instrument.value - kFirstTokenId) / 2;
      if (static_cast<std::size_t>(t) < res.windows.size()) w = t;
    }
    // A strategy that does not name its market trades the live window that closes first.
    if (w < 0 && (in.action == IntentAction::kPlace || in.action == IntentAction::kCancelAll)) {
      for (std::size_t a : active_list) {
        if (w < 0 || win(a).end_s < win(static_cast<std::size_t>(w)).end_s) w = static_cast<std::int64_t>(a);
      }
    }
    d.window = w;
    switch (in.action) {
      case IntentAction::kSkip:
        ++s.stats.skips;
        break;
      case IntentAction::kHalt:
        s.halted = true;
        s.stats.halted = true;
        break;
      case IntentAction::kCancel:
        s.fills->cancel(in.cancel_target, now);
        break;
      case IntentAction::kCancelAll:
        if (w >= 0) s.fills->cancel_market(MarketId{static_cast<std::uint32_t>(w + 1)}, now);
        break;
      case IntentAction::kPlace:
        place(s, in, w, d);
        break;
    }
    res.decisions.push_back(d);
  }

  void deny(Slot& s, const Intent& in, DenyReason why, Qty shares, DecisionRecord& d) {
    ++s.stats.denied;
    d.denied = why;
    Denied m{};
    stamp(m.hdr, Denied::kType, in.hdr.instrument, clock.now_ns(), clock.now_ns());
    m.hdr.producer = Stage::kRisk;
    m.hdr.cause_seq = in.hdr.seq;
    m.market = in.market;
    m.strategy = s.id;
    m.reason = why;
    m.limit_price = in.limit_price;
    m.size = shares;
    m.notional = in.notional;
    s.inbox.push_back(Envelope::of(m));
  }

  void place(Slot& s, const Intent& in, std::int64_t w, DecisionRecord& d) {
    if (w < 0) {
      deny(s, in, DenyReason::kInvalidBook, Qty{}, d);
      return;
    }
    const MarketWindow& mw = win(static_cast<std::size_t>(w));
    Outcome outcome = in.outcome;
    if (outcome == Outcome::kNone && in.hdr.instrument.value >= kFirstTokenId) {
      outcome = ((in.hdr.instrument.value - kFirstTokenId) % 2 == 0) ? Outcome::kUp : Outcome::kDown;
    }
    if (outcome == Outcome::kNone) {
      deny(s, in, DenyReason::kInvalidBook, Qty{}, d);
      return;
    }
    Intent sized = in;
    const Price tick = quotes[static_cast<std::size_t>(w)].valid ? quotes[static_cast<std::size_t>(w)].tick
                                                                  : Price::from_raw(10'000);
    // No limit given: the most a taker can be made to pay (buy) or the least it can be made to accept (sell).
    if (sized.limit_price.raw <= 0 || sized.limit_price.raw >= Price::kScale) {
      sized.limit_price = in.side == Side::kBuy ? Price::from_raw(Price::kScale - tick.raw) : tick;
    }
    const Qty shares = sizer->size(sized, view(s));
    d.shares = shares;
    d.limit = sized.limit_price;
    const PositionRecord& p = s.pos[static_cast<std::size_t>(w)];
    GateContext ctx;
    ctx.now_s = clock.now_ns() / kNsPerS;
    ctx.window_end_s = mw.end_s;
    ctx.account = view(s);
    ctx.held = outcome == Outcome::kUp ? p.up_shares : p.down_shares;
    ctx.min_size = mw.min_size;
    ctx.buys_in_window = s.buys_in_window[static_cast<std::size_t>(w)];
    ctx.halted = s.halted;
    const FeeSchedule& fee = fees[static_cast<std::size_t>(w)];
    Usdc cost;
    if (in.side == Side::kBuy) cost = notional(sized.limit_price, shares) + trade_fee(fee, Liquidity::kTaker, sized.limit_price, shares);
    const DenyReason why = gate->check(sized, shares, cost, ctx);
    if (why != DenyReason::kNone) {
      deny(s, in, why, shares, d);
      return;
    }
    ++s.stats.orders;
    if (in.side == Side::kBuy) ++s.buys_in_window[static_cast<std::size_t>(w)];
    OrderTicket t;
    OrderRequest& r = t.request;
    const ClientOrderId cid{(static_cast<std::uint64_t>(s.id.value) << 40) | s.next_client++};
    stamp(r.hdr, OrderRequest::kType, token_id(static_cast<std::size_t>(w), outcome), clock.now_ns(), clock.now_ns());
    r.hdr.producer = Stage::kRisk;
    r.hdr.cause_seq = in.hdr.seq;
    r.client_id = cid;
    r.market = MarketId{static_cast<std::uint32_t>(w + 1)};
    r.strategy = s.id;
    r.action = OrderAction::kNew;
    r.side = in.side;
    r.price = sized.limit_price;
    r.size = shares;
    r.expiration_s = in.expiration_s;
    r.order_type = in.order_type;
    r.post_only = in.post_only;
    r.tick = tick;
    t.outcome = outcome;
    t.window_end_ns = mw.end_s * kNsPerS;
    t.fee = fee;
    if (in.side == Side::kBuy) s.reserved[cid.value] = cost;
    s.order_types[cid.value] = in.order_type;
    s.order_reasons[cid.value] = in.reason;
    s.fills->submit(t, clock.now_ns());
  }

  void on_exec(Slot& s, const ExecReport& r, Liquidity liq, Outcome outcome) {
    const std::size_t w = r.market.value - 1;
    PositionRecord& p = s.pos[w];
    const bool fill = r.kind == ExecKind::kFilled || r.kind == ExecKind::kPartiallyFilled;
    if (fill && r.last_qty.raw > 0) {
      const Usdc n = notional(r.last_price, r.last_qty);
      Qty& held = outcome == Outcome::kUp ? p.up_shares : p.down_shares;
      if (r.side == Side::kBuy) {
        s.cash -= n + r.fee;
        p.cash_flow -= n + r.fee;
        p.open_cost += n;
        held += r.last_qty;
      } else {
        // Average-cost basis leaves with the shares sold.
        const Qty before = held;
        const Usdc basis = before.raw > 0 ? Usdc::from_raw(static_cast<std::int64_t>(
                                                static_cast<i128>(p.open_cost.raw) * r.last_qty.raw / before.raw))
                                          : Usdc{};
        s.cash += n - r.fee;
        p.cash_flow += n - r.fee;
        p.open_cost -= std::min(basis, p.open_cost);
        held -= r.last_qty;
      }
      p.fees += r.fee;
      ++p.fills;
      ++s.stats.fills;
      if (liq == Liquidity::kTaker) ++s.stats.taker_fills; else ++s.stats.maker_fills;
      s.stats.fees += r.fee;
      FillRecord f;
      f.time_ns = r.hdr.ts_exch;
      f.strategy = s.index;
      f.window = w;
      f.client_id = r.client_id.value;
      f.side = r.side;
      f.outcome = outcome;
      f.liquidity = liq;
      f.order_type = s.order_types[r.client_id.value];
      f.reason = s.order_reasons[r.client_id.value];
      f.price = r.last_price;
      f.shares = r.last_qty;
      f.notional = n;
      f.fee = r.fee;
      res.fills.push_back(f);
      if (r.side == Side::kBuy && r.kind == ExecKind::kPartiallyFilled) {
        const FeeSchedule& fee = fees[w];
        s.reserved[r.client_id.value] = notional(r.price, r.leaves_qty) + trade_fee(fee, Liquidity::kTaker, r.price, r.leaves_qty);
      }
    }
    const bool done = r.kind == ExecKind::kFilled || r.kind == ExecKind::kCancelled || r.kind == ExecKind::kRejected ||
                      r.kind == ExecKind::kExpired;
    if (done) {
      s.reserved.erase(r.client_id.value);
    }
    Envelope e = Envelope::of(r);
    e.hdr.seq = ++seq;
    s.inbox.push_back(e);
    if (fill) s.inbox.push_back(Envelope::of(position_update(s, w, r.hdr.ts_exch)));
  }

  PositionUpdate position_update(const Slot& s, std::size_t w, std::int64_t t) {
    PositionUpdate u{};
    stamp(u.hdr, PositionUpdate::kType, token_id(w, Outcome::kUp), t, t);
    u.hdr.producer = Stage::kRisk;
    u.market = MarketId{static_cast<std::uint32_t>(w + 1)};
    u.strategy = s.id;
    u.state = s.halted ? TradingState::kHalted : TradingState::kActive;
    const PositionRecord& p = s.pos[w];
    u.up_shares = p.up_shares;
    u.down_shares = p.down_shares;
    u.up_cost = p.open_cost;  // combined basis; per-side split is the risk stage's job
    u.realized_pnl = p.settled ? p.cash_flow : Usdc{};
    u.capital = s.cash;
    u.win_streak = s.win_streak;
    return u;
  }

  void flush_all() {
    for (auto& s : slots) drain(*s);
  }

  // ---- events ----

  void publish_book(std::size_t w, std::int64_t t) {
    const MarketWindow& mw = win(w);
    if (recorded[w] != 0) {
      quotes[w] = recorded_quote(w);
    } else {
      const double tau = static_cast<double>(mw.end_s * kNsPerS - t) / 1e9;
      double fair = 0.5;
      if (model_strike[w] > 0.0 && last_ref > 0.0) fair = fair_up_probability(last_ref, model_strike[w], tau, vol.sigma_per_sqrt_s());
      quotes[w] = make_quote(fair, cfg.book);
      // No reference price, or a stale one: there is nothing to model a book from, so there is no book.
      const bool fresh = last_ref > 0.0 && t - last_ref_feed_ns <= max_ref_age_ns();
      if (!fresh) {
        quotes[w].valid = false;
        ++stale_books;
      }
    }
    const ModelQuote& q = quotes[w];
    BookTop b{};
    stamp(b.hdr, BookTop::kType, token_id(w, Outcome::kUp), t, t);
    auto top = [&](TokenTop& tt, InstrumentId id, const Ladder& bids, const Ladder& asks) {
      tt.token = id;
      tt.valid = 1;
      tt.bid = bids.count > 0 ? bids.price[0] : Price{};
      tt.bid_size = bids.count > 0 ? bids.size[0] : Qty{};
      tt.ask = asks.count > 0 ? asks.price[0] : Price{};
      tt.ask_size = asks.count > 0 ? asks.size[0] : Qty{};
      for (int i = 0; i < bids.count; ++i) tt.bid_depth += bids.size[i];
      for (int i = 0; i < asks.count; ++i) tt.ask_depth += asks.size[i];
      tt.tick = q.tick;
    };
    top(b.up, token_id(w, Outcome::kUp), q.up_bids, q.up_asks);
    top(b.down, token_id(w, Outcome::kDown), q.down_bids, q.down_asks);
    if (!q.valid) {
      b.up.valid = b.down.valid = 0;
      b.hdr.flags |= msg_flag::kInvalid;
    }
    b.market = MarketId{static_cast<std::uint32_t>(w + 1)};
    b.fee_rate_bps = static_cast<std::uint32_t>(fees[w].enabled ? fees[w].rate_e6 / 100 : 0);
    b.min_order_size = mw.min_size;
    b.window_start_s = mw.start_s;
    b.window_end_s = mw.end_s;
    const Envelope e = Envelope::of(b);
    deliver_all(e);
    for (auto& s : slots) {
      s->fills->on_book(b.market, t, s->exec);
      drain(*s);
    }
  }

  void on_ref(const RefReport& r, std::int64_t t) {
    RefPrice m{};
    stamp(m.hdr, RefPrice::kType, kChainlinkBtcUsd, r.feed_ts_ms * kNsPerMs, t);
    m.hdr.producer = Stage::kFeed;
    m.value = r.value.to_usd_price();
    m.value_e18_hi = r.value.hi();
    m.value_e18_lo = r.value.lo();
    m.feed_ts_ms = r.feed_ts_ms;
    m.venue = Venue::kChainlink;
    deliver_all(Envelope::of(m));
    if (cfg.derive_btc_ticks && binance_in_range == 0) {
      BtcTick b{};
      stamp(b.hdr, BtcTick::kType, kChainlinkBtcUsd, r.feed_ts_ms * kNsPerMs, t);
      b.bid = m.value;
      b.ask = m.value;
      b.venue = Venue::kChainlink;
      deliver_all(Envelope::of(b));
    }
    const double px = m.value.to_double();
    vol.on_price(r.feed_ts_ms, px);
    last_ref = px;
    last_ref_feed_ns = r.feed_ts_ms * kNsPerMs;
    for (std::size_t w : active_list) {
      if (recorded[w] == 0) publish_book(w, t);
    }
  }

  ModelQuote recorded_quote(std::size_t w) const {
    ModelQuote q;
    q.tick = win(w).tick;
    auto fill = [](Ladder& l, const auto& begin, const auto& end) {
      l.count = 0;
      for (auto it = begin; it != end && l.count < Ladder::kMaxLevels; ++it) {
        if (it->second.raw <= 0) continue;
        l.price[l.count] = Price::from_raw(it->first);
        l.size[l.count] = it->second;
        ++l.count;
      }
    };
    const TokenBook& up = rec_books[2 * w];
    const TokenBook& down = rec_books[2 * w + 1];
    fill(q.up_bids, up.bids.rbegin(), up.bids.rend());
    fill(q.up_asks, up.asks.begin(), up.asks.end());
    fill(q.down_bids, down.bids.rbegin(), down.bids.rend());
    fill(q.down_asks, down.asks.begin(), down.asks.end());
    q.valid = q.up_bids.count + q.up_asks.count + q.down_bids.count + q.down_asks.count > 0;
    if (q.up_bids.count > 0 && q.up_asks.count > 0) q.fair_up = (q.up_bids.price[0].to_double() + q.up_asks.price[0].to_double()) / 2;
    return q;
  }

  void on_poly(const PolyBookEvent& e, std::int64_t t) {
    const auto it = token_index.find(e.asset_id);
    if (it == token_index.end()) return;
    const std::size_t w = it->second.first;
    const Outcome o = it->second.second;
    const MarketId market{static_cast<std::uint32_t>(w + 1)};
    if (e.kind == PolyBookEvent::Kind::kTrade) {
      ++recorded_trades;
      Trade m{};
      stamp(m.hdr, Trade::kType, token_id(w, o), e.event_ms * kNsPerMs, t);
      m.price_raw = e.trade_price.raw;
      m.size_raw = e.trade_size.raw;
      m.aggressor = e.aggressor;
      m.venue = Venue::kPolymarket;
      deliver_all(Envelope::of(m));
      for (auto& s : slots) {
        s->fills->on_trade(market, o, e.trade_price, t, s->exec);
        drain(*s);
      }
      return;
    }
    ++recorded_events;
    TokenBook& b = rec_books[2 * w + (o == Outcome::kDown ? 1 : 0)];
    if (e.kind == PolyBookEvent::Kind::kSnapshot) {
      b.bids.clear();
      b.asks.clear();
    }
    for (const auto& u : e.levels) {
      auto& side = u.side == Side::kBuy ? b.bids : b.asks;
      if (u.size.raw <= 0) side.erase(u.price.raw); else side[u.price.raw] = u.size;
    }
    recorded[w] = 1;
    if (active[w] != 0) publish_book(w, t);
  }

  void on_kline(const feed::KlineRow& k, bool derived, std::int64_t t) {
    Kline m{};
    stamp(m.hdr, Kline::kType, derived ? kChainlinkBtcUsd : kBinanceBtc, k.open_time_ms * kNsPerMs, t);
    m.open_time_ms = k.open_time_ms;
    m.close_time_ms = k.close_time_ms != 0 ? k.close_time_ms : k.open_time_ms + 59'999;
    m.open = k.open;
    m.high = k.high;
    m.low = k.low;
    m.close = k.close;
    m.volume = k.volume;
    m.trades = k.trades;
    m.closed = 1;
    m.venue = derived ? Venue::kChainlink : Venue::kBinance;
    deliver_all(Envelope::of(m));
    if (!derived && data.chainlink.empty()) {
      // No settlement feed in the data: the Binance closes are the model's reference price.
      const double px = k.close.to_double();
      vol.on_price(m.close_time_ms + 1, px);
      last_ref = px;
      last_ref_feed_ns = (m.close_time_ms + 1) * kNsPerMs;
      for (std::size_t w : active_list) publish_book(w, t);
    }
  }

  void on_binance(const BinanceEvent& b, std::int64_t t) {
    if (b.kind == BinanceEvent::Kind::kBookTicker) {
      BtcTick m{};
      stamp(m.hdr, BtcTick::kType, kBinanceBtc, b.exch_ms * kNsPerMs, t);
      m.bid = b.bid;
      m.ask = b.ask;
      m.bid_qty = b.bid_qty;
      m.ask_qty = b.ask_qty;
      m.update_id = b.id;
      m.venue = Venue::kBinance;
      deliver_all(Envelope::of(m));
    } else {
      Trade m{};
      stamp(m.hdr, Trade::kType, kBinanceBtc, b.exch_ms * kNsPerMs, t);
      m.price_raw = b.bid.raw;
      m.size_raw = b.bid_qty.raw;
      m.trade_id = b.id;
      m.aggressor = b.buyer_is_maker ? Side::kSell : Side::kBuy;
      m.venue = Venue::kBinance;
      deliver_all(Envelope::of(m));
    }
  }

  MarketStatus status_msg(std::size_t w, MarketStatusKind kind, std::int64_t t, Outcome winner) {
    const MarketWindow& mw = win(w);
    MarketStatus m{};
    stamp(m.hdr, MarketStatus::kType, token_id(w, Outcome::kUp), t, t);
    m.market = MarketId{static_cast<std::uint32_t>(w + 1)};
    m.up_token = token_id(w, Outcome::kUp);
    m.down_token = token_id(w, Outcome::kDown);
    m.kind = kind;
    m.winner = static_cast<std::uint8_t>(winner);
    m.start_s = mw.start_s;
    m.end_s = mw.end_s;
    return m;
  }

  Timer timer_msg(std::size_t w, TimerKind kind, std::int64_t t, std::int32_t before) {
    const MarketWindow& mw = win(w);
    Timer m{};
    stamp(m.hdr, Timer::kType, token_id(w, Outcome::kUp), t, t);
    m.market = MarketId{static_cast<std::uint32_t>(w + 1)};
    m.kind = kind;
    m.window_start_s = mw.start_s;
    m.window_end_s = mw.end_s;
    m.seconds_before_end = before;
    m.interval_s = static_cast<std::uint32_t>(mw.end_s - mw.start_s);
    return m;
  }

  void on_open(std::size_t w, std::int64_t t) {
    active[w] = 1;
    active_list.push_back(w);
    deliver_all(Envelope::of(status_msg(w, MarketStatusKind::kOpen, t, Outcome::kNone)));
    deliver_all(Envelope::of(timer_msg(w, TimerKind::kWindowOpen, t, static_cast<std::int32_t>(win(w).end_s - win(w).start_s))));
    publish_book(w, t);
  }

  void on_strike(std::size_t w) {
    const MarketWindow& mw = win(w);
    if (const RefReport* r = data.chainlink.at(mw.start_s * 1000)) {
      model_strike[w] = r->value.to_usd_price().to_double();
    } else if (mw.strike) {
      model_strike[w] = mw.strike->to_usd_price().to_double();
    } else {
      model_strike[w] = last_ref;  // the model's best guess; settlement never uses it
    }
  }

  void on_close(std::size_t w, std::int64_t t) {
    for (auto& s : slots) {
      s->fills->advance(t, true, s->exec);
      s->fills->close_market(MarketId{static_cast<std::uint32_t>(w + 1)}, t, s->exec);
      drain(*s);
    }
    active[w] = 0;
    active_list.erase(std::remove(active_list.begin(), active_list.end(), w), active_list.end());
    quotes[w].valid = false;
    deliver_all(Envelope::of(timer_msg(w, TimerKind::kWindowClose, t, 0)));
    deliver_all(Envelope::of(status_msg(w, MarketStatusKind::kClosed, t, Outcome::kNone)));
  }

  void on_settle(std::size_t w, std::int64_t t) {
    const Settlement& st = res.window_rows[w].settlement;
    for (auto& sp : slots) {
      Slot& s = *sp;
      PositionRecord& p = s.pos[w];
      if (p.fills == 0 || p.settled) continue;
      const Qty won = st.outcome == Outcome::kUp ? p.up_shares : p.down_shares;
      const Usdc payout = Usdc::from_raw(won.raw);  // $1 per winning share; both in 1e-6 units
      s.cash += payout;
      p.cash_flow += payout;
      p.open_cost = Usdc{};
      p.settled = true;
      if (p.cash_flow.raw > 0) {
        ++s.win_streak;
        ++s.stats.wins;
      } else {
        s.win_streak = 0;
        ++s.stats.losses;
      }
      ExecReport r{};
      stamp(r.hdr, ExecReport::kType, token_id(w, st.outcome), t, t);
      r.hdr.producer = Stage::kOms;
      r.market = MarketId{static_cast<std::uint32_t>(w + 1)};
      r.strategy = s.id;
      r.kind = ExecKind::kSettled;
      r.outcome = st.outcome;
      r.payout = payout;
      r.cum_qty = won;
      s.inbox.push_back(Envelope::of(r));
      s.inbox.push_back(Envelope::of(position_update(s, w, t)));
      res.equity.push_back(EquityPoint{t, s.index, equity(s), s.cash});
    }
    deliver_all(Envelope::of(status_msg(w, MarketStatusKind::kResolved, t, st.outcome)));
  }

  // ---- set-up ----

  std::vector<Ev> build_events() {
    std::vector<Ev> ev;
    const std::size_t n = res.windows.size();
    std::int64_t first_s = res.windows.front().start_s;
    std::int64_t last_s = res.windows.back().end_s;
    for (const auto& w : res.windows) last_s = std::max(last_s, w.end_s);
    const std::int64_t lo_ns = (first_s - cfg.warmup_s) * kNsPerS;
    const std::int64_t hi_ns = (last_s + 600) * kNsPerS;  // settlement reports arrive after the close
    auto push = [&](std::int64_t t, std::uint8_t prio, EvKind k, std::size_t idx, std::int32_t aux = 0) {
      ev.push_back(Ev{t, prio, ev.size(), k, idx, aux});
    };
    for (std::size_t w = 0; w < n; ++w) {
      const MarketWindow& mw = res.windows[w];
      push(mw.start_s * kNsPerS, 0, EvKind::kOpen, w);
      std::int64_t strike_ns = (mw.start_s + 2) * kNsPerS;
      if (const RefReport* r = data.chainlink.at(mw.start_s * 1000)) strike_ns = r->recv_ms * kNsPerMs;
      push(strike_ns, 2, EvKind::kStrike, w);
      for (std::int32_t tm : cfg.tminus_s) {
        if (mw.end_s - tm > mw.start_s) push((mw.end_s - tm) * kNsPerS, 3, EvKind::kTMinus, w, tm);
      }
      push(mw.end_s * kNsPerS, 4, EvKind::kClose, w);
      const Settlement& st = res.window_rows[w].settlement;
      if (st.status == SettleStatus::kSettled) {
        push(std::max(st.known_at_ms * kNsPerMs, mw.end_s * kNsPerS + 1), 5, EvKind::kSettle, w);
      }
    }
    std::size_t i = 0;
    for (const auto& [ts, r] : data.chainlink.reports()) {
      const std::int64_t t = r.recv_ms * kNsPerMs;
      if (t >= lo_ns && t <= hi_ns) push(t, 1, EvKind::kRef, i);
      ++i;
    }
    // Binance klines in range; the minutes they leave uncovered get bars derived from the Chainlink reports.
    std::vector<std::int64_t> covered;
    for (std::size_t k = 0; k < data.klines.size(); ++k) {
      const auto& row = data.klines[k];
      const std::int64_t close_ms = row.close_time_ms != 0 ? row.close_time_ms : row.open_time_ms + 59'999;
      const std::int64_t t = (close_ms + 1) * kNsPerMs;
      if (t < lo_ns || t > hi_ns) continue;
      push(t, 1, EvKind::kKline, k, 0);
      covered.push_back(row.open_time_ms / 60'000);
    }
    std::sort(covered.begin(), covered.end());
    if (cfg.derive_klines) {
      std::map<std::int64_t, std::pair<feed::KlineRow, std::int64_t>> bars;  // minute -> (bar, known at ms)
      for (const auto& [ts, r] : data.chainlink.reports()) {
        const std::int64_t t = r.recv_ms * kNsPerMs;
        if (t < lo_ns || t > hi_ns) continue;
        const std::int64_t minute = ts / 60'000;
        if (std::binary_search(covered.begin(), covered.end(), minute)) continue;
        const UsdPrice px = r.value.to_usd_price();
        auto it = bars.find(minute);
        if (it == bars.end()) {
          feed::KlineRow k;
          k.open_time_ms = minute * 60'000;
          k.close_time_ms = k.open_time_ms + 59'999;
          k.open = k.high = k.low = k.close = px;
          bars.emplace(minute, std::make_pair(k, std::max(r.recv_ms, k.close_time_ms + 1)));
        } else {
          auto& k = it->second.first;
          k.high = std::max(k.high, px);
          k.low = std::min(k.low, px);
          k.close = px;
          ++k.trades;
          it->second.second = std::max(it->second.second, r.recv_ms);
        }
      }
      for (auto& [minute, bk] : bars) {
        bk.first.trades += 1;
        derived_klines.push_back(bk.first);
        push(bk.second * kNsPerMs, 1, EvKind::kKline, derived_klines.size() - 1, 1);
      }
    }
    for (std::size_t k = 0; k < data.poly_book.size(); ++k) {
      const auto& e = data.poly_book[k];
      const std::int64_t t = e.recv_ms * kNsPerMs;
      if (t < lo_ns || t > hi_ns || token_index.count(e.asset_id) == 0) continue;
      push(t, 1, EvKind::kPolyBook, k);
    }
    for (std::size_t b = 0; b < data.binance.size(); ++b) {
      const auto& e = data.binance[b];
      if (!cfg.binance_symbol.empty() && e.symbol != cfg.binance_symbol) continue;
      if (e.recv_ns < lo_ns || e.recv_ns > hi_ns) continue;
      push(e.recv_ns, 1, EvKind::kBinance, b);
      ++binance_in_range;
    }
    std::sort(ev.begin(), ev.end(), [](const Ev& a, const Ev& b) {
      if (a.t_ns != b.t_ns) return a.t_ns < b.t_ns;
      if (a.prio != b.prio) return a.prio < b.prio;
      return a.seq < b.seq;
    });
    return ev;
  }

  Result<BacktestResult, std::string> run() {
    const std::vector<MarketWindow> synthetic =
        cfg.synthetic_windows ? windows_from_klines(data.klines, cfg.interval_s != 0 ? cfg.interval_s : 300, cfg.default_fee)
                              : std::vector<MarketWindow>{};
    for (const auto& w : cfg.synthetic_windows ? synthetic : data.windows) {
      if (cfg.interval_s != 0 && w.end_s - w.start_s != cfg.interval_s) continue;
      if (cfg.from_s != 0 && w.start_s < cfg.from_s) continue;
      if (cfg.to_s != 0 && w.end_s > cfg.to_s) continue;
      res.windows.push_back(w);
    }
    if (res.windows.empty() && cfg.synthetic_windows) {
      return Err{std::string("synthetic_windows: no complete ") + std::to_string(cfg.interval_s != 0 ? cfg.interval_s : 300) +
                 " s window in the data's 1-minute klines" + (cfg.from_s != 0 || cfg.to_s != 0 ? " inside from/to" : "")};
    }
    if (res.windows.empty()) {
      return Err{std::string("no market windows in the data (need a *-markets-*.jsonl[.gz] market list") +
                 (data.klines.empty() ? std::string() : std::string("; with klines only, --synthetic-windows backtests on a Binance settlement proxy")) +
                 (cfg.interval_s != 0 ? ", interval_s " + std::to_string(cfg.interval_s) : std::string()) +
                 (cfg.from_s != 0 || cfg.to_s != 0 ? ", inside from/to" : std::string()) + ")"};
    }
    const std::size_t n = res.windows.size();
    res.capital = cfg.capital;
    res.synthetic = cfg.synthetic_windows;
    res.interval_s = cfg.interval_s != 0 ? cfg.interval_s : res.windows.front().end_s - res.windows.front().start_s;
    res.window_rows.resize(n);
    quotes.resize(n);
    model_strike.assign(n, 0.0);
    active.assign(n, 0);
    recorded.assign(n, 0);
    rec_books.resize(2 * n);
    for (std::size_t w = 0; w < n; ++w) {
      token_index[res.windows[w].up_token] = {w, Outcome::kUp};
      token_index[res.windows[w].down_token] = {w, Outcome::kDown};
    }
    for (std::size_t w = 0; w < n; ++w) {
      const MarketWindow& mw = res.windows[w];
      res.window_rows[w].settlement = cfg.synthetic_windows ? settle_from_klines(mw, data.klines) : settle(mw, data.chainlink);
      const Settlement& st = res.window_rows[w].settlement;
      if (st.status == SettleStatus::kSettled) {
        ++res.windows_settled;
        if (mw.venue_outcome != Outcome::kNone) {
          if (mw.venue_outcome == st.outcome) ++res.settled_matching_venue; else ++res.settled_contradicting_venue;
        }
      }
      FeeSchedule f = mw.fee;
      if (!f.known) {
        const bool enabled = f.enabled;
        f = cfg.default_fee;
        f.enabled = enabled;
        ++fee_defaulted;
      }
      fees.push_back(f);
    }
    switch (cfg.sizing) {
      case SizingMode::kFixedStake: sizer = std::make_unique<FixedStakeSizer>(cfg.stake); break;
      case SizingMode::kIntent: sizer = std::make_unique<IntentSizer>(); break;
      case SizingMode::kWinStreak: sizer = std::make_unique<WinStreakSizer>(cfg.win_streak); break;
    }
    gate = std::make_unique<BasicRiskGate>(cfg.gate);
    FillParams fp;
    fp.submit_latency_ns = cfg.submit_latency_ms * kNsPerMs;
    fp.taker_delay_ns = cfg.taker_delay_ms * kNsPerMs;
    fp.cancel_latency_ns = cfg.cancel_latency_ms * kNsPerMs;
    for (auto& sp : slots) {
      sp->fills = std::make_unique<FillEngine>(fp, *this);
      sp->exec.impl = this;
      sp->exec.slot = sp.get();
      sp->cash = cfg.capital;
      sp->pos.resize(n);
      sp->buys_in_window.assign(n, 0);
      sp->stats.name = sp->strategy->name();
    }

    const std::vector<Ev> ev = build_events();
    res.events = ev.size();
    if (!ev.empty()) {
      res.first_ns = ev.front().t_ns;
      res.last_ns = ev.back().t_ns;
    }
    for (auto& sp : slots) res.equity.push_back(EquityPoint{res.first_ns, sp->index, sp->cash, sp->cash});
    std::size_t derived = 0;
    for (const Ev& e : ev) {
      for (auto& sp : slots) {
        sp->fills->advance(e.t_ns, false, sp->exec);
        drain(*sp);
      }
      clock.set(e.t_ns);
      switch (e.kind) {
        case EvKind::kOpen: on_open(e.idx, e.t_ns); break;
        case EvKind::kRef: on_ref(ref_at(e.idx), e.t_ns); break;
        case EvKind::kKline:
          if (e.aux != 0) ++derived;
          on_kline(e.aux != 0 ? derived_klines[e.idx] : data.klines[e.idx], e.aux != 0, e.t_ns);
          break;
        case EvKind::kBinance: on_binance(data.binance[e.idx], e.t_ns); break;
        case EvKind::kPolyBook: on_poly(data.poly_book[e.idx], e.t_ns); break;
        case EvKind::kStrike: on_strike(e.idx); break;
        case EvKind::kTMinus: deliver_all(Envelope::of(timer_msg(e.idx, TimerKind::kTMinus, e.t_ns, e.aux))); break;
        case EvKind::kClose: on_close(e.idx, e.t_ns); break;
        case EvKind::kSettle: on_settle(e.idx, e.t_ns); break;
      }
      flush_all();
    }
    for (auto& sp : slots) {
      clock.set(std::max(clock.now_ns(), sp->fills->next_action_ns() == INT64_MAX ? clock.now_ns() : sp->fills->next_action_ns()));
      sp->fills->advance(INT64_MAX, true, sp->exec);
      drain(*sp);
    }
    finish(derived);
    return std::move(res);
  }

  // Reports are addressed by their rank in the ordered series; build the rank table once.
  std::vector<const RefReport*> ref_index;
  const RefReport& ref_at(std::size_t i) {
    if (ref_index.empty()) {
      ref_index.reserve(data.chainlink.reports().size());
      for (const auto& [ts, r] : data.chainlink.reports()) ref_index.push_back(&r);
    }
    return *ref_index[i];
  }

  void finish(std::size_t derived_klines_used) {
    const std::size_t n = res.windows.size();
    for (std::size_t w = 0; w < n; ++w) {
      WindowRecord& row = res.window_rows[w];
      bool traded = false, known = true;
      Usdc pnl;
      for (auto& sp : slots) {
        const PositionRecord& p = sp->pos[w];
        if (p.fills == 0) continue;
        traded = true;
        if (p.settled) pnl += p.cash_flow; else known = false;
      }
      row.traded = traded;
      row.pnl_known = known;
      row.pnl = known ? pnl : Usdc{};
    }
    const double per_year = 365.0 * 86400.0 / static_cast<double>(std::max<std::int64_t>(1, res.interval_s));
    for (auto& sp : slots) {
      Slot& s = *sp;
      StrategyStats& st = s.stats;
      std::vector<double> returns;
      for (std::size_t w = 0; w < n; ++w) {
        const PositionRecord& p = s.pos[w];
        if (p.fills > 0) {
          ++st.windows_traded;
          if (p.settled) st.net_pnl += p.cash_flow; else { ++st.unsettled; st.unsettled_cost += p.open_cost; }
        }
        if (res.window_rows[w].settlement.status == SettleStatus::kSettled) {
          returns.push_back(p.fills > 0 && p.settled ? p.cash_flow.to_double() / cfg.capital.to_double() : 0.0);
        }
      }
      st.final_equity = equity(s);
      st.exposure = n == 0 ? 0.0 : static_cast<double>(st.windows_traded) / static_cast<double>(n);
      st.win_rate = st.wins + st.losses == 0 ? 0.0 : static_cast<double>(st.wins) / static_cast<double>(st.wins + st.losses);
      if (returns.size() > 1) {
        double mean = 0.0;
        for (double r : returns) mean += r;
        mean /= static_cast<double>(returns.size());
        double var = 0.0;
        for (double r : returns) var += (r - mean) * (r - mean);
        var /= static_cast<double>(returns.size() - 1);
        st.sharpe = var > 0.0 ? mean / std::sqrt(var) * std::sqrt(per_year) : 0.0;
      }
      Usdc peak = cfg.capital, max_dd;
      double max_dd_pct = 0.0;
      for (const auto& pt : res.equity) {
        if (pt.strategy != s.index) continue;
        peak = std::max(peak, pt.equity);
        const Usdc dd = peak - pt.equity;
        if (dd > max_dd) max_dd = dd;
        if (peak.raw > 0) max_dd_pct = std::max(max_dd_pct, dd.to_double() / peak.to_double());
      }
      st.max_drawdown = max_dd;
      st.max_drawdown_pct = max_dd_pct;
      res.equity.push_back(EquityPoint{res.last_ns, s.index, equity(s), s.cash});
      res.positions.push_back(s.pos);
      res.stats.push_back(st);
    }
    const std::string ref = data.chainlink.empty() ? "Binance 1-minute close" : "Chainlink report";
    std::size_t recorded_windows = 0;
    for (auto r : recorded) recorded_windows += r;
    if (recorded_windows > 0) {
      res.notes.push_back("order book: RECORDED for " + std::to_string(recorded_windows) + " of " + std::to_string(n) +
                          " windows (" + std::to_string(recorded_events) + " book/delta events, " +
                          std::to_string(recorded_trades) + " trade prints; a taker fill does not deplete the "
                          "recorded depth); the other windows: see the next note");
    }
    res.recorded_book_windows = recorded_windows;
    if (recorded_windows < n) res.notes.push_back(std::string(recorded_windows > 0 ? "other windows' " : "") + "order book: MODELLED, not recorded - the data has no Polymarket book; quotes are fair value "
                        "(P(final >= strike) from the latest " + ref + " and an online volatility estimate) +/- "
                        "half_spread " + cfg.book.half_spread.to_string() + ", " + std::to_string(cfg.book.levels) +
                        " levels of " + cfg.book.depth.to_string() + " shares; no book (invalid BookTop) when the "
                        "last " + ref + " is older than " + std::to_string(max_ref_age_ns() / kNsPerS) + " s (" +
                        std::to_string(stale_books) + " such book updates)");
    res.notes.push_back("fills: taker after a " + std::to_string(cfg.taker_delay_ms) +
                        " ms taker delay against the book at that time; maker only when the book trades through "
                        "the order's price; fees from each market's feeSchedule (" +
                        std::to_string(fee_defaulted) + " markets without one used the configured default)");
    if (derived_klines_used > 0) {
      res.notes.push_back("1-minute klines: " + std::to_string(derived_klines_used) +
                          " derived from Chainlink reports (no Binance klines cover those minutes)");
    }
    if (cfg.derive_btc_ticks && binance_in_range == 0 && !data.chainlink.empty()) {
      res.notes.push_back("BTC ticks: derived from Chainlink reports (no Binance ticks in the run's span)");
    }
    if (cfg.synthetic_windows) {
      res.notes.push_back("SETTLEMENT PROXY: synthetic windows from Binance 1-minute klines, Up iff the last bar's "
                          "close >= the first bar's open - NOT Polymarket's Chainlink rule; no real market or "
                          "outcome exists; " + std::to_string(res.windows_settled) + " of " + std::to_string(n) +
                          " windows settled by the proxy");
    } else {
      res.notes.push_back("settlement: Up iff the Chainlink report at end_sec >= strike (exact 1e18 integers); " +
                          std::to_string(res.windows_settled) + " of " + std::to_string(n) +
                          " windows settled, " + std::to_string(res.settled_matching_venue) +
                          " match Polymarket's outcome_prices, " + std::to_string(res.settled_contradicting_venue) +
                          " contradict it");
    }
  }
};

Backtest::Backtest(BacktestConfig config, const DataSet& data, std::vector<std::unique_ptr<signal::Strategy>> strategies)
    : impl_(std::make_unique<Impl>(std::move(config), data)) {
  std::size_t i = 0;
  for (auto& s : strategies) {
    auto slot = std::make_unique<Impl::Slot>();
    slot->index = i++;
    slot->id = s->id().valid() ? s->id() : StrategyId{static_cast<std::uint16_t>(i)};
    slot->strategy = std::move(s);
    impl_->slots.push_back(std::move(slot));
  }
}

Backtest::~Backtest() = default;

Result<BacktestResult, std::string> Backtest::run() { return impl_->run(); }

}  // namespace polybot::sim::backtest
