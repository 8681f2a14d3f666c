// The oms against the loopback venue simulator: real TLS on loopback, real threads (venue server + ticker,
// signing helper), the test thread as the oms thread.
#include <gtest/gtest.h>

#include "tests/oms/venue_fixture.hpp"

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

constexpr std::int64_t kP50 = 500'000;
constexpr std::int64_t kQ10 = 10'000'000;

TEST(GatewayVenue, SubmitsASignedOrderThatTheVenueAcceptsAndJournalsItFirst) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(1) == OrderState::kAccepted; }, 5'000));
  // Submitted (with the venue key) is on record before Accepted.
  const auto& r = f.out().reports;
  std::size_t submitted = r.size(), accepted = r.size();
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i].client_id == ClientOrderId{1} && r[i].kind == ExecKind::kSubmitted && submitted == r.size()) submitted = i;
    if (r[i].client_id == ClientOrderId{1} && r[i].kind == ExecKind::kAccepted && accepted == r.size()) accepted = i;
  }
  ASSERT_LT(submitted, accepted);
  EXPECT_EQ(r[submitted].venue_key, f.find(1)->venue_key());
  EXPECT_TRUE(r[submitted].venue_key.valid());
  EXPECT_EQ(f.venue().open_order_count(), 1u);
  EXPECT_EQ(f.venue().stats().orders_accepted, 1u);
  EXPECT_EQ(f.venue().stats().bad_signatures, 0u);
}

TEST(GatewayVenue, PartialFillThenFillArriveOnTheUserChannel) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(2, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(2) == OrderState::kAccepted; }, 5'000));
  EXPECT_EQ(f.venue().take(kToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(4'000'000), f.clock().now_ns()),
            Qty::from_raw(4'000'000));
  ASSERT_TRUE(f.pump_until([&] { return f.state(2) == OrderState::kPartiallyFilled; }, 5'000));
  EXPECT_EQ(f.find(2)->cum_qty, Qty::from_raw(4'000'000));
  const ExecReport* pf = f.out().first_fill(ClientOrderId{2});
  ASSERT_NE(pf, nullptr);
  EXPECT_EQ(pf->last_qty, Qty::from_raw(4'000'000));
  EXPECT_EQ(pf->last_price, Price::from_raw(kP50));
  EXPECT_EQ(pf->trade_status, TradeStatus::kMatched);
  f.venue().take(kToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(6'000'000), f.clock().now_ns());
  ASSERT_TRUE(f.pump_until([&] { return f.state(2) == OrderState::kFilled; }, 5'000));
  EXPECT_EQ(f.find(2)->cum_qty, Qty::from_raw(kQ10));
  // MINED / CONFIRMED follow as status-only reports: quantities are counted once.
  f.pump_for(300);
  EXPECT_EQ(f.find(2)->cum_qty, Qty::from_raw(kQ10));
  EXPECT_EQ(f.venue().matched_of(f.order_id_hex(2)), Qty::from_raw(kQ10));
}

TEST(GatewayVenue, TakerOrderFillsAtTheMakersPriceAndRestsTheRemainder) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.venue().add_liquidity(kToken, Side::kSell, Price::from_raw(480'000), Qty::from_raw(5'000'000));
  f.send(VenueFixture::order(3, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(3) == OrderState::kPartiallyFilled; }, 5'000));
  const ExecReport* pf = f.out().first_fill(ClientOrderId{3});
  ASSERT_NE(pf, nullptr);
  EXPECT_EQ(pf->last_price, Price::from_raw(480'000));
  EXPECT_EQ(pf->last_qty, Qty::from_raw(5'000'000));
  EXPECT_EQ(f.venue().open_order_count(), 1u);
}

TEST(GatewayVenue, CancelRemovesTheOrderFromTheVenue) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(4, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(4) == OrderState::kAccepted; }, 5'000));
  f.send(VenueFixture::cancel(4));
  ASSERT_TRUE(f.pump_until([&] { return f.state(4) == OrderState::kCancelled; }, 5'000));
  EXPECT_EQ(f.venue().open_order_count(), 0u);
  EXPECT_EQ(f.out().count(ClientOrderId{4}, ExecKind::kCancelled), 1u);
}

TEST(GatewayVenue, BadSignatureIsRejectedAndStopsNewOrders) {
  FixtureOptions o;
  o.engine_neg_risk = true;  // signed for the neg-risk exchange: recovers to a different address
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(5, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(5) == OrderState::kRejected; }, 5'000));
  const ExecReport* rj = f.out().last(ClientOrderId{5}, ExecKind::kRejected);
  ASSERT_NE(rj, nullptr);
  EXPECT_EQ(rj->venue_reason, static_cast<std::uint16_t>(VenueError::kInvalidSignature));
  EXPECT_EQ(f.venue().stats().bad_signatures, 1u);
  EXPECT_TRUE(f.logic().fail_closed());
  EXPECT_EQ(f.logic().gate(kMarket, f.clock().now_ns()), OmsReason::kFailClosed);
}

TEST(GatewayVenue, BadHmacIsRejectedAsUnauthorized) {
  FixtureOptions o;
  o.engine_secret = kWrongSecret;
  o.heartbeats = false;
  o.reconcile_on_start = false;
  o.user_channel = false;
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(6, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(6) == OrderState::kRejected; }, 5'000));
  EXPECT_EQ(f.out().last(ClientOrderId{6}, ExecKind::kRejected)->venue_reason,
            static_cast<std::uint16_t>(VenueError::kUnauthorized));
  EXPECT_GE(f.venue().stats().auth_failures, 1u);
  EXPECT_EQ(f.venue().stats().orders_received, 0u);
  EXPECT_TRUE(f.logic().fail_closed());
}

TEST(GatewayVenue, TickViolationIsRejectedByTheVenue) {
  FixtureOptions o;
  o.venue_tick = Price::from_raw(100'000);  // the venue moved to 0.1; our tick cache says 0.01
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(7, Side::kBuy, 550'000, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(7) == OrderState::kRejected; }, 5'000));
  EXPECT_EQ(f.out().last(ClientOrderId{7}, ExecKind::kRejected)->venue_reason,
            static_cast<std::uint16_t>(VenueError::kInvalidTickSize));
  EXPECT_FALSE(f.logic().fail_closed());  // an order problem, not an engine problem
}

TEST(GatewayVenue, TimeoutPutsTheOrderInUnknownBlocksTheMarketAndReconciliationResolvesIt) {
  FixtureOptions o;
  o.order_timeout_ms = 400;
  o.user_channel = false;  // only reconciliation can tell what happened
  VenueFixture f(o);
  ASSERT_TRUE(f.ready());
  sim::venue::VenueFault fault;
  fault.path = "/order";
  fault.delay_response_ms = 1'500;  // the venue takes the order; its answer comes after our 400 ms timeout
  f.venue().inject(fault);
  f.send(VenueFixture::order(8, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(8) == OrderState::kUnknown; }, 5'000))
      << to_string(f.state(8)) << " unknown=" << f.logic().counters().unknown
      << " accepted=" << f.logic().counters().accepted << " venue_accepted=" << f.venue().stats().orders_accepted
      << " faults=" << f.venue().stats().faults_applied << " reconciliations=" << f.logic().counters().reconciliations;
  EXPECT_EQ(f.out().count(ClientOrderId{8}, ExecKind::kUnknown), 1u);
  // Blocked until reconciled: a new order on the same market is refused.
  EXPECT_EQ(f.logic().gate(kMarket, f.clock().now_ns()), OmsReason::kMarketUnknown);
  f.send(VenueFixture::order(9, Side::kBuy, kP50, kQ10));
  ASSERT_NE(f.out().last(ClientOrderId{9}, ExecKind::kRejected), nullptr);
  EXPECT_EQ(f.out().last(ClientOrderId{9}, ExecKind::kRejected)->venue_reason,
            static_cast<std::uint16_t>(OmsReason::kMarketUnknown));
  // The venue did take it: reconciliation finds it open and the market reopens.
  ASSERT_TRUE(f.pump_until([&] { return f.state(8) == OrderState::kAccepted; }, 5'000));
  ASSERT_TRUE(f.pump_until([&] { return f.logic().gate(kMarket, f.clock().now_ns()) == OmsReason::kNone; }, 5'000));
  // start-up + this one (it ends after its balance read, which may come a moment after the market reopened)
  EXPECT_TRUE(f.pump_until([&] { return f.logic().counters().reconciliations >= 2; }, 5'000));
  EXPECT_EQ(f.venue().open_order_count(), 1u);
}

TEST(GatewayVenue, ResendAfterALostAnswerIsTheSameOrderAndIsNotDoubleFilled) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  sim::venue::VenueFault fault;
  fault.path = "/order";
  fault.process_then_drop = true;  // the venue takes the order, then the connection dies before the answer
  f.venue().inject(fault);
  f.send(VenueFixture::order(10, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(10) == OrderState::kAccepted; }, 5'000));
  f.pump_for(200);
  // Unless the user channel confirmed it first, the identical bytes went out again and the venue saw the same
  // digest: one order, never two.
  EXPECT_LE(f.logic().counters().resends, 1u);
  EXPECT_EQ(f.venue().stats().duplicates, f.logic().counters().resends);
  EXPECT_EQ(f.venue().stats().orders_accepted, 1u);
  EXPECT_EQ(f.venue().open_order_count(), 1u);
  f.venue().take(kToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(kQ10), f.clock().now_ns());
  ASSERT_TRUE(f.pump_until([&] { return f.state(10) == OrderState::kFilled; }, 5'000));
  f.pump_for(300);
  EXPECT_EQ(f.find(10)->cum_qty, Qty::from_raw(kQ10));
  EXPECT_EQ(f.venue().matched_of(f.order_id_hex(10)), Qty::from_raw(kQ10));
}

TEST(GatewayVenue, HeartbeatLapseMakesTheVenueCancelOurOrdersAndStopsNewOnes) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.send(VenueFixture::order(11, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.state(11) == OrderState::kAccepted; }, 5'000));
  // The engine "dies": nothing is polled, no heartbeat goes out.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(f.venue().stats().heartbeat_lapses, 1u);
  EXPECT_EQ(f.venue().open_order_count(), 0u);
  // Fail closed: without a fresh heartbeat ack, new orders are refused.
  EXPECT_EQ(f.logic().gate(kMarket, f.clock().now_ns()), OmsReason::kHeartbeatDown);
  f.send(VenueFixture::order(12, Side::kBuy, kP50, kQ10));
  EXPECT_EQ(f.out().last(ClientOrderId{12}, ExecKind::kRejected)->venue_reason,
            static_cast<std::uint16_t>(OmsReason::kHeartbeatDown));
  // Back alive: the venue's cancellation arrives, the heartbeat chain restarts ("Invalid Heartbeat ID" -> "").
  ASSERT_TRUE(f.pump_until([&] { return f.state(11) == OrderState::kCancelled; }, 5'000));
  ASSERT_TRUE(f.pump_until([&] { return f.logic().gate(kMarket, f.clock().now_ns()) == OmsReason::kNone; }, 5'000));
  EXPECT_GE(f.gateway().counters().heartbeats_failed, 1u);
}

TEST(GatewayVenue, A429IsBackPressureAndTheSameBytesGoOutAfterRetryAfter) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  sim::venue::VenueFault fault;
  fault.path = "/order";
  fault.status = 429;
  fault.retry_after_s = 1;
  f.venue().inject(fault);
  f.send(VenueFixture::order(13, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(f.pump_until([&] { return f.gateway().limiter().back_pressure_count() == 1; }, 5'000));
  EXPECT_EQ(f.state(13), OrderState::kSubmitted);
  EXPECT_EQ(f.out().count(ClientOrderId{13}, ExecKind::kRejected), 0u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(13) == OrderState::kAccepted; }, 5'000));
  EXPECT_EQ(f.venue().stats().orders_accepted, 1u);
  EXPECT_EQ(f.venue().stats().faults_applied, 1u);
  EXPECT_EQ(f.logic().counters().resends, 1u);
}

TEST(GatewayVenue, PreSignedOrderGoesOutWithoutWaitingForTheSigner) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  const Price prices[] = {Price::from_raw(kP50), Price::from_raw(490'000)};
  f.logic().set_presign_targets(kTokenId, Side::kBuy, prices, 2, Qty::from_raw(kQ10), ::polybot::OrderType::kGtc,
                                false);
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 2; }, 5'000));
  f.send(VenueFixture::order(14, Side::kBuy, kP50, kQ10));
  // Submitted synchronously inside on_input: no signing round trip.
  EXPECT_EQ(f.state(14), OrderState::kSubmitted);
  EXPECT_EQ(f.logic().counters().presign_hits, 1u);
  // Its L2 HMAC was computed ahead on the signing thread; the venue verified it like any other.
  EXPECT_EQ(f.gateway().counters().l2_precomputed, 1u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(14) == OrderState::kAccepted; }, 5'000));
  EXPECT_EQ(f.venue().stats().auth_failures, 0u);
  // The cache refills the used price in the background.
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 2; }, 5'000));
}

TEST(GatewayVenue, PreSignedMarketBuyByAmountGoesOutWithoutWaitingForTheSigner) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  f.venue().add_liquidity(kToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(kQ10));
  const Price worst[] = {Price::from_raw(550'000)};
  f.logic().set_presign_market_targets(kTokenId, Side::kBuy, worst, 1, 3'000'000, ::polybot::OrderType::kFak);
  ASSERT_TRUE(f.pump_until([&] { return f.logic().presign().size() == 1; }, 5'000));
  OrderRequest r = VenueFixture::order(15, Side::kBuy, 550'000, 0, ::polybot::OrderType::kFak);
  r.market_order = 1;
  r.amount = Usdc::from_raw(3'000'000);
  f.send(r);
  EXPECT_EQ(f.state(15), OrderState::kSubmitted);  // synchronously: a cache hit
  EXPECT_EQ(f.logic().counters().presign_hits, 1u);
  ASSERT_TRUE(f.pump_until([&] { return f.state(15) == OrderState::kFilled; }, 5'000));
  EXPECT_EQ(f.find(15)->cum_qty, Qty::from_raw(5'454'500));
  EXPECT_EQ(f.venue().stats().bad_signatures, 0u);
}

TEST(GatewayVenue, BatchOfOrdersIsAnsweredLegByLeg) {
  VenueFixture f;
  ASSERT_TRUE(f.ready());
  // Two legs signed outside the oms (a strategy's two-legged entry); the second is off the venue's tick grid.
  SignedOrderStore store(2);
  SigningConfig sc;
  sc.owner = kApiKey;
  SigningService svc(f.order_signer(), f.markets(), store, sc, f.clock());
  const OrderRequest legs[] = {VenueFixture::order(20, Side::kBuy, kP50, kQ10),
                               VenueFixture::order(21, Side::kBuy, 455'000, kQ10)};
  std::string_view bodies[2];
  ClientOrderId ids[2];
  for (std::uint32_t i = 0; i < 2; ++i) {
    SignJob j;
    j.slot = i;
    j.key = SignKey{kTokenId, Side::kBuy, ::polybot::OrderType::kGtc, 0, legs[i].price, legs[i].size};
    const bool tick_ok = i == 0;
    if (!tick_ok) {
      // Sign at 0.455 against a 0.001 tick so the signer accepts it; the venue's tick is 0.01.
      MarketDirectory fine;
      fine.set(kTokenId, kMarket, kToken, kCondition, Price::from_raw(1'000), Qty::from_raw(5'000'000), false);
      SigningService s2(f.order_signer(), fine, store, sc, f.clock());
      ASSERT_EQ(s2.sign_now(j).outcome, SignOutcome::kOk);
    } else {
      ASSERT_EQ(svc.sign_now(j).outcome, SignOutcome::kOk);
    }
    Order* o = nullptr;
    ASSERT_EQ(f.logic().table().insert(legs[i], f.clock().now_ns(), &o), OrderTable::InsertStatus::kOk);
    ASSERT_TRUE(f.logic().table().bind_digest(*o, store.at(i).digest));
    f.logic().table().apply(*o, ExecKind::kSubmitted, f.clock().now_ns());
    bodies[i] = store.at(i).view();
    ids[i] = legs[i].client_id;
  }
  ASSERT_EQ(f.gateway().send_orders(ids, bodies, 2), SendStatus::kSent);
  ASSERT_TRUE(f.pump_until([&] { return f.state(20) == OrderState::kAccepted && f.state(21) == OrderState::kRejected; },
                           5'000));
  EXPECT_EQ(f.out().last(ClientOrderId{21}, ExecKind::kRejected)->venue_reason,
            static_cast<std::uint16_t>(VenueError::kInvalidTickSize));
  EXPECT_EQ(f.venue().open_order_count(), 1u);
}

TEST(GatewayVenue, L1CreatesOrDerivesTheApiKeyAndTimeSyncMeasuresSkew) {
  FixtureOptions o;
  o.heartbeats = false;
  o.user_channel = false;
  VenueFixture f(o);
  auto k = create_or_derive_api_key(f.loop(), f.tls(), f.base_url(), f.signer(), f.domains(), 0, f.clock(), 5'000);
  ASSERT_TRUE(k.has_value()) << k.error();
  EXPECT_EQ(k->api_key, kApiKey);
  EXPECT_EQ(k->passphrase, kPassphrase);
  ASSERT_EQ(f.gateway().sync_time(), SendStatus::kSent);
  f.pump_for(300);
  EXPECT_LE(std::abs(f.gateway().clock_skew_s()), 1);
}

}  // namespace
}  // namespace polybot::oms::test
