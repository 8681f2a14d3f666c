// End to end: the real OmsAgent on a Runner thread, fed through Channels, against the loopback venue simulator
// that verifies every signature and HMAC. Assertions are on the ExecReports leaving the oms's output channel and on
// the venue's own state, never on the oms's internals while its thread runs.
#include <gtest/gtest.h>

#include "oms/oms_logic.hpp"
#include "tests/oms/agent_harness.hpp"

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

constexpr std::int64_t kP50 = 500'000;
constexpr std::int64_t kQ10 = 10'000'000;
constexpr int kWait = 5'000;

std::uint16_t code(OmsReason r) { return static_cast<std::uint16_t>(r); }
std::uint16_t code(VenueError e) { return static_cast<std::uint16_t>(e); }

Qty venue_matched(LoopbackVenue& v, const AgentHarness& h, std::uint64_t id) {
  const auto ids = v.venue().order_ids(h.order_id_hex(id));
  return ids.size() == 1 ? v.venue().matched_of(ids[0]) : Qty::from_raw(-1);
}

TEST(OmsAgentE2E, SubmitAcceptPartialFillFillAndCancelThroughTheAgentThread) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());

  // Submit -> Accepted; Submitted (with the venue key) comes first.
  h.send(AgentHarness::order(1, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kAccepted); }, kWait));
  ASSERT_TRUE(h.has(1, ExecKind::kSubmitted));
  EXPECT_TRUE(h.last(1, ExecKind::kSubmitted)->venue_key.valid());
  EXPECT_EQ(v.venue().open_order_count(), 1u);

  // Another participant sells into our resting bid: partial fill, then the rest.
  EXPECT_EQ(v.venue().take(kLbToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(4'000'000), h.clock().now_ns()),
            Qty::from_raw(4'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kPartiallyFilled); }, kWait));
  const ExecReport* pf = h.last(1, ExecKind::kPartiallyFilled);
  EXPECT_EQ(pf->cum_qty, Qty::from_raw(4'000'000));
  EXPECT_EQ(pf->leaves_qty, Qty::from_raw(6'000'000));
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(6'000'000), h.clock().now_ns());
  ASSERT_TRUE(h.wait_for([&] { return h.has(1, ExecKind::kFilled); }, kWait));
  EXPECT_EQ(h.last(1, ExecKind::kFilled)->cum_qty, Qty::from_raw(kQ10));
  EXPECT_EQ(venue_matched(v, h, 1), Qty::from_raw(kQ10));

  // A taker order against resting liquidity fills at the maker's price and rests the remainder.
  v.venue().add_liquidity(kLbToken, Side::kSell, Price::from_raw(480'000), Qty::from_raw(5'000'000));
  h.send(AgentHarness::order(2, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kPartiallyFilled); }, kWait));
  EXPECT_EQ(h.filled(2), Qty::from_raw(5'000'000));
  for (const auto& r : h.reports()) {
    if (r.client_id == ClientOrderId{2} && !r.last_qty.is_zero()) {
      EXPECT_EQ(r.last_price, Price::from_raw(480'000));
    }
  }

  // Cancel the rest.
  h.send(AgentHarness::cancel(2));
  ASSERT_TRUE(h.wait_for([&] { return h.has(2, ExecKind::kCancelled); }, kWait));
  EXPECT_EQ(v.venue().open_order_count(), 0u);

  // MINED / CONFIRMED follow as status-only reports: quantities counted once.
  h.wait_for([] { return false; }, 300);
  EXPECT_EQ(h.filled(1), Qty::from_raw(kQ10));
  EXPECT_EQ(h.filled(2), Qty::from_raw(5'000'000));
  EXPECT_EQ(v.venue().stats().orders_accepted, 2u);
  EXPECT_EQ(v.venue().stats().bad_signatures, 0u);
  EXPECT_EQ(v.venue().stats().auth_failures, 0u);
  h.stop();
  EXPECT_EQ(h.oms().agent().output_full(), 0u);
  EXPECT_EQ(h.oms().logic().counters().emit_failures, 0u);
}

TEST(OmsAgentE2E, VenueRejectionCarriesTheReasonCodeAndDoesNotStopTrading) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  // $2000 of bids against $1000 of collateral: "not enough balance / allowance".
  h.send(AgentHarness::order(3, Side::kBuy, kP50, 4'000'000'000));
  ASSERT_TRUE(h.wait_for([&] { return h.has(3, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(3, ExecKind::kRejected)->venue_reason, code(VenueError::kNotEnoughBalance));
  EXPECT_EQ(v.venue().order_count(), 0u);
  // An order problem, not an engine problem: the next order goes through.
  h.send(AgentHarness::order(4, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(4, ExecKind::kAccepted); }, kWait));
  EXPECT_EQ(v.venue().open_order_count(), 1u);
}

TEST(OmsAgentE2E, TimeoutIsUnknownBlocksTheMarketUntilReconciliationFindsTheOrder) {
  // The slow reconciliation query holds the query connection, heartbeats included: generous heartbeat limits.
  LoopbackVenueOptions vo;
  vo.heartbeat_timeout_ms = 5'000;  // (above the 700 ms the query is held)
  LoopbackVenue v(vo);
  AgentHarnessOptions o;
  o.order_timeout_ms = 300;
  o.heartbeat_grace_ms = 3'000;
  o.user_channel = false;  // only reconciliation can tell what happened
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready(false));
  sim::venue::VenueFault slow_order;
  slow_order.path = "/order";
  slow_order.delay_response_ms = 1'500;  // the venue takes it; the answer comes after our 300 ms timeout
  v.venue().inject(slow_order);
  sim::venue::VenueFault slow_query;
  slow_query.path = "/data/orders";
  slow_query.delay_response_ms = 700;   // reconciliation takes a while: the market stays blocked meanwhile
  v.venue().inject(slow_query);
  h.send(AgentHarness::order(8, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(8, ExecKind::kUnknown); }, kWait));
  EXPECT_EQ(v.venue().open_order_count(), 1u);  // it did reach the book
  // Blocked until reconciled: a new order on the same market is refused by the oms.
  h.send(AgentHarness::order(9, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(9, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(9, ExecKind::kRejected)->venue_reason, code(OmsReason::kMarketUnknown));
  // Reconciliation finds it open: Accepted, and the market reopens.
  ASSERT_TRUE(h.wait_for([&] { return h.has(8, ExecKind::kAccepted); }, kWait));
  ASSERT_TRUE(h.wait_for([&] { return h.count_kind(ExecKind::kReconciled) >= 2; }, kWait));
  h.send(AgentHarness::order(10, Side::kBuy, 490'000, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(10, ExecKind::kAccepted); }, kWait));
  EXPECT_EQ(v.venue().open_order_count(), 2u);
  EXPECT_EQ(v.venue().order_ids().size(), 2u);  // order 9 never left the engine
}

TEST(OmsAgentE2E, ResendAfterALostAnswerIsTheSameSignedOrderAndIsNotDoubleFilled) {
  LoopbackVenue v;
  AgentHarnessOptions o;
  o.user_channel = false;  // so the resend is what settles it, not a placement event racing it
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready(false));
  sim::venue::VenueFault drop;
  drop.path = "/order";
  drop.process_then_drop = true;  // the venue takes the order, then the connection dies before the answer
  v.venue().inject(drop);
  h.send(AgentHarness::order(10, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(10, ExecKind::kAccepted); }, kWait));
  // The identical bytes went out again and the venue saw the same digest: one order, never two.
  EXPECT_EQ(v.venue().stats().duplicates, 1u);
  EXPECT_EQ(v.venue().stats().orders_accepted, 1u);
  EXPECT_EQ(v.venue().order_count(), 1u);
  EXPECT_EQ(h.count(10, ExecKind::kSubmitted), 1u);
  EXPECT_EQ(h.count(10, ExecKind::kAccepted), 1u);
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(kQ10), h.clock().now_ns());
  h.stop();
  EXPECT_EQ(h.oms().logic().counters().resends, 1u);
  EXPECT_EQ(venue_matched(v, h, 10), Qty::from_raw(kQ10));
}

TEST(OmsAgentE2E, ResendWithTheUserChannelOnIsNeverDoubleFilled) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  sim::venue::VenueFault drop;
  drop.path = "/order";
  drop.process_then_drop = true;
  v.venue().inject(drop);
  h.send(AgentHarness::order(11, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(11, ExecKind::kAccepted); }, kWait));
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(kP50), Qty::from_raw(kQ10), h.clock().now_ns());
  ASSERT_TRUE(h.wait_for([&] { return h.has(11, ExecKind::kFilled); }, kWait));
  h.wait_for([] { return false; }, 300);
  EXPECT_EQ(h.filled(11), Qty::from_raw(kQ10));
  EXPECT_EQ(v.venue().stats().orders_accepted, 1u);
  EXPECT_EQ(v.venue().order_count(), 1u);
  EXPECT_EQ(venue_matched(v, h, 11), Qty::from_raw(kQ10));
}

TEST(OmsAgentE2E, HeartbeatLapseMakesTheVenueCancelOurOrdersAndTheOmsStopsNewOnes) {
  LoopbackVenueOptions vo;
  vo.heartbeat_timeout_ms = 400;
  LoopbackVenue v(vo);
  AgentHarnessOptions o;
  o.heartbeat_grace_ms = 300;
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  h.send(AgentHarness::order(12, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(12, ExecKind::kAccepted); }, kWait));
  // Heartbeats start failing (the venue answers 503 without taking them): after its timeout the venue cancels
  // every open order; without an acknowledged heartbeat the oms refuses new orders (fail closed).
  sim::venue::VenueFault hb;
  hb.path = "/v1/heartbeats";
  hb.status = 503;
  hb.count = 12;
  v.venue().inject(hb);
  ASSERT_TRUE(h.wait_for([&] { return h.has(12, ExecKind::kCancelled); }, kWait));
  EXPECT_GE(v.venue().stats().heartbeat_lapses, 1u);
  EXPECT_EQ(v.venue().open_order_count(), 0u);
  h.send(AgentHarness::order(13, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(13, ExecKind::kRejected); }, kWait));
  EXPECT_EQ(h.last(13, ExecKind::kRejected)->venue_reason, code(OmsReason::kHeartbeatDown));
  EXPECT_EQ(v.venue().order_ids().size(), 1u);  // order 13 never reached the venue
  // Heartbeats come back (the chain restarts): trading resumes.
  ASSERT_TRUE(h.wait_for([&] { return v.venue().heartbeat_active(); }, kWait));
  h.wait_for([] { return false; }, 200);
  h.send(AgentHarness::order(14, Side::kBuy, kP50, kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.has(14, ExecKind::kAccepted); }, kWait));
  h.stop();
  EXPECT_GE(h.oms().gateway().counters().heartbeats_failed, 1u);
}

TEST(OmsAgentE2E, MarketBuySizedInUsdcIsSignedOnTheLivePathAndFills) {
  LoopbackVenue v;
  AgentHarness h(v);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready());
  v.venue().add_liquidity(kLbToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(20'000'000));
  // $3 to spend, worst price 0.55 (FOK): the official client's market order (maker 3 pUSD, taker 3/0.55 shares).
  OrderRequest r = AgentHarness::order(30, Side::kBuy, 550'000, 0, ::polybot::OrderType::kFok);
  r.market_order = 1;
  r.amount = Usdc::from_raw(3'000'000);
  h.send(r);
  ASSERT_TRUE(h.wait_for([&] { return h.has(30, ExecKind::kFilled) || h.has(30, ExecKind::kRejected); }, kWait));
  ASSERT_TRUE(h.has(30, ExecKind::kFilled)) << "reason " << h.last(30, ExecKind::kRejected)->venue_reason;
  EXPECT_EQ(h.filled(30), Qty::from_raw(5'454'500));  // 3 / 0.55 = 5.4545 shares (4 decimals), at 0.50
  for (const auto& x : h.reports()) {
    if (x.client_id == ClientOrderId{30} && !x.last_qty.is_zero()) {
      EXPECT_EQ(x.last_price, Price::from_raw(500'000));
    }
  }
  // A limit order that came with a notional only ($5 at 0.40): 12.5 shares.
  OrderRequest n = AgentHarness::order(31, Side::kBuy, 400'000, 0);
  n.amount = Usdc::from_raw(5'000'000);
  h.send(n);
  ASSERT_TRUE(h.wait_for([&] { return h.has(31, ExecKind::kAccepted); }, kWait));
  EXPECT_EQ(h.last(31, ExecKind::kAccepted)->leaves_qty, Qty::from_raw(12'500'000));
  EXPECT_EQ(v.venue().stats().bad_signatures, 0u);
  EXPECT_EQ(v.venue().stats().orders_accepted, 2u);
}

TEST(OmsAgentE2E, ReconciliationWalksEveryPageOfOpenOrdersAndTrades) {
  LoopbackVenueOptions vo;
  vo.page_size = 2;
  LoopbackVenue v(vo);
  AgentHarnessOptions o;
  o.user_channel = false;
  AgentHarness h(v, o);
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_TRUE(h.ready(false));
  // Five resting orders (three pages of open orders), two of them partly filled (trades on the venue).
  for (std::uint64_t id = 20; id < 25; ++id) h.send(AgentHarness::order(id, Side::kBuy, 400'000 + 10'000 * static_cast<std::int64_t>(id - 20), kQ10));
  ASSERT_TRUE(h.wait_for([&] { return h.count_kind(ExecKind::kAccepted) == 5; }, kWait));
  // Three trades (two pages of trades): order 24 (0.44) filled, then order 23 (0.43) twice in part.
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(440'000), Qty::from_raw(kQ10), h.clock().now_ns());
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(430'000), Qty::from_raw(3'000'000), h.clock().now_ns());
  v.venue().take(kLbToken, Side::kSell, Price::from_raw(430'000), Qty::from_raw(2'000'000), h.clock().now_ns());
  const auto pages_before = v.venue().stats().pages_served;
  // No user channel: only reconciliation can learn of the fills. Ask for one.
  Command c{};
  c.hdr.type = Command::kType;
  c.kind = CommandKind::kReconcile;
  h.send_command(c);
  ASSERT_TRUE(h.wait_for([&] { return h.count_kind(ExecKind::kReconciled) >= 2; }, kWait));
  const ExecReport* last_rec = nullptr;
  for (const auto& r : h.reports())
    if (r.kind == ExecKind::kReconciled) last_rec = &r;
  ASSERT_NE(last_rec, nullptr);
  EXPECT_EQ(last_rec->venue_reason, 0u);  // clean: nothing unexplained
  // Four orders still open (two pages) and three trades (two pages), every page read.
  EXPECT_GE(v.venue().stats().pages_served - pages_before, 4u);
  EXPECT_EQ(h.filled(24), Qty::from_raw(kQ10));
  EXPECT_EQ(h.filled(23), Qty::from_raw(5'000'000));
  EXPECT_EQ(h.filled(20), Qty{});
}

}  // namespace
}  // namespace polybot::oms::test
