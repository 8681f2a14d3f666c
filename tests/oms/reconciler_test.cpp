#include "oms/reconcile/reconciler.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "oms/reconcile/venue_state_parser.hpp"

namespace polybot::oms {
namespace {

OrderDigest digest(std::uint64_t seed) {
  OrderDigest d{};
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::uint8_t>((seed >> (8 * (i % 8))) + i);
  return d;
}

struct Findings final : ReconcileSink {
  std::vector<ReconcileFinding> what;
  std::vector<Qty> qty;
  void on_finding(ReconcileFinding w, Order*, const OrderDigest&, Qty q, Price) noexcept override {
    what.push_back(w);
    qty.push_back(q);
  }
};

Order* add(OrderTable& t, std::uint64_t id, OrderState target) {
  OrderRequest r{};
  r.client_id = ClientOrderId{id};
  r.market = MarketId{1};
  r.price = Price::from_raw(500'000);
  r.size = Qty::from_raw(10'000'000);
  Order* o = nullptr;
  EXPECT_EQ(t.insert(r, 0, &o), OrderTable::InsertStatus::kOk);
  EXPECT_TRUE(t.bind_digest(*o, digest(id)));
  t.apply(*o, ExecKind::kSubmitted, 1);
  if (target == OrderState::kAccepted) t.apply(*o, ExecKind::kAccepted, 2);
  if (target == OrderState::kUnknown) t.apply(*o, ExecKind::kUnknown, 2);
  return o;
}

TEST(Reconciler, ResolvesUnknownOrdersFromOpenOrdersAndTrades) {
  OrderTable t(16);
  Order* live = add(t, 1, OrderState::kUnknown);      // venue: open, 3 matched
  Order* filled = add(t, 2, OrderState::kUnknown);    // venue: gone, trades 10
  Order* dead = add(t, 3, OrderState::kUnknown);      // venue: nothing
  Order* cancelled = add(t, 4, OrderState::kAccepted);  // venue: gone, trades 4
  EXPECT_TRUE(t.market_blocked(MarketId{1}));
  Reconciler r(ReconcileConfig{});
  r.begin();
  r.add_open(digest(1), Qty::from_raw(10'000'000), Qty::from_raw(3'000'000));
  r.add_fill(OurFill{digest(2), Qty::from_raw(6'000'000), Price::from_raw(500'000), false, 0}, TradeStatus::kMatched);
  r.add_fill(OurFill{digest(2), Qty::from_raw(4'000'000), Price::from_raw(500'000), false, 0}, TradeStatus::kConfirmed);
  r.add_fill(OurFill{digest(4), Qty::from_raw(4'000'000), Price::from_raw(500'000), true, 0}, TradeStatus::kMined);
  r.add_fill(OurFill{digest(3), Qty::from_raw(9'000'000), Price::from_raw(500'000), true, 0}, TradeStatus::kFailed);
  Findings f;
  const ReconcileReport rep = r.finish(t, 10, f);
  EXPECT_TRUE(rep.clean());
  EXPECT_EQ(live->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(live->cum_qty, Qty::from_raw(3'000'000));
  EXPECT_EQ(filled->state, OrderState::kFilled);
  EXPECT_EQ(dead->state, OrderState::kRejected);
  EXPECT_EQ(cancelled->state, OrderState::kCancelled);
  EXPECT_EQ(cancelled->cum_qty, Qty::from_raw(4'000'000));
  EXPECT_FALSE(t.market_blocked(MarketId{1}));
  EXPECT_EQ(t.unknown_count(), 0u);
}

TEST(Reconciler, StraysFailClosedUnlessConfiguredToCancel) {
  OrderTable t(4);
  for (bool cancel : {false, true}) {
    Reconciler r(ReconcileConfig{.cancel_strays = cancel});
    r.begin();
    r.add_open(digest(99), Qty::from_raw(5'000'000), Qty{});
    Findings f;
    const ReconcileReport rep = r.finish(t, 1, f);
    ASSERT_EQ(f.what.size(), 1u);
    EXPECT_EQ(f.what[0], cancel ? ReconcileFinding::kStrayCancelled : ReconcileFinding::kStrayUnexplained);
    EXPECT_EQ(rep.clean(), cancel);
    EXPECT_EQ(rep.strays_to_cancel, cancel ? 1u : 0u);
  }
}

TEST(Reconciler, FillsWeCountedButTheVenueDoesNotKnowAreUnexplained) {
  OrderTable t(4);
  Order* o = add(t, 1, OrderState::kAccepted);
  t.apply_fill(*o, Qty::from_raw(5'000'000), o->price, 3);
  Reconciler r(ReconcileConfig{});
  r.begin();
  r.add_open(digest(1), Qty::from_raw(10'000'000), Qty::from_raw(2'000'000));
  Findings f;
  EXPECT_FALSE(r.finish(t, 4, f).clean());
  ASSERT_EQ(f.what.size(), 1u);
  EXPECT_EQ(f.what[0], ReconcileFinding::kOverCounted);
}

struct OpenCollect final : VenueOpenOrderSink {
  std::vector<VenueOpenOrder> v;
  void on_open_order(const VenueOpenOrder& o) noexcept override { v.push_back(o); }
};
struct TradeCollect final : UserEventSink {
  std::vector<std::string> ids;
  std::vector<OurFill> fills;
  void on_order(const UserOrderEvent&) noexcept override {}
  void on_trade(const UserTradeEvent& e) noexcept override {
    ids.emplace_back(e.trade_id);
    attribute_fills(e, "key-1", "", [&](const OurFill& f) { fills.push_back(f); });
  }
};

TEST(VenueStateParser, ParsesTheDocumentedOpenOrdersAndTradesShapes) {
  VenueStateParser p;
  OpenCollect oc;
  std::string_view cursor;
  const std::string orders = R"({"data":[{"id":"0x0f76f4dc6eaf3332f4100f2e8a0b4a927351dd64646b7bb12f37df775c657a78",
    "status":"LIVE","owner":"key-1","maker_address":"0xf39f","market":"0xdd22","asset_id":"7132","side":"BUY",
    "original_size":"200.0000","size_matched":"12.5000","price":"0.6000","outcome":"Yes","associate_trades":[],
    "created_at":1703875200,"expiration":null,"order_type":"GTC"}],"next_cursor":"LTE=","limit":100,"count":1})";
  ASSERT_EQ(p.parse_orders(orders, oc, &cursor), RestParseStatus::kOk);
  ASSERT_EQ(oc.v.size(), 1u);
  EXPECT_EQ(oc.v[0].size_matched, Qty::from_raw(12'500'000));
  EXPECT_EQ(oc.v[0].original_size, Qty::from_raw(200'000'000));
  EXPECT_EQ(oc.v[0].price, Price::from_raw(600'000));
  EXPECT_EQ(cursor, "LTE=");

  TradeCollect tc;
  const std::string trades = R"({"data":[{"id":"28c4d2eb-bbea-40e7-a9f0-b2fdb56b2c2e",
    "taker_order_id":"0x0f76f4dc6eaf3332f4100f2e8a0b4a927351dd64646b7bb12f37df775c657a78","market":"0x","asset_id":"7132",
    "side":"BUY","size":"10","fee_rate_bps":"","price":"0.57","status":"CONFIRMED","match_time":"1672290701",
    "owner":"key-1","trader_side":"TAKER","maker_orders":[{"order_id":"0x3b67d584e1e7ad29b06bda373449638898aa87f0c9fd52a34bdbfb1325a6c184",
    "owner":"other","maker_address":"0x1","matched_amount":"10","price":"0.57","fee_rate_bps":"0","asset_id":"7132",
    "outcome":"Yes","side":"SELL"}],"err_msg":""}],"next_cursor":"LTE="})";
  ASSERT_EQ(p.parse_trades(trades, tc, &cursor), RestParseStatus::kOk);
  ASSERT_EQ(tc.ids.size(), 1u);
  EXPECT_EQ(tc.ids[0], "28c4d2eb-bbea-40e7-a9f0-b2fdb56b2c2e");
  ASSERT_EQ(tc.fills.size(), 1u);
  EXPECT_EQ(tc.fills[0].qty, Qty::from_raw(10'000'000));
}

}  // namespace
}  // namespace polybot::oms
