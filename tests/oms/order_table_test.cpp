#include "oms/lifecycle/order_table.hpp"

#include <gtest/gtest.h>

#include "oms/lifecycle/fill_ledger.hpp"

namespace polybot::oms {
namespace {

OrderRequest req(std::uint64_t id, std::uint32_t market = 7, std::int64_t size_raw = 10'000'000) {
  OrderRequest r{};
  r.hdr.type = MsgType::kOrderRequest;
  r.hdr.instrument = InstrumentId{3};
  r.client_id = ClientOrderId{id};
  r.market = MarketId{market};
  r.price = Price::from_raw(550'000);
  r.size = Qty::from_raw(size_raw);
  return r;
}

OrderDigest digest(std::uint64_t seed) {
  OrderDigest d{};
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::uint8_t>((seed >> (8 * (i % 8))) + i);
  return d;
}

TEST(OrderState, FollowsTheVenueLifecycleAndRefusesImpossibleEvents) {
  OrderState n{};
  EXPECT_EQ(next_state(OrderState::kSigning, ExecKind::kSubmitted, &n), Transition::kApplied);
  EXPECT_EQ(n, OrderState::kSubmitted);
  EXPECT_EQ(next_state(OrderState::kSubmitted, ExecKind::kAccepted, &n), Transition::kApplied);
  EXPECT_EQ(n, OrderState::kAccepted);
  EXPECT_EQ(next_state(OrderState::kAccepted, ExecKind::kCancelled, &n), Transition::kApplied);
  EXPECT_EQ(n, OrderState::kCancelled);
  EXPECT_EQ(next_state(OrderState::kSubmitted, ExecKind::kUnknown, &n), Transition::kApplied);
  EXPECT_EQ(n, OrderState::kUnknown);
  EXPECT_EQ(next_state(OrderState::kUnknown, ExecKind::kAccepted, &n), Transition::kApplied);
  EXPECT_EQ(next_state(OrderState::kAccepted, ExecKind::kRejected, &n), Transition::kIllegal);
  EXPECT_EQ(next_state(OrderState::kFilled, ExecKind::kAccepted, &n), Transition::kIgnored);
  EXPECT_EQ(next_state(OrderState::kCancelled, ExecKind::kCancelled, &n), Transition::kIgnored);
  EXPECT_EQ(next_state(OrderState::kSigning, ExecKind::kAccepted, &n), Transition::kIllegal);
  EXPECT_EQ(next_state(OrderState::kFree, ExecKind::kSubmitted, &n), Transition::kIllegal);
}

TEST(OrderTable, FindsOrdersByClientIdAndByDigest) {
  OrderTable t(8);
  Order* a = nullptr;
  ASSERT_EQ(t.insert(req(1), 0, &a), OrderTable::InsertStatus::kOk);
  Order* b = nullptr;
  ASSERT_EQ(t.insert(req(2), 0, &b), OrderTable::InsertStatus::kOk);
  Order* dup = nullptr;
  EXPECT_EQ(t.insert(req(1), 0, &dup), OrderTable::InsertStatus::kDuplicate);
  EXPECT_EQ(t.insert(req(0), 0, &dup), OrderTable::InsertStatus::kInvalidId);
  ASSERT_TRUE(t.bind_digest(*a, digest(1)));
  ASSERT_TRUE(t.bind_digest(*b, digest(2)));
  EXPECT_FALSE(t.bind_digest(*b, digest(1)));  // already bound to a different digest
  EXPECT_EQ(t.find(ClientOrderId{1}), a);
  EXPECT_EQ(t.find(digest(2)), b);
  EXPECT_EQ(t.find(digest(9)), nullptr);
  EXPECT_EQ(a->venue_key(), venue_key_of(digest(1)));
  EXPECT_EQ(a->state, OrderState::kSigning);
}

TEST(OrderTable, IsFixedCapacityAndReusesRetiredSlots) {
  OrderTable t(4);
  std::vector<Order*> orders;
  for (std::uint64_t i = 1; i <= 4; ++i) {
    Order* o = nullptr;
    ASSERT_EQ(t.insert(req(i), 0, &o), OrderTable::InsertStatus::kOk);
    ASSERT_TRUE(t.bind_digest(*o, digest(i)));
    orders.push_back(o);
  }
  Order* extra = nullptr;
  EXPECT_EQ(t.insert(req(5), 0, &extra), OrderTable::InsertStatus::kFull);
  EXPECT_FALSE(t.retire(*orders[0]));  // not terminal
  t.apply(*orders[0], ExecKind::kSubmitted, 1);
  t.apply(*orders[0], ExecKind::kRejected, 2);
  EXPECT_TRUE(t.retire(*orders[0]));
  EXPECT_EQ(t.find(ClientOrderId{1}), nullptr);
  EXPECT_EQ(t.find(digest(1)), nullptr);
  // Everything else is still reachable after the backward-shift deletion.
  for (std::uint64_t i = 2; i <= 4; ++i) {
    EXPECT_NE(t.find(ClientOrderId{i}), nullptr) << i;
    EXPECT_NE(t.find(digest(i)), nullptr) << i;
  }
  EXPECT_EQ(t.insert(req(5), 0, &extra), OrderTable::InsertStatus::kOk);
}

TEST(OrderTable, StaysConsistentUnderChurn) {
  OrderTable t(64);
  std::uint64_t next = 1;
  std::vector<std::uint64_t> live;
  for (int round = 0; round < 2000; ++round) {
    Order* o = nullptr;
    if (live.size() < 60) {
      ASSERT_EQ(t.insert(req(next), round, &o), OrderTable::InsertStatus::kOk);
      ASSERT_TRUE(t.bind_digest(*o, digest(next)));
      live.push_back(next++);
    }
    if (round % 3 == 0 && !live.empty()) {
      const std::size_t k = static_cast<std::size_t>(round * 7919) % live.size();
      Order* victim = t.find(ClientOrderId{live[k]});
      ASSERT_NE(victim, nullptr);
      t.apply(*victim, ExecKind::kSubmitted, round);
      t.apply(*victim, ExecKind::kRejected, round);
      ASSERT_TRUE(t.retire(*victim));
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
    }
    for (std::uint64_t id : live) ASSERT_NE(t.find(ClientOrderId{id}), nullptr) << id << " round " << round;
    if (live.size() >= 60) {
      for (std::uint64_t id : live) {
        Order* v = t.find(ClientOrderId{id});
        t.apply(*v, ExecKind::kSubmitted, round);
        t.apply(*v, ExecKind::kRejected, round);
        t.retire(*v);
      }
      live.clear();
    }
  }
  EXPECT_EQ(t.size(), live.size());
}

TEST(OrderTable, FillsAccumulateToFilledAndLeavesShrink) {
  OrderTable t(8);
  Order* o = nullptr;
  ASSERT_EQ(t.insert(req(1), 0, &o), OrderTable::InsertStatus::kOk);
  t.apply(*o, ExecKind::kSubmitted, 1);
  t.apply(*o, ExecKind::kAccepted, 2);
  EXPECT_EQ(t.apply_fill(*o, Qty::from_raw(4'000'000), Price::from_raw(550'000), 3), Transition::kApplied);
  EXPECT_EQ(o->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(o->leaves(), Qty::from_raw(6'000'000));
  EXPECT_EQ(o->cum_cost, Usdc::from_raw(2'200'000));
  t.apply_fill(*o, Qty::from_raw(6'000'000), Price::from_raw(550'000), 4);
  EXPECT_EQ(o->state, OrderState::kFilled);
  EXPECT_TRUE(o->leaves().is_zero());
  // A FAILED trade reverses its fill.
  t.apply_fill(*o, Qty::from_raw(-6'000'000), Price::from_raw(550'000), 5);
  EXPECT_EQ(o->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(o->cum_qty, Qty::from_raw(4'000'000));
}

TEST(OrderTable, UnknownBlocksOnlyItsMarketUntilResolved) {
  OrderTable t(8);
  Order* a = nullptr;
  Order* b = nullptr;
  ASSERT_EQ(t.insert(req(1, 7), 0, &a), OrderTable::InsertStatus::kOk);
  ASSERT_EQ(t.insert(req(2, 7), 0, &b), OrderTable::InsertStatus::kOk);
  t.apply(*a, ExecKind::kSubmitted, 1);
  t.apply(*b, ExecKind::kSubmitted, 1);
  EXPECT_FALSE(t.market_blocked(MarketId{7}));
  t.apply(*a, ExecKind::kUnknown, 2);
  t.apply(*b, ExecKind::kUnknown, 2);
  EXPECT_TRUE(t.market_blocked(MarketId{7}));
  EXPECT_FALSE(t.market_blocked(MarketId{8}));
  EXPECT_EQ(t.unknown_count(), 2u);
  t.apply(*a, ExecKind::kAccepted, 3);
  EXPECT_TRUE(t.market_blocked(MarketId{7}));
  t.apply_fill(*b, Qty::from_raw(1'000'000), Price::from_raw(550'000), 4);  // a fill proves it is live
  EXPECT_EQ(b->state, OrderState::kPartiallyFilled);
  EXPECT_FALSE(t.market_blocked(MarketId{7}));
  EXPECT_EQ(t.unknown_count(), 0u);
}

TEST(OrderTable, LateFillOnACancelledOrderIsCountedButTheOrderStaysClosed) {
  OrderTable t(8);
  Order* o = nullptr;
  ASSERT_EQ(t.insert(req(1), 0, &o), OrderTable::InsertStatus::kOk);
  t.apply(*o, ExecKind::kSubmitted, 1);
  t.apply(*o, ExecKind::kCancelled, 2);
  t.apply_fill(*o, Qty::from_raw(1'000'000), Price::from_raw(550'000), 3);
  EXPECT_EQ(o->state, OrderState::kCancelled);
  EXPECT_EQ(o->cum_qty, Qty::from_raw(1'000'000));
}

TEST(FillLedger, CountsATradeOnceAcrossItsStatusUpdatesAndReversesOnFailure) {
  FillLedger l;
  const auto k = FillLedger::key("83b5c849-620e-4c23-b63b-2e779c04a6e7", VenueOrderKey{42});
  EXPECT_NE(k, FillLedger::key("83b5c849-620e-4c23-b63b-2e779c04a6e7", VenueOrderKey{43}));
  EXPECT_EQ(l.record(k, TradeStatus::kMatched), FillAction::kCount);
  EXPECT_EQ(l.record(k, TradeStatus::kMatched), FillAction::kDuplicate);
  EXPECT_EQ(l.record(k, TradeStatus::kMined), FillAction::kAdvance);
  EXPECT_EQ(l.record(k, TradeStatus::kRetrying), FillAction::kAdvance);
  EXPECT_EQ(l.record(k, TradeStatus::kFailed), FillAction::kReverse);
  EXPECT_EQ(l.record(k, TradeStatus::kConfirmed), FillAction::kDuplicate);
  EXPECT_EQ(l.record(k + 1, TradeStatus::kFailed), FillAction::kIgnore);
}

}  // namespace
}  // namespace polybot::oms
