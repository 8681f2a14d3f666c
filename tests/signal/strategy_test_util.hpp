// Message builders and a recording sink for strategy tests. Test-only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.hpp"
#include "core/messages.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal::testing {

inline constexpr std::int64_t kSec = 1'000'000'000;
// A 5-minute window: 2026-06-08 12:00:00 UTC.
inline constexpr std::int64_t kW0 = 1780920000;
inline constexpr MarketId kMarket{7};
inline constexpr InstrumentId kUpToken{101};
inline constexpr InstrumentId kDownToken{102};

class RecordingSink final : public IntentSink {
 public:
  RecordingSink() { intents.reserve(1 << 16); }
  bool emit(const Intent& intent) noexcept override {
    intents.push_back(intent);
    return true;
  }
  std::vector<Intent> intents;
};

inline Price px(const char* s) { return *Price::parse(s); }
inline Qty qty(const char* s) { return *Qty::parse(s); }

struct Side2 {
  const char* bid = "0.49";
  const char* bid_size = "100";
  const char* ask = "0.51";
  const char* ask_size = "100";
  const char* bid_depth = "300";
  const char* ask_depth = "300";
  bool valid = true;
};

inline Envelope book_top(std::int64_t start_s, const Side2& up, const Side2& down, std::uint32_t fee_bps = 700,
                         MarketId market = kMarket, const char* tick = "0.01", std::int64_t interval = 300) {
  BookTop b{};
  b.hdr.type = BookTop::kType;
  b.hdr.instrument = kUpToken;
  b.market = market;
  b.fee_rate_bps = fee_bps;
  b.window_start_s = start_s;
  b.window_end_s = start_s + interval;
  auto fill = [tick](TokenTop& t, const Side2& s, InstrumentId id) {
    t.token = id;
    t.valid = s.valid ? 1 : 0;
    t.bid = px(s.bid);
    t.bid_size = qty(s.bid_size);
    t.ask = px(s.ask);
    t.ask_size = qty(s.ask_size);
    t.bid_depth = qty(s.bid_depth);
    t.ask_depth = qty(s.ask_depth);
    t.tick = px(tick);
  };
  fill(b.up, up, kUpToken);
  fill(b.down, down, kDownToken);
  return Envelope::of(b);
}

inline Envelope kline(std::int64_t open_ms, double close, double high = 0, double low = 0) {
  Kline k{};
  k.hdr.type = Kline::kType;
  k.open_time_ms = open_ms;
  k.close_time_ms = open_ms + 59'999;
  k.hdr.ts_exch = k.close_time_ms * 1'000'000;
  const auto usd = [](double x) { return UsdPrice::from_raw(static_cast<std::int64_t>(x * 1e8 + 0.5)); };
  k.open = usd(close);
  k.close = usd(close);
  k.high = usd(high > 0 ? high : close);
  k.low = usd(low > 0 ? low : close);
  k.closed = 1;
  return Envelope::of(k);
}

inline Envelope btc_tick(std::int64_t t_ns, double bid, double ask, double bid_qty = 1, double ask_qty = 1) {
  BtcTick t{};
  t.hdr.type = BtcTick::kType;
  t.hdr.ts_exch = t_ns;
  t.hdr.ts_recv = t_ns;
  t.bid = UsdPrice::from_raw(static_cast<std::int64_t>(bid * 1e8 + 0.5));
  t.ask = UsdPrice::from_raw(static_cast<std::int64_t>(ask * 1e8 + 0.5));
  t.bid_qty = BtcQty::from_raw(static_cast<std::int64_t>(bid_qty * 1e8 + 0.5));
  t.ask_qty = BtcQty::from_raw(static_cast<std::int64_t>(ask_qty * 1e8 + 0.5));
  return Envelope::of(t);
}

inline Envelope ref_price(std::int64_t ts_ms, double v) {
  RefPrice r{};
  r.hdr.type = RefPrice::kType;
  r.hdr.ts_exch = ts_ms * 1'000'000;
  r.feed_ts_ms = ts_ms;
  r.value = UsdPrice::from_raw(static_cast<std::int64_t>(v * 1e8 + 0.5));
  return Envelope::of(r);
}

inline Envelope timer(std::int64_t start_s, TimerKind kind = TimerKind::kWindowOpen, MarketId market = kMarket) {
  Timer t{};
  t.hdr.type = Timer::kType;
  t.market = market;
  t.kind = kind;
  t.window_start_s = start_s;
  t.window_end_s = start_s + 300;
  t.interval_s = 300;
  return Envelope::of(t);
}

inline Envelope fill(StrategyId s, Outcome o, Side side, const char* price, const char* q, MarketId market = kMarket,
                     ExecKind kind = ExecKind::kFilled) {
  ExecReport e{};
  e.hdr.type = ExecReport::kType;
  e.hdr.instrument = o == Outcome::kUp ? kUpToken : kDownToken;
  e.strategy = s;
  e.market = market;
  e.kind = kind;
  e.side = side;
  e.price = px(price);
  e.last_price = px(price);
  e.last_qty = qty(q);
  e.cum_qty = qty(q);
  return Envelope::of(e);
}

inline Envelope fill_raw(StrategyId s, Outcome o, Side side, Price price, Qty q, MarketId market = kMarket) {
  ExecReport e{};
  e.hdr.type = ExecReport::kType;
  e.hdr.instrument = o == Outcome::kUp ? kUpToken : kDownToken;
  e.strategy = s;
  e.market = market;
  e.kind = ExecKind::kFilled;
  e.side = side;
  e.price = price;
  e.last_price = price;
  e.last_qty = q;
  e.cum_qty = q;
  return Envelope::of(e);
}

}  // namespace polybot::signal::testing
