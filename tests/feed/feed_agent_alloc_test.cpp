// FeedAgent::do_work() allocates nothing once markets are registered: over 20 minutes of stepped clock with a
// 5m and a 15m schedule (window opens/closes, T-minus Timers), book changes and the silence rule, the counted
// operator new is never called from inside do_work().
#include <gtest/gtest.h>

#include <string>

#include "feed/feed_agent.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "tests/support/alloc_counter.hpp"

namespace polybot::feed {
namespace {

TEST(FeedAgentAlloc, DoWorkAllocatesNothingAcrossRollOverTimersAndBookChanges) {
  constexpr std::int64_t kStart = 1780876800;  // a multiple of 900
  constexpr std::int64_t kNs = 1'000'000'000;
  ManualClock clock{(kStart + 1) * kNs};
  Channel<Envelope> channel{1 << 12};
  Channel<Envelope>::Consumer rx = channel.consumer();
  InstrumentTable tokens{16};
  const InstrumentId up = tokens.add("1111"), down = tokens.add("2222");
  BookSet books{[] {
    BookSetConfig c;
    c.book.stale_after_ns = 20 * kNs;
    return c;
  }()};
  PolymarketParser parser{tokens};
  FeedAgent agent{nullptr, books, clock, channel.producer()};
  agent.track(TrackedMarket{MarketId{1}, up, down, kStart, kStart + 900, 700, *Qty::parse("5"), {}, false});
  WindowSchedule five({300, 60, 30, {60, 10, 0, 0}});
  WindowSchedule fifteen({900, 60, 30, {120, 30, 5, 0}});
  ASSERT_TRUE(agent.add_schedule(&five));
  ASSERT_TRUE(agent.add_schedule(&fifteen));
  agent.on_start();
  for (const char* t : {"1111", "2222"}) {
    const std::string book = std::string(R"({"event_type":"book","asset_id":")") + t +
                             R"(","market":"0xm","bids":[{"price":"0.48","size":"10"}],"asks":[{"price":"0.52","size":"20"}],"timestamp":"1"})";
    ASSERT_EQ(parser.parse(book, clock.now_ns(), books), ParseStatus::kOk);
  }
  const std::string change_a =
      R"({"event_type":"price_change","market":"0xm","timestamp":"2","price_changes":[{"asset_id":"1111","price":"0.49","size":"5","side":"BUY","best_bid":"0.49","best_ask":"0.52"}]})";
  const std::string change_b =
      R"({"event_type":"price_change","market":"0xm","timestamp":"3","price_changes":[{"asset_id":"1111","price":"0.49","size":"0","side":"BUY","best_bid":"0.48","best_ask":"0.52"}]})";
  Envelope e;
  agent.do_work();  // warm-up
  while (rx.try_pop(e)) {
  }
  std::size_t allocations = 0, timers = 0, tops = 0;
  for (int s = 0; s < 1200; ++s) {
    clock.advance(kNs);
    if (s % 7 == 0 && s < 600) (void)parser.parse(s % 14 == 0 ? change_a : change_b, clock.now_ns(), books);
    t_allocations = 0;
    t_counting = true;
    agent.do_work();
    t_counting = false;
    allocations += t_allocations;
    while (rx.try_pop(e)) {
      timers += e.is<Timer>() ? 1 : 0;
      tops += e.is<BookTop>() ? 1 : 0;
    }
  }
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(timers, 10u);  // the loop really crossed window boundaries
  EXPECT_GT(tops, 10u);    // and published book changes (and the stale top once changes stopped)
}

}  // namespace
}  // namespace polybot::feed
