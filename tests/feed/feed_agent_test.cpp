#include "feed/feed_agent.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feed/parse/polymarket_parser.hpp"

namespace polybot::feed {
namespace {

std::string book_frame(const char* token, std::int64_t ts) {
  return std::string(R"({"event_type":"book","asset_id":")") + token +
         R"(","market":"0xm","bids":[{"price":"0.48","size":"10"},{"price":"0.47","size":"5"}],"asks":[{"price":"0.52","size":"20"}],"timestamp":")" +
         std::to_string(ts) + R"("})";
}

struct World {
  static constexpr std::int64_t kStart = 1773307200;
  ManualClock clock{(kStart + 10) * 1'000'000'000LL};
  Channel<Envelope> channel{1024};
  Channel<Envelope>::Consumer rx = channel.consumer();
  InstrumentTable tokens{16};
  InstrumentId up = tokens.add("1111");
  InstrumentId down = tokens.add("2222");
  BookSet books{[] {
    BookSetConfig c;
    c.book.stale_after_ns = 5'000'000'000;
    return c;
  }()};
  PolymarketParser parser{tokens};
  FeedAgent agent{nullptr, books, clock, channel.producer()};
  World() {
    agent.track(TrackedMarket{MarketId{7}, up, down, kStart, kStart + 300, 1000, *Qty::parse("5"), {}, false});
    agent.on_start();
  }
  std::vector<Envelope> drain() {
    std::vector<Envelope> out;
    Envelope e;
    while (rx.try_pop(e)) out.push_back(e);
    return out;
  }
};

TEST(FeedAgent, PublishesBookTopOnlyWhenABookChanged) {
  World w;
  w.agent.do_work();
  EXPECT_TRUE(w.drain().empty());
  ASSERT_EQ(w.parser.parse(book_frame("1111", 100), (World::kStart + 10) * 1'000'000'000LL, w.books), ParseStatus::kOk);
  w.agent.do_work();
  auto out = w.drain();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].is<BookTop>());
  const BookTop& t = out[0].as<BookTop>();
  EXPECT_EQ(t.market.value, 7u);
  EXPECT_EQ(t.up.valid, 1);
  EXPECT_EQ(t.down.valid, 0);  // no snapshot yet for Down
  EXPECT_NE(t.hdr.flags & msg_flag::kInvalid, 0);
  EXPECT_EQ(t.up.bid, *Price::parse("0.48"));
  EXPECT_EQ(t.up.bid_depth, *Qty::parse("15"));
  EXPECT_EQ(t.window_end_s, World::kStart + 300);
  w.agent.do_work();
  EXPECT_TRUE(w.drain().empty());
}

TEST(FeedAgent, SilenceWhileTheWindowIsOpenPublishesAnInvalidTop) {
  World w;
  ASSERT_EQ(w.parser.parse(book_frame("1111", 100), (World::kStart + 10) * 1'000'000'000LL, w.books), ParseStatus::kOk);
  ASSERT_EQ(w.parser.parse(book_frame("2222", 100), (World::kStart + 10) * 1'000'000'000LL, w.books), ParseStatus::kOk);
  w.agent.do_work();
  auto first = w.drain();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].as<BookTop>().hdr.flags & msg_flag::kInvalid, 0);
  w.clock.advance(6'000'000'000LL);
  w.agent.do_work();
  auto out = w.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as<BookTop>().up.valid, 0);
  EXPECT_EQ(w.books.book(w.up)->reason(), book::InvalidReason::kStale);
}

TEST(FeedAgent, EmitsTimersAndRollOverActionsFromTheSchedule) {
  World w;
  WindowSchedule schedule({300, 60, 30, {60, 10, 0, 0}});
  std::vector<ScheduledEvent> rolls;
  w.agent.set_schedule(&schedule, [&](const ScheduledEvent& e) { rolls.push_back(e); });
  w.clock.advance(300LL * 1'000'000'000LL);  // to start + 310
  w.agent.do_work();
  std::vector<TimerKind> kinds;
  for (const auto& e : w.drain()) {
    if (e.is<Timer>()) kinds.push_back(e.as<Timer>().kind);
  }
  // T-60, T-10, close of window 0, open of window 1.
  ASSERT_EQ(kinds.size(), 4u);
  EXPECT_EQ(kinds[0], TimerKind::kTMinus);
  EXPECT_EQ(kinds[2], TimerKind::kWindowClose);
  EXPECT_EQ(kinds[3], TimerKind::kWindowOpen);
  ASSERT_EQ(rolls.size(), 2u);  // unsubscribe the previous window (start-270), subscribe the next (start+240)
  EXPECT_EQ(rolls[0].action, RollAction::kUnsubscribe);
  EXPECT_EQ(rolls[1].action, RollAction::kSubscribe);
  EXPECT_EQ(rolls[1].window_start_s, World::kStart + 300);
}

TEST(FeedAgent, MergesTheTimersOfSeveralSeriesInTimeOrderAndNamesEachWindowsMarket) {
  World w;
  // kStart + 600 is a multiple of 900: a 5m window (market 9) and a 15m window (market 8) both open then.
  const std::int64_t t = World::kStart + 600;
  static_assert((World::kStart + 600) % 900 == 0);
  const InstrumentId a = w.tokens.add("3333"), b = w.tokens.add("4444"), c = w.tokens.add("5555"),
                     d = w.tokens.add("6666");
  w.agent.track(TrackedMarket{MarketId{9}, a, b, t, t + 300, 700, *Qty::parse("5"), {}, false});
  w.agent.track(TrackedMarket{MarketId{8}, c, d, t, t + 900, 700, *Qty::parse("5"), {}, false});
  WindowSchedule five({300, 60, 30, {60, 0, 0, 0}});
  WindowSchedule fifteen({900, 60, 30, {0, 0, 0, 0}});
  ASSERT_TRUE(w.agent.add_schedule(&five));
  ASSERT_TRUE(w.agent.add_schedule(&fifteen));
  w.clock.set((t + 1) * 1'000'000'000LL);
  w.agent.do_work();
  std::vector<Timer> timers;
  for (const auto& e : w.drain()) {
    if (e.is<Timer>()) timers.push_back(e.as<Timer>());
  }
  // 5m: T-60 +240, close/open +300, T-60 +540; at +600 both closes (5m, then 15m), then both opens.
  ASSERT_EQ(timers.size(), 8u);
  for (std::size_t i = 1; i < timers.size(); ++i) EXPECT_LE(timers[i - 1].hdr.ts_exch, timers[i].hdr.ts_exch);
  EXPECT_EQ(timers[4].kind, TimerKind::kWindowClose);
  EXPECT_EQ(timers[5].kind, TimerKind::kWindowClose);
  EXPECT_EQ(timers[5].interval_s, 900u);
  EXPECT_EQ(timers[6].kind, TimerKind::kWindowOpen);
  EXPECT_EQ(timers[6].interval_s, 300u);
  EXPECT_EQ(timers[6].market, MarketId{9});
  EXPECT_EQ(timers[7].kind, TimerKind::kWindowOpen);
  EXPECT_EQ(timers[7].interval_s, 900u);
  EXPECT_EQ(timers[7].market, MarketId{8});  // same open second as market 9: the interval tells them apart
  w.agent.remove_schedule(&fifteen);
  w.clock.set((t + 900) * 1'000'000'000LL);
  w.agent.do_work();
  std::size_t later = 0;
  for (const auto& e : w.drain()) {
    if (!e.is<Timer>()) continue;
    EXPECT_EQ(e.as<Timer>().interval_s, 300u);
    ++later;
  }
  EXPECT_GT(later, 0u);
}

TEST(FeedAgent, AnnouncesATrackedMarketOnceBeforeItsFirstBookTop) {
  ManualClock clock{(World::kStart + 10) * 1'000'000'000LL};
  Channel<Envelope> channel{2};  // room for the definition only: the BookTop must wait behind it
  auto rx = channel.consumer();
  InstrumentTable tokens{16};
  const std::string up_text = "106853212325739234269605042620856745942429109258639927166403506431703417105118";
  const std::string cond = "0x6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e27094c";
  const InstrumentId up = tokens.add(up_text), down = tokens.add("2222");
  BookSet books;
  PolymarketParser parser{tokens};
  FeedAgent agent{nullptr, books, clock, channel.producer()};
  TrackedMarket m{MarketId{3}, up, down, World::kStart, World::kStart + 300, 700, *Qty::parse("5"),
                  *Price::parse("0.01"), true};
  m.interval_s = 300;
  ASSERT_TRUE(word256_from_decimal(up_text, m.up_token));
  ASSERT_TRUE(word256_from_decimal("2222", m.down_token));
  ASSERT_TRUE(word256_from_hex(cond, m.condition_id));
  agent.track(m);
  agent.on_start();
  Envelope filler = Envelope::of(Kline{});
  ASSERT_TRUE(channel.producer().try_push(filler));  // the channel now has one free slot
  ASSERT_EQ(parser.parse(book_frame(up_text.c_str(), 100), clock.now_ns(), books), ParseStatus::kOk);
  agent.do_work();  // the definition fits; the BookTop does not and is not sent ahead of anything
  Envelope e;
  ASSERT_TRUE(rx.try_pop(e));
  ASSERT_TRUE(rx.try_pop(e));
  ASSERT_TRUE(e.is<MarketDef>());
  const MarketDef& d = e.as<MarketDef>();
  EXPECT_EQ(d.market.value, 3u);
  EXPECT_EQ(d.up, up);
  EXPECT_EQ(d.down, down);
  EXPECT_EQ(d.fee_rate_bps, 700u);
  EXPECT_EQ(d.neg_risk, 1);
  EXPECT_EQ(d.interval_s, 300u);
  EXPECT_EQ(d.tick, *Price::parse("0.01"));
  EXPECT_EQ(word256_decimal(d.up_token), up_text);
  EXPECT_EQ(word256_hex(d.condition_id), cond);
  EXPECT_EQ(d.hdr.seq, 1u);
  agent.do_work();
  ASSERT_TRUE(rx.try_pop(e));
  EXPECT_TRUE(e.is<BookTop>());
  EXPECT_EQ(e.hdr.seq, 2u);  // gap-free across the refused push
  agent.do_work();
  EXPECT_FALSE(rx.try_pop(e));  // announced once
}

TEST(FeedAgent, PublishesTheEventsTheBookSetPassesDownstream) {
  World w;
  w.books.set_downstream(&w.agent);
  Kline k;
  k.hdr.type = MsgType::kKline;
  k.hdr.ts_recv = 42;
  k.close = *UsdPrice::parse("87000.5");
  w.books.on_kline(k);
  BtcTick t;
  t.hdr.type = MsgType::kBtcTick;
  w.books.on_btc_tick(t);
  RefPrice r;
  r.hdr.type = MsgType::kRefPrice;
  w.books.on_ref_price(r);
  const auto out = w.drain();
  ASSERT_EQ(out.size(), 3u);
  ASSERT_TRUE(out[0].is<Kline>());
  EXPECT_EQ(out[0].as<Kline>().close, *UsdPrice::parse("87000.5"));
  EXPECT_EQ(out[0].hdr.producer, Stage::kFeed);
  EXPECT_EQ(out[0].hdr.ts_origin, 42);
  EXPECT_TRUE(out[1].is<BtcTick>());
  EXPECT_TRUE(out[2].is<RefPrice>());
  EXPECT_EQ(w.agent.published(MsgType::kKline), 1u);
  EXPECT_EQ(w.books.counters().btc_ticks, 1u);  // the BookSet still keeps its own view
}

}  // namespace
}  // namespace polybot::feed
