#include "oms/user_channel/user_channel_parser.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace polybot::oms {
namespace {

std::string fixture(const char* name) {
  std::ifstream in(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket/user/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Collect final : UserEventSink {
  std::vector<UserOrderEvent> orders;
  std::vector<UserTradeEvent> trades;
  std::vector<std::string> trade_ids;
  void on_order(const UserOrderEvent& e) noexcept override { orders.push_back(e); }
  void on_trade(const UserTradeEvent& e) noexcept override {
    trades.push_back(e);
    trade_ids.emplace_back(e.trade_id);
  }
};

OrderDigest hex(const char* s) {
  OrderDigest d{};
  EXPECT_TRUE(parse_digest_hex(s, &d));
  return d;
}

constexpr const char* kOurKey = "3e2c94ca-8124-c4c1-c7ea-be1ea21b71fe";

TEST(UserChannelParser, DecodesTheRealOrderPlacement) {
  UserChannelParser p;
  Collect c;
  ASSERT_EQ(p.parse_copy(fixture("order_placement.json"), c), UserParseStatus::kOk);
  ASSERT_EQ(c.orders.size(), 1u);
  const auto& o = c.orders[0];
  EXPECT_EQ(o.type, UserOrderType::kPlacement);
  EXPECT_EQ(o.status, UserOrderStatus::kLive);
  EXPECT_EQ(o.id, hex("0x0f76f4dc6eaf3332f4100f2e8a0b4a927351dd64646b7bb12f37df775c657a78"));
  EXPECT_EQ(o.side, Side::kBuy);
  EXPECT_EQ(o.price, Price::from_raw(513'000));
  EXPECT_EQ(o.original_size, Qty::from_raw(5'000'000));
  EXPECT_TRUE(o.size_matched.is_zero());
  EXPECT_EQ(o.timestamp_ms, 1725842520990);
  EXPECT_EQ(o.owner, kOurKey);
}

TEST(UserChannelParser, DecodesTheRealMakerTradeAndAttributesOnlyOurLeg) {
  UserChannelParser p;
  Collect c;
  ASSERT_EQ(p.parse_copy(fixture("user_trade1.json"), c), UserParseStatus::kOk);
  ASSERT_EQ(c.trades.size(), 1u);
  const auto& t = c.trades[0];
  EXPECT_EQ(c.trade_ids[0], "83b5c849-620e-4c23-b63b-2e779c04a6e7");
  EXPECT_EQ(t.status, TradeStatus::kMined);
  EXPECT_EQ(t.trader_side, TraderSide::kMaker);
  EXPECT_EQ(t.size, Qty::from_raw(1'096'870'000));
  EXPECT_EQ(t.maker_count, 6u);
  EXPECT_EQ(t.match_time_s, 1725868859);
  std::vector<OurFill> fills;
  EXPECT_EQ(attribute_fills(t, kOurKey, "", [&](const OurFill& f) { fills.push_back(f); }), 1u);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_TRUE(fills[0].maker);
  EXPECT_EQ(fills[0].order, hex("0xab679e56242324e15e59cfd488cd0f12e4fd71b153b9bfb57518898b9983145e"));
  EXPECT_EQ(fills[0].qty, Qty::from_raw(5'000'000));
  EXPECT_EQ(fills[0].price, Price::from_raw(518'000));
  // By funder address instead of API key, case-insensitively.
  fills.clear();
  attribute_fills(t, "", "0xa3d82ed56f4c68d2328fb8c29e568ba2caf7d7c8", [&](const OurFill& f) { fills.push_back(f); });
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].qty, Qty::from_raw(5'000'000));
}

TEST(UserChannelParser, DecodesTheRealTakerTradeAtTheMakersPrice) {
  UserChannelParser p;
  Collect c;
  ASSERT_EQ(p.parse_copy(fixture("user_trade2.json"), c), UserParseStatus::kOk);
  ASSERT_EQ(c.trades.size(), 1u);
  const auto& t = c.trades[0];
  EXPECT_EQ(t.status, TradeStatus::kMatched);
  EXPECT_EQ(t.trader_side, TraderSide::kTaker);
  std::vector<OurFill> fills;
  attribute_fills(t, kOurKey, "", [&](const OurFill& f) { fills.push_back(f); });
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_FALSE(fills[0].maker);
  EXPECT_EQ(fills[0].order, hex("0x5b605a0e8e40f3402d3cb3bc19edad6733ed23fbc079d2a09ee399c3487ace81"));
  EXPECT_EQ(fills[0].qty, Qty::from_raw(5'000'000));
  EXPECT_EQ(fills[0].price, Price::from_raw(520'000));
}

TEST(UserChannelParser, TakerFillAgainstTheComplementTokenUsesOneMinusTheMakerPrice) {
  const std::string frame = R"({"event_type":"trade","type":"TRADE","id":"t-1",
    "taker_order_id":"0x3ad09f225ebe141dfbdb3824f31cb457e8e0301ca4e0a06311e543f5328b9dea","asset_id":"111",
    "side":"BUY","price":"0.518","size":"10","status":"MATCHED","trader_side":"TAKER","fee_rate_bps":"",
    "maker_orders":[{"order_id":"0x3b67d584e1e7ad29b06bda373449638898aa87f0c9fd52a34bdbfb1325a6c184","owner":"x",
      "asset_id":"222","price":"0.482","matched_amount":"10","fee_rate_bps":""}]})";
  UserChannelParser p;
  Collect c;
  ASSERT_EQ(p.parse_copy(frame, c), UserParseStatus::kOk);
  std::vector<OurFill> fills;
  attribute_fills(c.trades.at(0), "me", "", [&](const OurFill& f) { fills.push_back(f); });
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, Price::from_raw(518'000));
  EXPECT_EQ(fills[0].qty, Qty::from_raw(10'000'000));
}

TEST(UserChannelParser, HandlesArraysFokKillsInvalidAndControlFrames) {
  const std::string frame = R"([{"event_type":"order","type":"CANCELLATION",
    "id":"0x0f76f4dc6eaf3332f4100f2e8a0b4a927351dd64646b7bb12f37df775c657a78",
    "status":"CANCELED_order couldn't be fully filled. FOK orders are fully filled or killed.",
    "side":"BUY","price":"0.5","original_size":"5","size_matched":"","created_at":"","expiration":null,
    "associate_trades":null,"timestamp":1725842520990},
   {"event_type":"order","type":"CANCELLATION","id":"0x0f76f4dc6eaf3332f4100f2e8a0b4a927351dd64646b7bb12f37df775c657a79",
    "status":"INVALID","side":"SELL","price":"0.5","original_size":"5","size_matched":"2","created_at":1725842520}])";
  UserChannelParser p;
  Collect c;
  ASSERT_EQ(p.parse_copy(frame, c), UserParseStatus::kOk);
  ASSERT_EQ(c.orders.size(), 2u);
  EXPECT_EQ(c.orders[0].status, UserOrderStatus::kCanceled);
  EXPECT_EQ(c.orders[0].type, UserOrderType::kCancellation);
  EXPECT_TRUE(c.orders[0].size_matched.is_zero());
  EXPECT_EQ(c.orders[0].timestamp_ms, 1725842520990);
  EXPECT_EQ(c.orders[1].status, UserOrderStatus::kInvalid);
  EXPECT_EQ(c.orders[1].size_matched, Qty::from_raw(2'000'000));
  EXPECT_EQ(p.parse_copy("PONG", c), UserParseStatus::kControl);
  EXPECT_EQ(p.parse_copy("NO NEW ASSETS", c), UserParseStatus::kControl);
  EXPECT_EQ(p.parse_copy(R"({"event_type":"book"})", c), UserParseStatus::kIgnored);
}

TEST(UserChannelParser, CountsAndSkipsMalformedFrames) {
  UserChannelParser p;
  Collect c;
  EXPECT_EQ(p.parse_copy(R"({"event_type":"order","id":"0x12","status":"LIVE"})", c), UserParseStatus::kMalformed);
  EXPECT_EQ(p.parse_copy(R"({"event_type":"trade","id":"x","status":"MATCHED","price":"0.5x"})", c),
            UserParseStatus::kMalformed);
  EXPECT_EQ(p.parse_copy(R"({"event_type":"order", )", c), UserParseStatus::kMalformed);
  EXPECT_TRUE(c.orders.empty());
  EXPECT_TRUE(c.trades.empty());
  EXPECT_EQ(p.malformed(), 3u);
}

}  // namespace
}  // namespace polybot::oms
