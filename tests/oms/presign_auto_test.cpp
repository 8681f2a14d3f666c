// Learned pre-sign targets (PresignAutoConfig): an order request teaches the oms its sign key at its price and
// +-N ticks; those keys are then kept pre-signed in the background, so the next order nearby goes out without a
// signing round trip. Against the loopback venue over real TLS (VenueFixture), the test thread as the oms thread;
// the last test runs the real agent thread (AgentHarness) and replays its journal, which must be identical.
#include <gtest/gtest.h>

#include <ctime>

#include "tests/oms/agent_harness.hpp"
#include "tests/oms/venue_fixture.hpp"

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

constexpr std::int64_t kP50 = 500'000;
constexpr std::int64_t kTick = 10'000;
constexpr std::int64_t kQ10 = 10'000'000;
constexpr int kWait = 5'000;

FixtureOptions auto_on(std::uint32_t max_targets = 16, std::int64_t idle_ms = 60'000) {
  FixtureOptions o;
  o.presign_auto.enabled = true;
  o.presign_auto.neighbour_ticks = 1;
  o.presign_auto.max_targets = max_targets;
  o.presign_auto.idle_ms = idle_ms;
  return o;
}

SignKey limit_key(std::int64_t price_raw, std::int64_t size_raw = kQ10) {
  return SignKey{kTokenId, Side::kBuy, ::polybot::OrderType::kGtc, 0, Price::from_raw(price_raw),
                 Qty::from_raw(size_raw)};
}

TEST(PresignAuto, AFirstOrderTeachesItsPriceAndNeighboursAndTheNextOrderThereIsAHit) {
  VenueFixture f(auto_on());
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(1, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(f.logic().counters().presign_misses, 1u);  // nothing known yet: signed on the helper thread
  EXPECT_EQ(f.logic().counters().presign_learned, 3u);
  EXPECT_EQ(f.logic().auto_targets(), 3u);
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 3; }, kWait));
  EXPECT_EQ(f.logic().presign().count(limit_key(kP50 - kTick)), 1u);
  EXPECT_EQ(f.logic().presign().count(limit_key(kP50)), 1u);
  EXPECT_EQ(f.logic().presign().count(limit_key(kP50 + kTick)), 1u);
  const std::uint64_t signed_async = f.logic().counters().signed_async;

  // One tick up, then the same price again: both go out inside on_input (Submitted synchronously), no SignPort trip.
  f.send(VenueFixture::order(2, Side::kBuy, kP50 + kTick, kQ10));
  EXPECT_EQ(f.state(2), OrderState::kSubmitted);
  f.send(VenueFixture::order(3, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(f.state(3), OrderState::kSubmitted);
  EXPECT_EQ(f.logic().counters().presign_hits, 2u);
  EXPECT_EQ(f.logic().counters().presign_misses, 1u);
  EXPECT_EQ(f.logic().counters().signed_async, signed_async);
  // 0.52 (a neighbour of 0.51) is new; 0.49/0.50/0.51 were known.
  EXPECT_EQ(f.logic().counters().presign_learned, 4u);
  EXPECT_EQ(f.gateway().counters().l2_precomputed, 2u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(2) == OrderState::kAccepted && f.state(3) == OrderState::kAccepted; },
                           kWait));
  EXPECT_EQ(f.venue().stats().bad_signatures, 0u);
  EXPECT_EQ(f.venue().stats().auth_failures, 0u);
  // The used keys are refilled in the background, and the new neighbour is signed too.
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 4; }, kWait));
  EXPECT_EQ(f.logic().presign().count(limit_key(kP50 + 2 * kTick)), 1u);
}

TEST(PresignAuto, AMarketBuyByAmountTeachesItsWorstPriceNeighbours) {
  VenueFixture f(auto_on());
  ASSERT_TRUE(f.ready());
  f.venue().add_liquidity(kToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(2 * kQ10));
  OrderRequest r = VenueFixture::order(1, Side::kBuy, 550'000, 0, ::polybot::OrderType::kFak);
  r.market_order = 1;
  r.amount = Usdc::from_raw(3'000'000);
  f.send(r);
  EXPECT_EQ(f.logic().counters().presign_misses, 1u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(1) == OrderState::kFilled && f.logic().presign().size() == 3; },
                           kWait));
  OrderRequest r2 = r;
  r2.client_id = ClientOrderId{2};
  r2.price = Price::from_raw(540'000);
  f.send(r2);
  EXPECT_EQ(f.state(2), OrderState::kSubmitted);  // synchronously: a cache hit
  EXPECT_EQ(f.logic().counters().presign_hits, 1u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(2) == OrderState::kFilled; }, kWait));
  EXPECT_EQ(f.venue().stats().bad_signatures, 0u);
}

TEST(PresignAuto, ATokenNotRequestedForIdleTimeStopsBeingRefilled) {
  FixtureOptions o = auto_on(16, 300);
  o.presign_max_age_ms = 400;
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 3; }, kWait));
  EXPECT_EQ(f.logic().live_auto_targets(f.clock().now_ns()), 3u);
  // Past idle: nothing is refilled, and the signed entries age out (max age) without replacement.
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 0; }, kWait));
  EXPECT_EQ(f.logic().live_auto_targets(f.clock().now_ns()), 0u);
  EXPECT_EQ(f.logic().auto_targets(), 3u);  // still held (least recently requested, first to be replaced)
  f.pump_for(300);
  EXPECT_EQ(f.logic().presign().size(), 0u);
  // Asked again: live again, signed again.
  f.send(VenueFixture::order(2, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(f.logic().counters().presign_learned, 3u);  // the same keys, refreshed
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 3; }, kWait));
}

TEST(PresignAuto, TheTargetSetIsBoundedAndTheLeastRecentlyRequestedIsReplaced) {
  VenueFixture f(auto_on(4));
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(1, Side::kBuy, 300'000, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 3; }, kWait));
  f.send(VenueFixture::order(2, Side::kBuy, 400'000, kQ10));  // 3 new keys: 0.30's neighbours make room
  EXPECT_EQ(f.logic().auto_targets(), 4u);
  EXPECT_EQ(f.logic().counters().presign_learned, 6u);
  EXPECT_EQ(f.logic().counters().presign_evicted, 2u);
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 4; }, kWait));
  // The replaced keys' signed orders were dropped with them (their slots back in the store).
  EXPECT_EQ(f.logic().presign().count(limit_key(400'000)), 1u);
  EXPECT_EQ(f.logic().presign().count(limit_key(390'000)), 1u);
  EXPECT_EQ(f.logic().presign().count(limit_key(410'000)), 1u);
  f.pump_for(200);
  EXPECT_EQ(f.logic().presign().size(), 4u);  // never more than the bound
  EXPECT_EQ(f.logic().auto_targets(), 4u);
  f.send(VenueFixture::order(3, Side::kBuy, 400'000, kQ10));
  EXPECT_EQ(f.logic().counters().presign_hits, 1u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(3) == OrderState::kAccepted; }, kWait));
}

TEST(PresignAuto, AMarketWhoseWindowHasEndedIsNotRefilled) {
  VenueFixture f(auto_on());
  ASSERT_TRUE(f.ready());
  MarketDef d{};
  d.hdr.type = MarketDef::kType;
  d.market = kMarket;
  d.up = kTokenId;
  d.down = InstrumentId{2};
  d.window_end_s = f.clock().now_ns() / 1'000'000'000 - 1;  // over
  f.logic().on_input(Envelope::of(d), f.clock(), f.out());
  f.send(VenueFixture::order(1, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(f.logic().auto_targets(), 3u);
  EXPECT_EQ(f.logic().live_auto_targets(f.clock().now_ns()), 0u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(1) == OrderState::kAccepted; }, kWait));
  f.pump_for(200);
  EXPECT_EQ(f.logic().presign().size(), 0u);
}

TEST(PresignAuto, OffLearnsNothingAndGtdOrOffGridRequestsTeachNothing) {
  VenueFixture off;
  ASSERT_TRUE(off.ready());
  off.send(VenueFixture::order(1, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(off.logic().auto_targets(), 0u);
  off.pump_for(100);
  EXPECT_EQ(off.logic().presign().size(), 0u);

  VenueFixture f(auto_on());
  ASSERT_TRUE(f.ready());
  OrderRequest gtd = VenueFixture::order(2, Side::kBuy, kP50, kQ10, ::polybot::OrderType::kGtd);
  gtd.expiration_s = static_cast<std::int64_t>(std::time(nullptr)) + 3'600;
  f.send(gtd);
  f.send(VenueFixture::order(3, Side::kBuy, 505'000, kQ10));  // off the 0.01 grid
  EXPECT_EQ(f.logic().auto_targets(), 0u);
}

TEST(PresignAuto, TheAgentThreadLearnsAndTheRunReplaysIdentically) {
  LoopbackVenue v;
  std::uint64_t learned_signatures = 0, on_demand = 0;
  {
    AgentHarness h(v);  // ClobOmsConfig: learned targets on by default
    ASSERT_TRUE(h.ok()) << h.error();
    ASSERT_TRUE(h.config().oms.presign_auto.enabled);
    ASSERT_TRUE(h.ready());
    h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
    ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the helper signs 0.49/0.50/0.51
    h.send(AgentHarness::order(2, Side::kBuy, kP50 - kTick, kQ10));
    h.send(AgentHarness::order(3, Side::kBuy, kP50, kQ10));
    ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kAccepted) && h.has(3, ExecKind::kAccepted); }, kWait));
    h.stop();
    for (const OmsRecord& r : h.journal()) {
      if (r.kind != OmsRecord::Kind::kInput || r.input != OmsInputKind::kSignDone) continue;
      SignDoneHead head{};
      ASSERT_EQ(r.head.size(), sizeof head);
      std::memcpy(&head, r.head.data(), sizeof head);
      learned_signatures += head.done.tag == 2 ? 1 : 0;
      on_demand += head.done.tag == 0 ? 1 : 0;
    }
    // Orders 2 and 3 went out pre-signed: only order 1 was signed on demand (tag 0).
    EXPECT_GE(learned_signatures, 3u);
    EXPECT_EQ(on_demand, 1u);
    const OmsReplayReport rep = h.replay();
    EXPECT_TRUE(rep.ok()) << (rep.divergence ? rep.divergence->what : rep.error);
    EXPECT_GE(rep.signed_bodies, learned_signatures);
  }  // the harness replays once more on destruction
  EXPECT_EQ(v.venue().stats().bad_signatures, 0u);
}

}  // namespace
}  // namespace polybot::oms::test
