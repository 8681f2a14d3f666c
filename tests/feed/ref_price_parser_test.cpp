#include "feed/parse/ref_price_parser.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace polybot::feed {
namespace {

using test::data_path;
using test::read_text;
using test::RecordingSink;

u128 e18_of(const RefPrice& m) { return (static_cast<u128>(m.value_e18_hi) << 64) | m.value_e18_lo; }

TEST(RefPriceParser, ParsesTheRtdsSubscribeBackfill) {
  InstrumentTable symbols(16);
  const InstrumentId btc = symbols.add("btcusdt");
  RefPriceParser parser(symbols);
  RecordingSink sink;
  ASSERT_EQ(parser.parse(read_text(data_path("polymarket/crates_test_data__rtds_crypto_prices_subscribe.json")), 9,
                         sink),
            ParseStatus::kOk);
  ASSERT_EQ(sink.refs.size(), 3u);
  EXPECT_EQ(sink.refs[0].hdr.instrument, btc);
  EXPECT_EQ(sink.refs[0].feed_ts_ms, 1780726209000);
  EXPECT_EQ(sink.refs[0].value, *UsdPrice::parse("61164.12"));
  EXPECT_EQ(e18_of(sink.refs[0]), static_cast<u128>(6116412) * static_cast<u128>(10'000'000'000'000'000ull));
  EXPECT_EQ(sink.refs[2].value, *UsdPrice::parse("61150.89"));
  EXPECT_EQ(sink.refs[0].venue, Venue::kBinance);  // crypto_prices is Binance-sourced
  EXPECT_EQ(sink.refs[0].is_snapshot, 1);
}

TEST(RefPriceParser, ParsesRtdsUpdatesAndTheChainlinkTopic) {
  InstrumentTable symbols(16);
  symbols.set_auto_add(true);
  RefPriceParser parser(symbols);
  RecordingSink sink;
  ASSERT_EQ(parser.parse(R"({"topic":"crypto_prices","type":"update","timestamp":1780730269142,"payload":{"symbol":"btcusdt","timestamp":1780730269000,"value":61035.86,"full_accuracy_value":"61035.86000000"}})",
                         1, sink),
            ParseStatus::kOk);
  ASSERT_EQ(parser.parse(R"({"topic":"crypto_prices_chainlink","type":"update","timestamp":1,"payload":{"symbol":"btc/usd","timestamp":1780730269000,"value":61035.8612,"full_accuracy_value":"61035861200000000000000"}})",
                         1, sink),
            ParseStatus::kOk);
  ASSERT_EQ(sink.refs.size(), 2u);
  EXPECT_EQ(sink.refs[0].value, *UsdPrice::parse("61035.86"));
  EXPECT_EQ(sink.refs[0].is_snapshot, 0);
  EXPECT_EQ(sink.refs[1].venue, Venue::kChainlink);
  EXPECT_EQ(sink.refs[1].value, *UsdPrice::parse("61035.8612"));  // the x1e18 integer form
  EXPECT_EQ(symbols.key_of(sink.refs[1].hdr.instrument), "btc/usd");
}

TEST(RefPriceParser, ParsesPolyBoltTwapAndSnapshots) {
  InstrumentTable symbols(16);
  symbols.set_auto_add(true);
  RefPriceParser parser(symbols);
  RecordingSink sink;
  ASSERT_EQ(parser.parse(R"({"v":1,"channel":"price.crypto.twap","seq":3,"ts":1788886177000,"payload":{"symbol":"btcusd","value":78803.7152,"full_accuracy_value":"78803.715261094101516288","timestamp":1788886177000,"window_seconds":60,"source":"chainlink"}})",
                         1, sink),
            ParseStatus::kOk);
  ASSERT_EQ(sink.refs.size(), 1u);
  const RefPrice& m = sink.refs[0];
  EXPECT_EQ(m.is_twap, 1);
  EXPECT_EQ(m.seq, 3u);
  EXPECT_EQ(m.value.raw, 7880371526109);  // rounded toward zero to 1e-8
  const u128 expect = static_cast<u128>(78803) * static_cast<u128>(1'000'000'000'000'000'000ull) +
                      static_cast<u128>(715261094101516288ull);
  EXPECT_TRUE(e18_of(m) == expect);
  ASSERT_EQ(parser.parse(R"({"v":1,"channel":"price.crypto","seq":1,"ts":1788973000000,"snapshot":true,"payload":{"symbol":"btcusd","data":[{"timestamp":1788972880000,"value":64123.5,"full_accuracy_value":"64123.50000000"},{"timestamp":1788972881000,"value":64124}]}})",
                         1, sink),
            ParseStatus::kOk);
  ASSERT_EQ(sink.refs.size(), 3u);
  EXPECT_EQ(sink.refs[1].is_snapshot, 1);
  EXPECT_EQ(sink.refs[2].value, *UsdPrice::parse("64124"));
  EXPECT_EQ(parser.parse(R"({"op":"pong","rid":"p1"})", 1, sink), ParseStatus::kIgnored);
  EXPECT_EQ(parser.parse("PONG", 1, sink), ParseStatus::kIgnored);
  EXPECT_EQ(parser.parse(R"({"v":1,"channel":"price.crypto","payload":{"symbol":"btcusd","value":"abc"}})", 1, sink),
            ParseStatus::kBadNumber);
  EXPECT_EQ(sink.refs.size(), 3u);
}

TEST(RefPriceParser, ParseE18AcceptsExactDecimalsOnly) {
  u128 v = 0;
  EXPECT_TRUE(parse_e18("1", v));
  EXPECT_TRUE(v == static_cast<u128>(1'000'000'000'000'000'000ull));
  EXPECT_TRUE(parse_e18("0.000000000000000001", v));
  EXPECT_TRUE(v == 1);
  EXPECT_FALSE(parse_e18("0.0000000000000000001", v));
  EXPECT_FALSE(parse_e18("1e5", v));
  EXPECT_FALSE(parse_e18("-1", v));
  EXPECT_FALSE(parse_e18("", v));
  EXPECT_FALSE(parse_e18(".", v));
}

}  // namespace
}  // namespace polybot::feed
