// PairCost: the accumulator and equalizer rules as behaviour, and the delta-limit property.
#include "signal/strategies/pair_cost.hpp"

#include <gtest/gtest.h>

#include <random>

#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

PairCostParams params() {
  PairCostParams p;
  p.cooldown_ms = 0;
  return p;
}

Side2 ask_at(const char* ask, const char* depth = "300", const char* size = "100") {
  Side2 s;
  s.bid = "0.01";
  s.ask = ask;
  s.ask_size = size;
  s.ask_depth = depth;
  return s;
}

// A book nobody trades on (pair cost far above 1), so fills that follow belong to a known market.
void prime(PairCost& s, ManualClock& clock, RecordingSink& sink) {
  s.on_message(book_top(kW0, ask_at("0.70"), ask_at("0.70")), clock, sink);
}

TEST(PairCostStrategy, AccumulatesTheCheaperSideWhenThePairCostWithFeesIsBelowTarget) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, ask_at("0.45"), ask_at("0.48")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  const Intent& in = sink.intents[0];
  EXPECT_EQ(in.reason, PairCost::kAccumulateUp);
  EXPECT_EQ(in.outcome, Outcome::kUp);
  EXPECT_EQ(in.order_type, OrderType::kFak);
  EXPECT_EQ(in.limit_price, px("0.45"));
  EXPECT_EQ(in.size, Qty::from_units(10));
  // 0.45 + 0.07*0.45*0.55 + (0.48 + 0.07*0.48*0.52) with no Down held yet.
  EXPECT_NEAR(in.inputs[PairCost::kPairCost], 0.45 + 0.07 * 0.2475 + 0.48 + 0.07 * 0.2496, 1e-12);
}

TEST(PairCostStrategy, DoesNotAccumulateWhenFeesPushThePairCostAboveTarget) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, ask_at("0.45"), ask_at("0.50")), clock, sink);  // 0.95 + 0.035 fees = 0.985
  EXPECT_TRUE(sink.intents.empty());
  s.on_message(book_top(kW0, ask_at("0.45"), ask_at("0.50"), /*fee_bps=*/0), clock, sink);  // no fees: 0.95
  EXPECT_EQ(sink.intents.size(), 1u);
}

TEST(PairCostStrategy, UsesTheAverageCostOfTheOtherSideOnceItHoldsIt) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  prime(s, clock, sink);
  s.on_message(fill(PairCostParams{}.id, Outcome::kDown, Side::kBuy, "0.40", "10"), clock, sink);
  s.on_message(fill(PairCostParams{}.id, Outcome::kUp, Side::kBuy, "0.50", "10"), clock, sink);
  // Balanced. Up ask 0.52: 0.52 + fee 0.0175 + Down avg 0.40 = 0.9375 < 0.98 -> accumulate Up even though the
  // current Down ask (0.60) would make the instantaneous pair cost above 1.
  s.on_message(book_top(kW0, ask_at("0.52"), ask_at("0.60")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, PairCost::kAccumulateUp);
  EXPECT_NEAR(sink.intents[0].inputs[PairCost::kOtherAvg], 0.40, 1e-12);
}

TEST(PairCostStrategy, EqualizerBuysTheLaggingSideWhilePairCostStaysBelowOne) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  prime(s, clock, sink);
  s.on_message(fill(PairCostParams{}.id, Outcome::kUp, Side::kBuy, "0.45", "30"), clock, sink);
  s.on_message(book_top(kW0, ask_at("0.60"), ask_at("0.50")), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, PairCost::kEqualizeDown);
  EXPECT_EQ(sink.intents[0].size, Qty::from_units(10));  // order_size caps; lag is 30
  sink.intents.clear();
  s.on_message(book_top(kW0, ask_at("0.60"), ask_at("0.56")), clock, sink);  // 0.56 + 0.017 + 0.45 > 1
  EXPECT_TRUE(sink.intents.empty());
}

TEST(PairCostStrategy, TakesNoNewRiskInsideTheLastTwoMinutesButStillEqualizes) {
  PairCost s{params()};
  ManualClock clock((kW0 + 300 - 100) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, ask_at("0.40"), ask_at("0.45")), clock, sink);
  EXPECT_TRUE(sink.intents.empty());
  s.on_message(fill(PairCostParams{}.id, Outcome::kUp, Side::kBuy, "0.40", "10"), clock, sink);
  EXPECT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, PairCost::kEqualizeDown);
}

TEST(PairCostStrategy, RequiresTheOtherSideDepthToBeThreeTimesTheOrder) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, ask_at("0.45", "300"), ask_at("0.48", "29")), clock, sink);  // 29 < 3 x 10
  // Up is refused for liquidity; Down is tried next and its other side (Up, depth 300) is deep enough.
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, PairCost::kAccumulateDown);
}

TEST(PairCostStrategy, WaitsForTheOrderInFlightBeforeTheNextOne) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  s.on_message(book_top(kW0, ask_at("0.45"), ask_at("0.48")), clock, sink);
  s.on_message(book_top(kW0, ask_at("0.45"), ask_at("0.48")), clock, sink);
  EXPECT_EQ(sink.intents.size(), 1u);
  s.on_message(fill(PairCostParams{}.id, Outcome::kUp, Side::kBuy, "0.45", "10"), clock, sink);
  EXPECT_EQ(sink.intents.size(), 2u);  // the fill releases it: equalize Down
}

TEST(PairCostStrategy, PlacesNothingOnAnInvalidBook) {
  PairCost s{params()};
  ManualClock clock((kW0 + 10) * kSec);
  RecordingSink sink;
  Side2 up = ask_at("0.30");
  up.valid = false;
  s.on_message(book_top(kW0, up, ask_at("0.30")), clock, sink);
  Envelope flagged = book_top(kW0, ask_at("0.30"), ask_at("0.30"));
  flagged.hdr.flags = msg_flag::kInvalid;
  s.on_message(flagged, clock, sink);
  EXPECT_TRUE(sink.intents.empty());
}

// Property: random books, every intent filled in full (sometimes partly, sometimes never); |Up - Down| never
// exceeds max_delta.
TEST(PairCostStrategy, NeverExceedsItsDeltaLimit) {
  std::mt19937_64 rng(777);
  const char* asks[] = {"0.20", "0.30", "0.38", "0.42", "0.45", "0.48", "0.50", "0.55", "0.60", "0.70"};
  const char* depths[] = {"5", "20", "40", "300"};
  for (int run = 0; run < 10; ++run) {
    PairCostParams p = params();
    p.max_delta = Qty::from_units(15 + run * 3);
    p.order_size = Qty::from_units(7 + run);
    PairCost s{p};
    ManualClock clock((kW0 + 1) * kSec);
    RecordingSink sink;
    std::int64_t up = 0, down = 0;
    for (int step = 0; step < 4000; ++step) {
      clock.advance(static_cast<std::int64_t>(rng() % (kSec / 20)));
      if (clock.now_ns() >= (kW0 + 290) * kSec) clock.set((kW0 + 1) * kSec);
      const std::size_t before = sink.intents.size();
      s.on_message(book_top(kW0, ask_at(asks[rng() % 10], depths[rng() % 4]), ask_at(asks[rng() % 10], depths[rng() % 4])),
                   clock, sink);
      for (std::size_t k = before; k < sink.intents.size(); ++k) {
        const Intent& in = sink.intents[k];
        const int mode = static_cast<int>(rng() % 10);
        if (mode == 0) continue;  // never answered (times out)
        Qty q = in.size;
        if (mode == 1) q = Qty::from_raw(q.raw / 2);
        (in.outcome == Outcome::kUp ? up : down) += q.raw;
        s.on_message(fill_raw(p.id, in.outcome, Side::kBuy, in.limit_price, q), clock, sink);
        ASSERT_LE(std::llabs(up - down), p.max_delta.raw) << "run " << run << " step " << step;
      }
      ASSERT_EQ(s.position().delta_raw(), up - down);
    }
    EXPECT_GT(sink.intents.size(), 20u);
  }
}

}  // namespace
}  // namespace polybot::signal
