// FairValueModel and FairValueStrategy as behaviour: the TWAP settlement maths, the strike rules, and the trading
// rule (ask below fair value minus fees, delay risk and edge; fees read from the BookTop).
#include "signal/strategies/fair_value.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

double phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// One reference report and one Binance tick per second from `from_s` to `to_s` (exclusive), alternating +-3 USD
// around `level` so realised vol is known: |log return| = ln(30003/29997) every second.
template <class Sink>
void warm(Strategy* s, FairValueModel* m, std::int64_t from_s, std::int64_t to_s, ManualClock& clock, Sink& sink,
          double level = 30000.0) {
  for (std::int64_t t = from_s; t < to_s; ++t) {
    clock.set(t * kSec);
    const double p = level + ((t % 2) ? 3.0 : -3.0);
    const Envelope r = ref_price(t * 1000, level);
    const Envelope b = btc_tick(t * kSec, p, p);
    if (s) {
      s->on_message(r, clock, sink);
      s->on_message(b, clock, sink);
    }
    if (m) {
      m->on_message(r, kW0, kW0 + 300);
      m->on_message(b, kW0, kW0 + 300);
    }
  }
}

TEST(FairValueModel, IsOneHalfAtTheStrikeAndFollowsTheNormalBeforeTheTwapMinute) {
  FairValueModelParams p;
  p.settlement_twap_s = 60;
  p.strike_rule = StrikeRule::kTwap;
  FairValueModel m(p);
  ManualClock clock;
  RecordingSink sink;
  warm(nullptr, &m, kW0 - 200, kW0 + 100, clock, sink);
  ASSERT_TRUE(m.have_strike());
  EXPECT_DOUBLE_EQ(m.strike(), 30000.0);
  m.on_message(btc_tick((kW0 + 100) * kSec, 30000, 30000), kW0, kW0 + 300);
  EXPECT_NEAR(m.evaluate((kW0 + 100) * kSec).p_up, 0.5, 1e-12);
  const double sigma = std::log(30003.0 / 29997.0);
  m.on_message(btc_tick((kW0 + 100) * kSec, 30030, 30030), kW0, kW0 + 300);
  const FairValue fv = m.evaluate((kW0 + 100) * kSec);
  ASSERT_TRUE(fv.valid());
  EXPECT_NEAR(fv.sigma, sigma, 1e-9);
  const double sd = sigma * 30030 * std::sqrt(200.0 - 60.0 + 20.0);
  EXPECT_NEAR(fv.p_up, phi((30030 - 30000) / sd), 1e-9);
  EXPECT_NEAR(fv.tau_s, 200.0, 1e-9);
}

TEST(FairValueModel, LocksInTheElapsedPartOfTheSettlementTwap) {
  FairValueModel m{FairValueModelParams{}};
  ManualClock clock;
  RecordingSink sink;
  warm(nullptr, &m, kW0 - 200, kW0 + 240, clock, sink);
  // The last minute so far averaged 30100 (30 s of reports), while the live price is back at the strike.
  for (std::int64_t t = kW0 + 240; t < kW0 + 270; ++t) m.on_message(ref_price(t * 1000, 30100), kW0, kW0 + 300);
  m.on_message(btc_tick((kW0 + 270) * kSec, 30000, 30000), kW0, kW0 + 300);
  const FairValue fv = m.evaluate((kW0 + 270) * kSec);
  ASSERT_TRUE(fv.valid());
  // A = mean of reports in (T-60, now]: 30 at 30100 (t in [240, 270)) after the first report at t=240's slot.
  EXPECT_GT(fv.mean, 30000.0 + 40.0);
  EXPECT_GT(fv.p_up, 0.99);  // half the TWAP is fixed 100 USD above the strike
  FairValueModelParams point = FairValueModelParams{};
  point.settlement_twap_s = 0;
  point.strike_rule = StrikeRule::kLastAtOrBefore;
  FairValueModel pm(point);
  warm(nullptr, &pm, kW0 - 200, kW0 + 240, clock, sink);
  for (std::int64_t t = kW0 + 240; t < kW0 + 270; ++t) pm.on_message(ref_price(t * 1000, 30100), kW0, kW0 + 300);
  pm.on_message(btc_tick((kW0 + 270) * kSec, 30000, 30000), kW0, kW0 + 300);
  EXPECT_NEAR(pm.evaluate((kW0 + 270) * kSec).p_up, 0.5, 1e-9);  // a point settlement forgets the path
}

TEST(FairValueModel, TakesTheStrikeFromTheConfiguredRule) {
  for (StrikeRule rule : {StrikeRule::kLastAtOrBefore, StrikeRule::kFirstAtOrAfter, StrikeRule::kTwap}) {
    FairValueModelParams p;
    p.strike_rule = rule;
    FairValueModel m(p);
    // Reports every 2 s rising by 1 USD: start falls between two reports.
    for (std::int64_t t = kW0 - 120; t <= kW0 + 10; t += 2)
      m.on_message(ref_price(t * 1000 + 500, 30000.0 + static_cast<double>(t - kW0)), kW0, kW0 + 300);
    ASSERT_TRUE(m.have_strike());
    const double want = rule == StrikeRule::kLastAtOrBefore ? 29998.0    // the report at T0 - 1.5 s
                        : rule == StrikeRule::kFirstAtOrAfter ? 30000.0  // the report at T0 + 0.5 s
                                                              : 29969.0; // mean of the 30 reports in (T0-60, T0]
    EXPECT_DOUBLE_EQ(m.strike(), want) << static_cast<int>(rule);
  }
}

FairValueParams fv_params() {
  FairValueParams p;
  p.cooldown_ms = 0;
  return p;
}

TEST(FairValueStrategy, BuysUpWhenTheAskIsBelowFairValueMinusFeesDelayAndEdge) {
  FairValueStrategy s{fv_params()};
  ManualClock clock;
  RecordingSink sink;
  warm(&s, nullptr, kW0 - 200, kW0 + 100, clock, sink);
  s.on_message(btc_tick((kW0 + 100) * kSec, 30090, 30090), clock, sink);
  EXPECT_TRUE(sink.intents.empty()) << "no book yet";
  Side2 up;
  up.ask = "0.60";
  Side2 down;
  down.ask = "0.45";
  s.on_message(book_top(kW0, up, down), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  const Intent& in = sink.intents[0];
  EXPECT_EQ(in.reason, FairValueStrategy::kBuyUp);
  EXPECT_EQ(in.action, IntentAction::kPlace);
  EXPECT_EQ(in.side, Side::kBuy);
  EXPECT_EQ(in.order_type, OrderType::kFak);
  EXPECT_EQ(in.limit_price, px("0.60"));
  EXPECT_EQ(in.size, Qty::from_units(10));
  const double fair = in.inputs[FairValueStrategy::kFairUp];
  EXPECT_GT(fair, 0.7);
  EXPECT_NEAR(in.inputs[FairValueStrategy::kFee], 0.07 * 0.6 * 0.4, 1e-12);  // 700 bps from the BookTop
  EXPECT_GT(in.inputs[FairValueStrategy::kEdge], 0.02);
  EXPECT_LT(in.inputs[FairValueStrategy::kEdge], fair - 0.60 - 0.07 * 0.24);  // delay risk was charged
}

TEST(FairValueStrategy, ReadsTheFeeRateFromTheBookTopAndStandsAsideWhenFeesEatTheEdge) {
  FairValueStrategy s{fv_params()};
  ManualClock clock;
  RecordingSink sink;
  warm(&s, nullptr, kW0 - 200, kW0 + 100, clock, sink);
  s.on_message(btc_tick((kW0 + 100) * kSec, 30030, 30030), clock, sink);
  Side2 up;
  up.ask = "0.60";
  s.on_message(book_top(kW0, up, Side2{}, /*fee_bps=*/6000), clock, sink);  // 60% rate: fee 0.144 per share
  EXPECT_TRUE(sink.intents.empty());
}

TEST(FairValueStrategy, BuysDownWhenUpIsOverpricedRelativeToTheModel) {
  FairValueStrategy s{fv_params()};
  ManualClock clock;
  RecordingSink sink;
  warm(&s, nullptr, kW0 - 200, kW0 + 100, clock, sink);
  s.on_message(btc_tick((kW0 + 100) * kSec, 29970, 29970), clock, sink);  // below the strike
  Side2 up;
  up.bid = "0.55";
  up.ask = "0.57";
  Side2 down;
  down.bid = "0.40";
  down.ask = "0.42";
  s.on_message(book_top(kW0, up, down), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, FairValueStrategy::kBuyDown);
  EXPECT_EQ(sink.intents[0].hdr.instrument, kDownToken);
}

TEST(FairValueStrategy, SellsAHeldSideWhenItsBidIsAboveFairValuePlusCosts) {
  FairValueStrategy s{fv_params()};
  ManualClock clock;
  RecordingSink sink;
  warm(&s, nullptr, kW0 - 200, kW0 + 100, clock, sink);
  s.on_message(book_top(kW0, Side2{}, Side2{}), clock, sink);  // fair ~0.5, asks 0.51: nothing
  ASSERT_TRUE(sink.intents.empty());
  s.on_message(fill(FairValueParams{}.id, Outcome::kUp, Side::kBuy, "0.40", "20"), clock, sink);
  Side2 up;
  up.bid = "0.70";
  up.ask = "0.72";
  Side2 down;
  down.bid = "0.27";
  down.ask = "0.80";
  s.on_message(book_top(kW0, up, down), clock, sink);
  ASSERT_EQ(sink.intents.size(), 1u);
  EXPECT_EQ(sink.intents[0].reason, FairValueStrategy::kSellUp);
  EXPECT_EQ(sink.intents[0].side, Side::kSell);
  EXPECT_EQ(sink.intents[0].limit_price, px("0.70"));
  EXPECT_EQ(sink.intents[0].size, Qty::from_units(10));
}

TEST(FairValueStrategy, PlacesNothingInsideTheLastSecondsOrWithoutAStrike) {
  FairValueStrategy s{fv_params()};
  ManualClock clock;
  RecordingSink sink;
  Side2 up;
  up.ask = "0.10";
  // No reference reports at all: no strike, no fair value.
  for (std::int64_t t = kW0 + 1; t < kW0 + 100; ++t) {
    clock.set(t * kSec);
    s.on_message(btc_tick(t * kSec, 30000 + (t % 2), 30000 + (t % 2)), clock, sink);
    s.on_message(book_top(kW0, up, Side2{}), clock, sink);
  }
  EXPECT_TRUE(sink.intents.empty());
  FairValueStrategy s2{fv_params()};
  warm(&s2, nullptr, kW0 - 200, kW0 + 295, clock, sink);
  s2.on_message(btc_tick((kW0 + 295) * kSec, 30100, 30100), clock, sink);
  s2.on_message(book_top(kW0, up, Side2{}), clock, sink);
  EXPECT_TRUE(sink.intents.empty()) << "T-5 s is inside stop_before_end_s";
}

}  // namespace
}  // namespace polybot::signal
