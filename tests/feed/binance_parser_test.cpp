#include "feed/parse/binance_parser.hpp"

#include <gtest/gtest.h>

#include "feed/capture_reader.hpp"
#include "test_util.hpp"

namespace polybot::feed {
namespace {

using test::data_path;
using test::RecordingSink;

struct Fixture {
  InstrumentTable symbols{64};
  InstrumentId btcusdt = symbols.add("BTCUSDT");
  BinanceParser parser{symbols};
  RecordingSink sink;
};

TEST(BinanceParser, ParsesBookTickerFromTheSpotCapture) {
  Fixture f;
  const std::string frame =
      R"({"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}})";
  ASSERT_EQ(f.parser.parse(frame, 7, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.btc.size(), 1u);
  const BtcTick& t = f.sink.btc[0];
  EXPECT_EQ(t.hdr.instrument, f.btcusdt);
  EXPECT_EQ(t.update_id, 50093239212u);
  EXPECT_EQ(t.bid, *UsdPrice::parse("61837.63"));
  EXPECT_EQ(t.ask, *UsdPrice::parse("61837.64"));
  EXPECT_EQ(t.bid_qty, *BtcQty::parse("3.78826"));
  EXPECT_EQ(t.ask_qty.raw, 154698000);
  EXPECT_EQ(t.hdr.ts_recv, 7);
}

TEST(BinanceParser, ParsesTradesAndAggTrades) {
  Fixture f;
  const std::string trade =
      R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}})";
  ASSERT_EQ(f.parser.parse(trade, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.trades.size(), 1u);
  EXPECT_EQ(f.sink.trades[0].trade_id, 3735683259u);
  EXPECT_EQ(f.sink.trades[0].aggressor, Side::kSell);  // buyer was the maker
  EXPECT_EQ(f.sink.trades[0].size_raw, 2'000'000);
  EXPECT_EQ(f.sink.trades[0].hdr.ts_exch, 1723161255342LL * 1'000'000);
  const std::string agg =
      R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1672515782136,"s":"BTCUSDT","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":false,"M":true}})";
  ASSERT_EQ(f.parser.parse(agg, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.trades.size(), 2u);
  EXPECT_EQ(f.sink.trades[1].trade_id, 12345u);
  EXPECT_EQ(f.sink.trades[1].aggressor, Side::kBuy);
}

TEST(BinanceParser, ParsesDiffDepthWithAndWithoutPreviousId) {
  Fixture f;
  const std::string spot =
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,"s":"BTCUSDT","U":50093239203,"u":50093239207,"b":[["55653.87000000","0.00000000"]],"a":[["61838.04000000","0.32332000"],["61844.30000000","0.40163000"]]}})";
  ASSERT_EQ(f.parser.parse(spot, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.depths.size(), 1u);
  const auto& d = f.sink.depths[0];
  EXPECT_EQ(d.diff.first_id, 50093239203u);
  EXPECT_EQ(d.diff.last_id, 50093239207u);
  EXPECT_EQ(d.diff.prev_id, 0u);
  ASSERT_EQ(d.bids.size(), 1u);
  EXPECT_EQ(d.bids[0].qty, 0);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.asks[1].price, UsdPrice::parse("61844.3")->raw);
  const std::string cm =
      R"({"stream":"btcusd_perp@depth@0ms","data":{"e":"depthUpdate","E":1723161257460,"T":1723161257451,"s":"BTCUSD_PERP","ps":"BTCUSD","U":1007198631580,"u":1007198631835,"pu":1007198631565,"b":[["61777.6","0"]],"a":[]}})";
  f.symbols.set_auto_add(true);
  ASSERT_EQ(f.parser.parse(cm, 1, f.sink), ParseStatus::kOk);
  EXPECT_EQ(f.sink.depths[1].diff.prev_id, 1007198631565u);
  EXPECT_EQ(f.symbols.key_of(f.sink.depths[1].symbol), "BTCUSD_PERP");
}

TEST(BinanceParser, ParsesPartialDepthAndKlines) {
  Fixture f;
  const std::string partial =
      R"({"stream":"btcusdt@depth20@100ms","data":{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}})";
  ASSERT_EQ(f.parser.parse(partial, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.depths.size(), 1u);
  EXPECT_TRUE(f.sink.depths[0].snapshot);
  EXPECT_FALSE(f.sink.depths[0].rest);
  EXPECT_EQ(f.sink.depths[0].last_update_id, 160u);
  const std::string kline =
      R"({"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1672515782136,"s":"BTCUSDT","k":{"t":1672515780000,"T":1672515839999,"s":"BTCUSDT","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}})";
  ASSERT_EQ(f.parser.parse(kline, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.klines.size(), 1u);
  const Kline& k = f.sink.klines[0];
  EXPECT_EQ(k.open_time_ms, 1672515780000);
  EXPECT_EQ(k.close_time_ms, 1672515839999);
  EXPECT_EQ(k.high, *UsdPrice::parse("0.0025"));
  EXPECT_EQ(k.volume, *BtcQty::parse("1000"));
  EXPECT_EQ(k.trades, 100u);
  EXPECT_EQ(k.closed, 0);
}

TEST(BinanceParser, ParsesRestKlines) {
  Fixture f;
  const std::string body =
      R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"],)"
      R"([1499644800000,"0.01577100","0.01577100","0.01577100","0.01577100","1",1499644859999,"0.01",1,"0","0","0"]])";
  ASSERT_EQ(f.parser.parse_rest_klines(body, f.btcusdt, 1499644800000, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.klines.size(), 2u);
  EXPECT_EQ(f.sink.klines[0].open, *UsdPrice::parse("0.0163479"));
  EXPECT_EQ(f.sink.klines[0].volume, *BtcQty::parse("148976.11427815"));
  EXPECT_EQ(f.sink.klines[0].trades, 308u);
  EXPECT_EQ(f.sink.klines[0].closed, 1);
  EXPECT_EQ(f.sink.klines[1].closed, 0);  // still forming at now_ms
  EXPECT_NE(f.parser.parse_rest_klines("[[1,\"x\"]]", f.btcusdt, 0, 1, f.sink), ParseStatus::kOk);
}

TEST(BinanceParser, ParsesEveryFrameOfTheSpotAndFuturesCaptures) {
  for (const char* name : {"binance/btcusdt_20240808_head12000.gz", "binance/btcusd_perp_20240808_head6000.gz"}) {
    auto file = read_capture(data_path(name));
    ASSERT_TRUE(file) << file.error();
    InstrumentTable symbols(16);
    symbols.set_auto_add(true);
    BinanceParser parser(symbols);
    RecordingSink sink;
    std::size_t stream_frames = 0, snapshots = 0;
    for (const CaptureFrame& fr : split_capture(file->text)) {
      ASSERT_GT(fr.recv_ns, 1'700'000'000'000'000'000LL);
      if (fr.json.find("\"stream\"") == std::string_view::npos) {
        ++snapshots;
        ASSERT_EQ(parser.parse_rest_depth(fr.json, symbols.add("X"), fr.recv_ns, sink), ParseStatus::kOk);
        continue;
      }
      ++stream_frames;
      ASSERT_EQ(parser.parse(fr.json, fr.recv_ns, sink), ParseStatus::kOk) << fr.json.substr(0, 200);
    }
    EXPECT_EQ(snapshots, 1u) << name;
    EXPECT_EQ(sink.btc.size() + sink.trades.size() + sink.depths.size(), stream_frames + snapshots) << name;
    EXPECT_EQ(parser.stats().total_errors(), 0u);
  }
}

TEST(BinanceParser, RejectsMalformedFramesWithoutEmitting) {
  Fixture f;
  const char* bad[] = {
      R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1.0","B":"1","a":"2.0"}})",
      R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1.0.0","B":"1","a":"2.0","A":"1"}})",
      R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[["1.0"]],"a":[]}})",
      R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[["1.0","1"]],"a":[})",
      R"({"stream":"btcusdt@trade","data":{"p":"1","q":"1","T":1,"t":-5,"m":true}})",
      R"({"stream":7,"data":{}})",
      R"({"stream":"btcusdt@depth","data":[1]})",
  };
  for (const char* frame : bad) {
    const ParseStatus st = f.parser.parse(frame, 1, f.sink);
    EXPECT_NE(st, ParseStatus::kOk) << frame;
    EXPECT_NE(st, ParseStatus::kIgnored) << frame;
  }
  EXPECT_EQ(f.sink.total(), 0u);
  EXPECT_EQ(f.parser.parse(R"({"result":null,"id":1})", 1, f.sink), ParseStatus::kIgnored);
  EXPECT_EQ(f.parser.parse(R"({"stream":"ethusdt@bookTicker","data":{}})", 1, f.sink),
            ParseStatus::kUnknownInstrument);
}

}  // namespace
}  // namespace polybot::feed
