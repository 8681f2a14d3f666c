// Directional: the product's rules as behaviour, and the one-intent-per-window property.
#include "signal/strategies/directional.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

// 45 falling closes then one bounce: RSI ~7 (oversold) with the MACD line just crossing above its signal.
void feed_oversold(Strategy& s, ManualClock& clock, RecordingSink& sink) {
  clock.set((kW0 - 600 + 10) * kSec);  // early in an earlier window: no decision
  double c = 30000;
  std::int64_t t = (kW0 - 3600) * 1000;
  for (int i = 0; i < 45; ++i, t += 60'000) s.on_message(kline(t, c - 10 * i), clock, sink);
  s.on_message(kline(t, c - 10 * 44 + 10), clock, sink);
}
// The mirror: RSI ~93 with MACD just below its signal.
void feed_overbought(Strategy& s, ManualClock& clock, RecordingSink& sink) {
  clock.set((kW0 - 600 + 10) * kSec);
  double c = 30000;
  std::int64_t t = (kW0 - 3600) * 1000;
  for (int i = 0; i < 45; ++i, t += 60'000) s.on_message(kline(t, c + 10 * i), clock, sink);
  s.on_message(kline(t, c + 10 * 44 - 10), clock, sink);
}
// Rising then flat: RSI well above 30 and below 70.
void feed_neutral(Strategy& s, ManualClock& clock, RecordingSink& sink) {
  clock.set((kW0 - 600 + 10) * kSec);
  std::int64_t t = (kW0 - 3600) * 1000;
  for (int i = 0; i < 46; ++i, t += 60'000) s.on_message(kline(t, 30000 + ((i % 2) ? 5 : -5)), clock, sink);
}

Side2 heavy_bids() { Side2 s; s.bid_depth = "500"; s.ask_depth = "300"; return s; }  // 1.67
Side2 heavy_asks() { Side2 s; s.bid_depth = "200"; s.ask_depth = "300"; return s; }  // 0.67

void at_entry(Strategy& s, ManualClock& clock, RecordingSink& sink, const Envelope& top) {
  clock.set((kW0 + 300 - 200) * kSec);  // T - 200 s: inside [T-240, T-60]
  s.on_message(top, clock, sink);
}

TEST(DirectionalStrategy, BuysUpWhenOversoldBullishAndBidHeavy) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  ASSERT_LT(d.indicators().values().rsi, 30.0);
  ASSERT_GT(d.indicators().values().macd, d.indicators().values().macd_signal);
  sink.intents.clear();
  at_entry(d, clock, sink, book_top(kW0, heavy_bids(), Side2{}));
  ASSERT_EQ(sink.intents.size(), 1u);
  const Intent& in = sink.intents[0];
  EXPECT_EQ(in.action, IntentAction::kPlace);
  EXPECT_EQ(in.reason, Directional::kUp);
  EXPECT_EQ(in.outcome, Outcome::kUp);
  EXPECT_EQ(in.side, Side::kBuy);
  EXPECT_EQ(in.hdr.instrument, kUpToken);
  EXPECT_EQ(in.market, kMarket);
  EXPECT_EQ(in.limit_price, px("0.51"));
  EXPECT_EQ(in.notional, Usdc::from_units(5));
  EXPECT_EQ(in.window_end_s, kW0 + 300);
  EXPECT_NEAR(in.inputs[Directional::kImbalance], 500.0 / 300.0, 1e-12);
  EXPECT_EQ(in.inputs[Directional::kRsi], d.indicators().values().rsi);
  EXPECT_NEAR(in.inputs[Directional::kSecondsLeft], 200.0, 1e-9);
}

TEST(DirectionalStrategy, BuysDownWhenOverboughtBearishAndAskHeavy) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_overbought(d, clock, sink);
  ASSERT_GT(d.indicators().values().rsi, 70.0);
  ASSERT_LT(d.indicators().values().macd, d.indicators().values().macd_signal);
  sink.intents.clear();
  Side2 down;
  down.ask = "0.48";
  at_entry(d, clock, sink, book_top(kW0, heavy_asks(), down));
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kDown);
  EXPECT_EQ(sink.intents[0].outcome, Outcome::kDown);
  EXPECT_EQ(sink.intents[0].hdr.instrument, kDownToken);
  EXPECT_EQ(sink.intents[0].limit_price, px("0.48"));
}

TEST(DirectionalStrategy, SkipsWhenRsiNeutral) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_neutral(d, clock, sink);
  sink.intents.clear();
  at_entry(d, clock, sink, book_top(kW0, heavy_bids(), Side2{}));
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].action, IntentAction::kSkip);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipNeutral);
  EXPECT_GT(sink.intents[0].inputs[Directional::kRsi], 30.0);
  EXPECT_LT(sink.intents[0].inputs[Directional::kRsi], 70.0);
}

TEST(DirectionalStrategy, SkipsWhenImbalanceDisagrees) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  at_entry(d, clock, sink, book_top(kW0, heavy_asks(), Side2{}));  // imbalance 0.67 < 1.1
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipNeutral);
}

TEST(DirectionalStrategy, SkipsUntilIndicatorsAreWarm) {
  Directional d{DirectionalParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  for (int i = 0; i < 20; ++i) d.on_message(kline((kW0 - 1200 + 60 * i) * 1000, 30000 - i), clock, sink);
  at_entry(d, clock, sink, book_top(kW0, heavy_bids(), Side2{}));
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipNotWarm);
  EXPECT_TRUE(std::isnan(sink.intents[0].inputs[Directional::kMacd]));
}

TEST(DirectionalStrategy, DecidesOnlyOnceAndOnlyInsideTheEntryWindow) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  clock.set((kW0 + 30) * kSec);  // T - 270: too early
  d.on_message(book_top(kW0, heavy_bids(), Side2{}), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
  for (int s = 60; s < 300; s += 5) {
    clock.set((kW0 + s) * kSec);
    d.on_message(book_top(kW0, heavy_bids(), Side2{}), clock, sink);
  }
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_NEAR(sink.intents[0].inputs[Directional::kSecondsLeft], 240.0, 1e-9);
}

TEST(DirectionalStrategy, RecordsAMissedEntryWhenTheWindowIsFirstSeenTooLate) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  clock.set((kW0 + 300 - 30) * kSec);
  d.on_message(book_top(kW0, heavy_bids(), Side2{}), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipMissedEntry);
}

TEST(DirectionalStrategy, SkipsOnAnInvalidBookEvenWhenTheSignalFires) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  Side2 up = heavy_bids();
  up.valid = false;
  DirectionalParams p;
  p.imbalance_source = ImbalanceSource::kNone;  // the imbalance is not what stops it
  Directional d2{p};
  feed_oversold(d2, clock, sink);
  sink.intents.clear();
  at_entry(d2, clock, sink, book_top(kW0, up, Side2{}));
  EXPECT_TRUE(sink.intents.empty()) << "waits for the book while the entry window is open";
  clock.set((kW0 + 300 - 50) * kSec);
  d2.on_message(book_top(kW0, up, Side2{}), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].action, IntentAction::kSkip);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipInvalidBook);
}

TEST(DirectionalStrategy, SkipsWhenTheConfiguredImbalanceIsMissing) {
  DirectionalParams p;
  p.imbalance_source = ImbalanceSource::kBinance;  // no BtcTick ever arrives
  Directional d{p};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  at_entry(d, clock, sink, book_top(kW0, heavy_bids(), Side2{}));
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipNoImbalance);
}

TEST(DirectionalStrategy, UsesBinanceTopOfBookImbalanceWhenConfigured) {
  DirectionalParams p;
  p.imbalance_source = ImbalanceSource::kBinance;
  Directional d{p};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  clock.set((kW0 + 99) * kSec);
  d.on_message(btc_tick(clock.now_ns(), 29560, 29560.01, 3.0, 1.0), clock, sink);
  at_entry(d, clock, sink, book_top(kW0, heavy_asks(), Side2{}));  // Polymarket depth ignored
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kUp);
  EXPECT_DOUBLE_EQ(sink.intents[0].inputs[Directional::kImbalance], 3.0);
}

TEST(DirectionalStrategy, TradesKlineOnlyAtTheAssumedPriceWhenConfigured) {
  DirectionalParams p;
  p.imbalance_source = ImbalanceSource::kNone;
  p.missing_book = MissingBookPolicy::kAssumePrice;
  p.assumed_price = px("0.5");
  Directional d{p};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  clock.set((kW0 + 60) * kSec);  // T - 240: no BookTop, no Timer: the clock's window
  d.on_message(kline((kW0 - 60) * 1000, 29570), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  const Intent& in = sink.intents[0];
  EXPECT_EQ(in.action, IntentAction::kPlace);
  EXPECT_EQ(in.outcome, Outcome::kUp);
  EXPECT_EQ(in.limit_price, px("0.5"));
  EXPECT_EQ(in.window_end_s, kW0 + 300);
  EXPECT_FALSE(in.hdr.instrument.valid());
  EXPECT_TRUE(std::isnan(in.inputs[Directional::kImbalance]));
}

TEST(DirectionalStrategy, SkipsKlineOnlyWithoutABookByDefault) {
  DirectionalParams p;
  p.imbalance_source = ImbalanceSource::kNone;
  Directional d{p};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  clock.set((kW0 + 60) * kSec);
  d.on_message(kline((kW0 - 60) * 1000, 29570), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
  clock.set((kW0 + 250) * kSec);
  d.on_message(kline((kW0 + 180) * 1000, 29570), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipInvalidBook);
}

TEST(DirectionalStrategy, NeverPaysMoreThanMaxPrice) {
  Directional d{DirectionalParams{}};
  ManualClock clock;
  RecordingSink sink;
  feed_oversold(d, clock, sink);
  sink.intents.clear();
  Side2 up = heavy_bids();
  up.ask = "0.75";
  at_entry(d, clock, sink, book_top(kW0, up, Side2{}));
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, Directional::kSkipPriceTooHigh);
}

// Property: thousands of random message sequences over many windows; never two intents for one window, and no
// Place intent for a side whose book was invalid.
TEST(DirectionalStrategy, NeverEmitsTwoIntentsInOneWindowOverRandomInputs) {
  std::mt19937_64 rng(12345);
  for (int run = 0; run < 20; ++run) {
    DirectionalParams p;
    p.rsi_low = 45;  // looser thresholds so Up/Down decisions actually happen
    p.rsi_high = 55;
    p.imbalance_source = static_cast<ImbalanceSource>(run % 3);
    p.missing_book = static_cast<MissingBookPolicy>(run % 2);
    Directional d{p};
    ManualClock clock(kW0 * kSec);
    RecordingSink sink;
    std::map<std::int64_t, int> per_window;
    double c = 30000;
    std::int64_t t = kW0 * kSec;
    for (int step = 0; step < 3000; ++step) {
      t += static_cast<std::int64_t>(rng() % (20 * kSec));
      clock.set(t);
      const std::int64_t start = (t / kSec) / 300 * 300;
      const int kind = static_cast<int>(rng() % 4);
      Envelope m;
      if (kind == 0) {
        c += static_cast<double>(static_cast<int>(rng() % 201) - 100);
        m = kline((t / kSec / 60 * 60 - 60) * 1000, c);
      } else if (kind == 1) {
        Side2 up, down;
        up.valid = rng() % 5 != 0;
        down.valid = rng() % 5 != 0;
        up.bid_depth = (rng() % 2) ? "500" : "100";
        m = book_top(start, up, down, 700, MarketId{static_cast<std::uint32_t>(start / 300)});
      } else if (kind == 2) {
        m = btc_tick(t, c, c + 0.01, static_cast<double>(rng() % 5 + 1), static_cast<double>(rng() % 5 + 1));
      } else {
        m = timer(start, TimerKind::kTMinus, MarketId{static_cast<std::uint32_t>(start / 300)});
      }
      const std::size_t before = sink.intents.size();
      d.on_message(m, clock, sink);
      for (std::size_t k = before; k < sink.intents.size(); ++k) {
        const Intent& in = sink.intents[k];
        ASSERT_EQ(++per_window[in.window_end_s], 1) << "two intents for window " << in.window_end_s;
        if (in.action == IntentAction::kPlace && m.is<BookTop>()) {
          const BookTop& b = m.as<BookTop>();
          const TokenTop& tok = in.outcome == Outcome::kUp ? b.up : b.down;
          ASSERT_EQ(tok.valid, 1) << "place on an invalid book";
        }
      }
    }
    EXPECT_GT(per_window.size(), 50u);
  }
}

}  // namespace
}  // namespace polybot::signal
