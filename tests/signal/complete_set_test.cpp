// CompleteSet: buy both legs when asks + fees < 1 - margin, sell both when bids - fees > 1 + margin with
// inventory, sized by the depth at those prices.
#include "signal/strategies/complete_set.hpp"

#include <gtest/gtest.h>

#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

Side2 side(const char* bid, const char* bid_size, const char* ask, const char* ask_size) {
  Side2 s;
  s.bid = bid;
  s.bid_size = bid_size;
  s.ask = ask;
  s.ask_size = ask_size;
  return s;
}

TEST(CompleteSetStrategy, BuysBothLegsWhenAsksPlusTakerFeesAreBelowOneMinusMargin) {
  CompleteSet s{CompleteSetParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, side("0.40", "50", "0.45", "30"), side("0.40", "50", "0.45", "80")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  for (const Intent& in : sink.intents) {
    EXPECT_EQ(in.reason, CompleteSet::kBuySet);
    EXPECT_EQ(in.side, Side::kBuy);
    EXPECT_EQ(in.order_type, OrderType::kFak);
    EXPECT_EQ(in.limit_price, px("0.45"));
    EXPECT_EQ(in.size, Qty::from_units(30));  // the smaller size at the two best asks
    EXPECT_NEAR(in.inputs[CompleteSet::kProfitPerPair], 1.0 - 0.90 - 2 * 0.07 * 0.2475, 1e-12);
  }
  EXPECT_EQ(sink.intents[0].hdr.instrument, kUpToken);
  EXPECT_EQ(sink.intents[1].hdr.instrument, kDownToken);
}

TEST(CompleteSetStrategy, StandsAsideWhenFeesEatTheDiscount) {
  CompleteSet s{CompleteSetParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  // 0.48 + 0.49 = 0.97 < 1, but the taker fees (~0.035) make it 1.005.
  s.on_message(book_top(kW0, side("0.40", "50", "0.48", "30"), side("0.40", "50", "0.49", "80")), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
}

TEST(CompleteSetStrategy, SellsBothLegsOnlyWithInventory) {
  CompleteSet s{CompleteSetParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  const Envelope rich = book_top(kW0, side("0.56", "40", "0.60", "30"), side("0.50", "25", "0.55", "80"));
  s.on_message(rich, clock, sink);  // 1.06 - 0.0343 = 1.026 > 1.005, but nothing held
  EXPECT_TRUE(sink.intents.empty());
  s.on_message(fill(CompleteSetParams{}.id, Outcome::kUp, Side::kBuy, "0.45", "20"), clock, sink);
  s.on_message(fill(CompleteSetParams{}.id, Outcome::kDown, Side::kBuy, "0.45", "60"), clock, sink);
  s.on_message(rich, clock, sink);
  ASSERT_EQ(sink.intents.size(), 2u);
  EXPECT_EQ(sink.intents[0].reason, CompleteSet::kSellSet);
  EXPECT_EQ(sink.intents[0].side, Side::kSell);
  EXPECT_EQ(sink.intents[0].limit_price, px("0.56"));
  EXPECT_EQ(sink.intents[1].limit_price, px("0.50"));
  EXPECT_EQ(sink.intents[0].size, Qty::from_units(20));  // min(bid sizes 40/25, held 20/60)
}

TEST(CompleteSetStrategy, PlacesNothingWhenEitherBookIsInvalid) {
  CompleteSet s{CompleteSetParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  Side2 bad = side("0.40", "50", "0.30", "30");
  bad.valid = false;
  s.on_message(book_top(kW0, bad, side("0.40", "50", "0.30", "30")), clock, sink);
  s.on_message(book_top(kW0, side("0.40", "50", "0.30", "30"), bad), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
}

TEST(CompleteSetStrategy, SkipsSetsSmallerThanTheMinimumOrder) {
  CompleteSet s{CompleteSetParams{}};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, side("0.40", "50", "0.45", "4.99"), side("0.40", "50", "0.45", "80")), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
}

}  // namespace
}  // namespace polybot::signal
