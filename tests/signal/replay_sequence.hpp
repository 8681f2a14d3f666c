// A deterministic message sequence built from real Binance klines (tests/data/ta, 2020-12-01): per minute one
// closed Kline, Binance ticks and Chainlink-style reference reports every 5 s walking the bar's open -> low/high ->
// close, Timers at each 5-minute window's open and T-240, and Polymarket BookTops every 5 s whose prices follow
// a simple fair value of the BTC path (with occasional invalid books, wide spreads and complete-set
// discounts). Used by the replay golden test, the allocation test and the strategy benchmarks. Test-only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/messages.hpp"

namespace polybot::signal::testing {

struct TimedMessage {
  std::int64_t now_ns;
  Envelope msg;
};

inline std::vector<TimedMessage> build_replay_sequence(const std::string& klines_csv, std::size_t max_bars) {
  struct Bar {
    std::int64_t open_ms;
    double o, h, l, c;
  };
  std::vector<Bar> bars;
  {
    std::ifstream in(klines_csv);
    std::string line;
    std::getline(in, line);
    std::int64_t t = 1606780800000;  // 2020-12-01 00:00 UTC: the file's first bar (rows are contiguous)
    while (std::getline(in, line) && bars.size() < max_bars) {
      std::stringstream ss(line);
      std::string cell;
      std::vector<std::string> cells;
      while (std::getline(ss, cell, ',')) cells.push_back(cell);
      bars.push_back({t, std::strtod(cells.at(1).c_str(), nullptr), std::strtod(cells.at(2).c_str(), nullptr),
                      std::strtod(cells.at(3).c_str(), nullptr), std::strtod(cells.at(4).c_str(), nullptr)});
      t += 60'000;
    }
  }
  const auto usd = [](double x) { return UsdPrice::from_raw(static_cast<std::int64_t>(std::llround(x * 1e8))); };
  const auto price = [](double p) {
    const std::int64_t cents = std::clamp<std::int64_t>(std::llround(p * 100), 1, 99);
    return Price::from_raw(cents * 10'000);
  };
  std::vector<TimedMessage> out;
  out.reserve(bars.size() * 40);
  std::uint64_t rng = 0x9E3779B97F4A7C15ull;
  const auto next = [&rng] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  };
  std::uint64_t seq = 0;
  double strike = bars.empty() ? 0.0 : bars[0].o;
  for (const Bar& b : bars) {
    const std::int64_t t0 = b.open_ms / 1000;
    const std::int64_t window_start = t0 / 300 * 300;
    if (t0 == window_start) {
      strike = b.o;
      Timer tm{};
      tm.hdr.type = Timer::kType;
      tm.hdr.seq = ++seq;
      tm.hdr.ts_exch = window_start * 1'000'000'000;
      tm.market = MarketId{static_cast<std::uint32_t>(window_start / 300 % 1'000'000'000)};
      tm.kind = TimerKind::kWindowOpen;
      tm.window_start_s = window_start;
      tm.window_end_s = window_start + 300;
      tm.interval_s = 300;
      out.push_back({window_start * 1'000'000'000, Envelope::of(tm)});
    }
    for (int k = 0; k < 12; ++k) {
      const std::int64_t ts = t0 * 1'000'000'000 + std::int64_t{k} * 5'000'000'000 + 1'000'000;
      // open -> low -> high -> close across the minute
      const double f = k / 11.0;
      const double s = f < 0.33 ? b.o + (b.l - b.o) * (f / 0.33)
                       : f < 0.66 ? b.l + (b.h - b.l) * ((f - 0.33) / 0.33)
                                  : b.h + (b.c - b.h) * ((f - 0.66) / 0.34);
      BtcTick bt{};
      bt.hdr.type = BtcTick::kType;
      bt.hdr.seq = ++seq;
      bt.hdr.ts_exch = ts;
      bt.hdr.ts_recv = ts;
      bt.bid = usd(s - 0.01);
      bt.ask = usd(s + 0.01);
      bt.bid_qty = BtcQty::from_raw(static_cast<std::int64_t>(next() % 500'000'000 + 1'000'000));
      bt.ask_qty = BtcQty::from_raw(static_cast<std::int64_t>(next() % 500'000'000 + 1'000'000));
      out.push_back({ts, Envelope::of(bt)});
      RefPrice rp{};
      rp.hdr.type = RefPrice::kType;
      rp.hdr.seq = ++seq;
      rp.feed_ts_ms = ts / 1'000'000 - 1;
      rp.hdr.ts_exch = rp.feed_ts_ms * 1'000'000;
      rp.value = usd(s);
      out.push_back({ts + 200'000'000, Envelope::of(rp)});
      // The book: Up priced off the distance to the strike, 1-3 tick spreads, sometimes a cheap complete set.
      const double tau = static_cast<double>(window_start + 300 - t0 - k * 5);
      const double z = (s - strike) / (0.0004 * strike * std::sqrt(std::max(tau, 1.0) / 60.0));
      const double fair = 0.5 * std::erfc(-z / std::sqrt(2.0));
      const std::uint64_t r = next();
      const double spread = 0.01 * static_cast<double>(1 + r % 3);
      const double discount = (r % 17 == 0) ? 0.06 : 0.0;
      BookTop bk{};
      bk.hdr.type = BookTop::kType;
      bk.hdr.seq = ++seq;
      bk.hdr.ts_exch = ts + 300'000'000;
      bk.market = MarketId{static_cast<std::uint32_t>(window_start / 300 % 1'000'000'000)};
      bk.fee_rate_bps = 700;
      bk.window_start_s = window_start;
      bk.window_end_s = window_start + 300;
      auto side = [&](TokenTop& tt, InstrumentId id, double p) {
        tt.token = id;
        tt.valid = (r % 41 == 0) ? 0 : 1;
        tt.bid = price(p - spread / 2 - discount);
        tt.ask = price(p + spread / 2 - discount / 2);
        if (tt.bid >= tt.ask) tt.bid = Price::from_raw(tt.ask.raw - 10'000);
        tt.bid_size = Qty::from_units(static_cast<std::int64_t>(5 + next() % 200));
        tt.ask_size = Qty::from_units(static_cast<std::int64_t>(5 + next() % 200));
        tt.bid_depth = Qty::from_raw(tt.bid_size.raw * static_cast<std::int64_t>(1 + next() % 4));
        tt.ask_depth = Qty::from_raw(tt.ask_size.raw * static_cast<std::int64_t>(1 + next() % 4));
        tt.tick = Price::from_raw(10'000);
      };
      side(bk.up, InstrumentId{static_cast<std::uint32_t>(2 * (window_start / 300 % 1'000'000'000))}, fair);
      side(bk.down, InstrumentId{static_cast<std::uint32_t>(2 * (window_start / 300 % 1'000'000'000) + 1)},
           1.0 - fair);
      out.push_back({ts + 300'000'000, Envelope::of(bk)});
    }
    Kline kl{};
    kl.hdr.type = Kline::kType;
    kl.hdr.seq = ++seq;
    kl.open_time_ms = b.open_ms;
    kl.close_time_ms = b.open_ms + 59'999;
    kl.hdr.ts_exch = kl.close_time_ms * 1'000'000;
    kl.open = usd(b.o);
    kl.high = usd(b.h);
    kl.low = usd(b.l);
    kl.close = usd(b.c);
    kl.closed = 1;
    out.push_back({(t0 + 60) * 1'000'000'000 + 5'000'000, Envelope::of(kl)});
  }
  return out;
}

// Fills for the intents a strategy emitted: every Place is filled in full at its limit (what the replay test
// feeds back so position-dependent logic runs).
inline Envelope fill_for(const Intent& in) {
  ExecReport e{};
  e.hdr.type = ExecReport::kType;
  e.hdr.instrument = in.hdr.instrument;
  e.strategy = in.strategy;
  e.market = in.market;
  e.kind = ExecKind::kFilled;
  e.side = in.side;
  e.outcome = in.outcome;
  e.price = in.limit_price;
  e.last_price = in.limit_price;
  e.last_qty = in.size.raw > 0 ? in.size
                               : Qty::from_raw(in.limit_price.raw > 0 ? in.notional.raw * Price::kScale /
                                                                            in.limit_price.raw
                                                                      : 0);
  e.cum_qty = e.last_qty;
  return Envelope::of(e);
}

}  // namespace polybot::signal::testing
