#include "feed/parse/binance_parser.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

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

// The usual envelope is read by a flat fast path; anything else by the general reader. A leading key the general
// reader ignores sends the same frame through it, so both must give the same status and the same messages — for
// the real shapes, for variations of them and for random mutations.
TEST(BinanceParser, TheFastReaderAgreesWithTheGeneralReader) {
  InstrumentTable symbols(16);
  symbols.add("BTCUSDT");
  symbols.add("BTCUSD_PERP");
  BinanceParser parser(symbols);
  const auto run = [&](const std::string& frame, RecordingSink& sink) { return parser.parse(frame, 5, sink); };
  const auto same = [](const RecordingSink& a, const RecordingSink& b) {
    if (a.btc.size() != b.btc.size() || a.trades.size() != b.trades.size() || a.depths.size() != b.depths.size()) {
      return false;
    }
    for (std::size_t i = 0; i < a.btc.size(); ++i) {
      if (std::memcmp(&a.btc[i], &b.btc[i], sizeof(BtcTick)) != 0) return false;
    }
    for (std::size_t i = 0; i < a.trades.size(); ++i) {
      if (std::memcmp(&a.trades[i], &b.trades[i], sizeof(Trade)) != 0) return false;
    }
    const auto levels_equal = [](const std::vector<book::DepthLevel>& x, const std::vector<book::DepthLevel>& y) {
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].price != y[i].price || x[i].qty != y[i].qty) return false;
      }
      return true;
    };
    for (std::size_t i = 0; i < a.depths.size(); ++i) {
      const auto& x = a.depths[i];
      const auto& y = b.depths[i];
      if (x.symbol != y.symbol || x.diff.first_id != y.diff.first_id || x.diff.last_id != y.diff.last_id ||
          x.diff.prev_id != y.diff.prev_id || x.diff.ts_exch_ns != y.diff.ts_exch_ns ||
          x.diff.ts_recv_ns != y.diff.ts_recv_ns || !levels_equal(x.bids, y.bids) || !levels_equal(x.asks, y.asks)) {
        return false;
      }
    }
    return true;
  };
  std::vector<std::string> bases = {
      R"({"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}})",
      R"({"stream":"btcusd_perp@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSD_PERP","ps":"BTCUSD","b":"61668.6","B":"1380","a":"61668.7","A":"871","T":1723161255342,"E":1723161255343}})",
      R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}})",
      R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1672515782136,"s":"BTCUSDT","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":false,"M":true}})",
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,"s":"BTCUSDT","U":50093239203,"u":50093239207,"b":[["55653.87000000","0.00000000"]],"a":[["61838.04000000","0.32332000"],["61844.30000000","0.40163000"]]}})",
      R"({"stream":"btcusd_perp@depth@100ms","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSD_PERP","ps":"BTCUSD","U":10,"u":12,"pu":9,"b":[["61668.6","1380"]],"a":[]}})",
  };
  std::vector<std::string> frames = bases;
  for (const char* extra : {
           R"({"stream":"btcusdt@bookTicker","data":{"u":"7","b":61837.63,"B":"3","a":"6\u0031","A":"1","E":-5}})",
           R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1","B":"1","a":"2","A":"1","b":"3","x":{"y":[1]}}})",
           R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1","B":"1","a":"2"}})",
           R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1.000000001","B":"1","a":"2","A":"1"}})",
           R"({"stream":"btcusdt@bookTicker","data":{"u":-1,"b":"1","B":"1","a":"2","A":"1"}})",
           R"({"stream":"ethusdt@bookTicker","data":{"u":1,"b":"1","B":"1","a":"2","A":"1"}})",
           R"({"stream":"btcusdt@bookTicker","data":{"u":1,"b":"1","B":"1","a":"2","A":"1"},"extra":1})",
           R"({"data":{"u":1,"b":"1","B":"1","a":"2","A":"1"},"stream":"btcusdt@bookTicker"})",
           R"({"stream":"btc\u0075sdt@bookTicker","data":{"u":1,"b":"1","B":"1","a":"2","A":"1"}})",
           R"({"stream":"btcusdt@trade","data":{"t":1,"p":"1","q":"1","T":1,"m":"true"}})",
           R"({"stream":"btcusdt@trade","data":{"t":1,"a":2,"p":"1","q":"1","T":-1,"m":false,"m":true}})",
           R"({"stream":"btcusdt@aggTrade","data":{"t":1,"a":2,"p":"1","q":"1","T":1,"m":false}})",
           R"({"stream":"btcusdt@aggTrade","data":{"t":1,"p":"1","q":"1","T":1,"m":false}})",
           R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[["1.0","1","x"]],"a":[["2","0"]],"pu":"0"}})",
           R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[["1.0"]],"a":[]}})",
           R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[],"a":[],"b":[["3","4"]]}})",
           R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":{},"a":[]}})",
           R"({"stream":"btcusdt@depth","data":{"U":1,"u":2,"b":[[1.5,2]],"a":[["1e3","1"]]}})",
           R"({"stream":"btcusdt@depth5","data":{"lastUpdateId":1,"bids":[["1","1"]],"asks":[]}})",
           R"({"stream":"btcusdt@kline_1m","data":{"E":1,"k":{"t":1,"T":2,"o":"1","h":"1","l":"1","c":"1","v":"1","n":1,"x":true}}})",
       }) {
    frames.emplace_back(extra);
  }
  std::mt19937_64 rng(7);
  const std::string noise = "{}[]\",:0123456789.-\\ eabuUBAT";
  for (const std::string& base : bases) test::append_mutations(frames, base, 1500, noise, rng);
  std::size_t ok = 0;
  for (const std::string& frame : frames) {
    // Not an object, or an empty one (the leading key would turn "{}..." into a different document).
    if (frame.size() < 2 || frame[0] != '{' || frame[1] == '}') continue;
    RecordingSink fast, general;
    const ParseStatus a = run(frame, fast);
    const ParseStatus b = run(R"({"zz":0,)" + frame.substr(1), general);
    ASSERT_EQ(a, b) << frame;
    ASSERT_TRUE(same(fast, general)) << frame;
    ok += a == ParseStatus::kOk;
  }
  EXPECT_GT(ok, bases.size() + 5);  // the mutations also produce valid frames, not only rejects
}

}  // namespace
}  // namespace polybot::feed
