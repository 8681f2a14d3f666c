// MarketMaking: two-sided post-only quotes around fair value with inventory skew; re-quotes, pulls.
#include "signal/strategies/market_making.hpp"

#include <gtest/gtest.h>

#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

MarketMakingParams mid_params() {
  MarketMakingParams p;
  p.fair_source = FairSource::kMid;
  return p;
}

Side2 quote(const char* bid, const char* ask) {
  Side2 s;
  s.bid = bid;
  s.ask = ask;
  return s;
}

TEST(MarketMakingStrategy, QuotesBothSidesPostOnlyAroundFairValue) {
  MarketMaking s{mid_params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  EXPECT_EQ(sink.intents[0].reason, MarketMaking::kQuoteUp);
  EXPECT_EQ(sink.intents[0].limit_price, px("0.48"));  // 0.50 - 0.02
  EXPECT_EQ(sink.intents[1].reason, MarketMaking::kQuoteDown);
  EXPECT_EQ(sink.intents[1].limit_price, px("0.48"));  // (1 - 0.50) - 0.02
  for (const Intent& in : sink.intents) {
    EXPECT_EQ(in.post_only, 1);
    EXPECT_EQ(in.order_type, OrderType::kGtc);
    EXPECT_EQ(in.side, Side::kBuy);
    EXPECT_EQ(in.size, Qty::from_units(10));
  }
}

TEST(MarketMakingStrategy, FloorsQuotesToTheTickAndNeverCrossesTheAsk) {
  MarketMakingParams p = mid_params();
  p.half_spread = 0.005;
  MarketMaking s{p};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.50", "0.51"), quote("0.49", "0.50")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  EXPECT_EQ(sink.intents[0].limit_price, px("0.50"));  // 0.505 - 0.005 = 0.500
  EXPECT_EQ(sink.intents[1].limit_price, px("0.49"));  // 0.495 - 0.005 = 0.49
  MarketMaking tight{mid_params()};
  sink.intents.clear();
  p.half_spread = 0.0;
  MarketMaking zero{p};
  zero.on_message(book_top(kW0, quote("0.50", "0.51"), quote("0.44", "0.45")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  EXPECT_EQ(sink.intents[1].limit_price, px("0.44"));  // floor(0.495) = 0.49 would cross 0.45: one tick under
}

TEST(MarketMakingStrategy, SkewsQuotesAgainstInventory) {
  MarketMaking s{mid_params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  sink.intents.clear();
  s.on_message(fill(MarketMakingParams{}.id, Outcome::kUp, Side::kBuy, "0.48", "40"), clock, sink);
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 3u);
  EXPECT_EQ(sink.intents[0].action, IntentAction::kCancelAll);
  EXPECT_EQ(sink.intents[0].reason, MarketMaking::kRequote);
  EXPECT_EQ(sink.intents[1].limit_price, px("0.46"));  // 0.48 - 40 x 0.0005
  EXPECT_EQ(sink.intents[2].limit_price, px("0.50"));  // 0.48 + 0.02
  EXPECT_DOUBLE_EQ(sink.intents[1].inputs[MarketMaking::kInventory], 40.0);
}

TEST(MarketMakingStrategy, RequotesOnlyWhenFairValueMovesBeyondTheThreshold) {
  MarketMaking s{mid_params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  s.on_message(book_top(kW0, quote("0.50", "0.51"), quote("0.49", "0.51")), clock, sink);  // mid 0.505
  EXPECT_EQ(sink.intents.size(), 2u);
  s.on_message(book_top(kW0, quote("0.51", "0.53"), quote("0.47", "0.49")), clock, sink);  // mid 0.52
  ASSERT_EQ(sink.intents.size(), 5u);
  EXPECT_EQ(sink.intents[2].action, IntentAction::kCancelAll);
  EXPECT_EQ(sink.intents[3].limit_price, px("0.50"));
}

TEST(MarketMakingStrategy, PullsQuotesAtTMinusAndOnAnInvalidBook) {
  MarketMaking s{mid_params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  Side2 bad = quote("0.49", "0.51");
  bad.valid = false;
  s.on_message(book_top(kW0, bad, quote("0.49", "0.51")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 3u);
  EXPECT_EQ(sink.intents[2].action, IntentAction::kCancelAll);
  EXPECT_EQ(sink.intents[2].reason, MarketMaking::kPullInvalidBook);
  EXPECT_FALSE(s.quoting());
  s.on_message(book_top(kW0, bad, quote("0.49", "0.51")), clock, sink);
  EXPECT_EQ(sink.intents.size(), 3u) << "one pull, not one per message";
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  EXPECT_EQ(sink.intents.size(), 5u);
  clock.set((kW0 + 300 - 30) * kSec);
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 6u) << sink.intents.back().reason;
  EXPECT_EQ(sink.intents[5].reason, MarketMaking::kPullTMinus);
  s.on_message(book_top(kW0, quote("0.40", "0.60"), quote("0.49", "0.51")), clock, sink);
  EXPECT_EQ(sink.intents.size(), 6u) << "no quotes after the T-minus pull";
}

TEST(MarketMakingStrategy, StopsBiddingTheSideThatWouldGrowInventoryPastItsLimit) {
  MarketMakingParams p = mid_params();
  p.max_inventory = Qty::from_units(30);
  MarketMaking s{p};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  sink.intents.clear();
  s.on_message(fill(p.id, Outcome::kUp, Side::kBuy, "0.48", "30"), clock, sink);
  s.on_message(book_top(kW0, quote("0.49", "0.51"), quote("0.49", "0.51")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  EXPECT_EQ(sink.intents[0].action, IntentAction::kCancelAll);
  EXPECT_EQ(sink.intents[1].reason, MarketMaking::kQuoteDown);
}

}  // namespace
}  // namespace polybot::signal
