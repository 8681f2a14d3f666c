// Data discovery and the capture reader: hftbacktest `<ns> <json>` lines (real frames from the hftbacktest
// spot capture of 2024-08-08), directory search that recognises each real format and ignores the rest.
#include "sim/backtest/data_set.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace polybot::sim::backtest {
namespace {

namespace fs = std::filesystem;

// Four real lines of nkaz001/hftbacktest examples/spot/btcusdt_20240808.gz (the depth frame shortened to one level
// per side, which does not change how it is treated: counted and skipped).
constexpr const char* kCapture =
    R"(1723161253937085768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"]],"a":[["61837.64000000","1.54698000"]]}})"
    "\n"
    R"(1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}})"
    "\n"
    R"(1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}})"
    "\n"
    R"(1723161254206652067 {"lastUpdateId":50093239218,"bids":[["61837.63000000","3.78826000"]],"asks":[["61837.64000000","1.54698000"]]})"
    "\n";

TEST(HftbacktestCapture, ReadsBookTickersAndTradesAndCountsTheRest) {
  std::size_t skipped = 0;
  auto r = parse_hftbacktest_capture(kCapture, skipped);
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(skipped, 2u);
  const BinanceEvent& t = (*r)[0];
  EXPECT_EQ(t.kind, BinanceEvent::Kind::kBookTicker);
  EXPECT_EQ(t.recv_ns, 1723161254087891268);
  EXPECT_EQ(t.symbol, "BTCUSDT");
  EXPECT_EQ(t.bid, *UsdPrice::parse("61837.63"));
  EXPECT_EQ(t.ask, *UsdPrice::parse("61837.64"));
  EXPECT_EQ(t.bid_qty, *BtcQty::parse("3.78826"));
  EXPECT_EQ(t.id, 50093239212u);
  const BinanceEvent& tr = (*r)[1];
  EXPECT_EQ(tr.kind, BinanceEvent::Kind::kTrade);
  EXPECT_EQ(tr.bid, *UsdPrice::parse("61837.63"));
  EXPECT_EQ(tr.bid_qty, *BtcQty::parse("0.02"));
  EXPECT_EQ(tr.exch_ms, 1723161255342);
  EXPECT_TRUE(tr.buyer_is_maker);
  EXPECT_EQ(tr.id, 3735683259u);
}

TEST(HftbacktestCapture, RejectsALineWithoutTheReceiveTime) {
  std::size_t skipped = 0;
  EXPECT_FALSE(parse_hftbacktest_capture("{\"stream\":\"x\"}\n", skipped).has_value());
}

TEST(PolymarketBookJsonl, ReadsSnapshotsDeltasPerTokenAndTrades) {
  // Hand-written lines in the dataset's documented layout (DATA_GUIDE of polymarket-data-samples).
  auto snap = parse_polymarket_book_jsonl(
      R"({"slug":"s","asset_id":"111","event_ts_ms":1000,"recv_ms":1009,"payload":{"bids":[{"price":"0.48","size":"30"}],"asks":[{"price":"0.5","size":"12.5"}]}})",
      PolyBookFileKind::kBook);
  ASSERT_TRUE(snap.has_value()) << snap.error();
  ASSERT_EQ(snap->size(), 1u);
  EXPECT_EQ((*snap)[0].asset_id, "111");
  EXPECT_EQ((*snap)[0].recv_ms, 1009);
  ASSERT_EQ((*snap)[0].levels.size(), 2u);
  EXPECT_EQ((*snap)[0].levels[1].side, Side::kSell);
  EXPECT_EQ((*snap)[0].levels[1].size, *Qty::parse("12.5"));
  auto delta = parse_polymarket_book_jsonl(
      R"({"slug":"s","event_ts_ms":2000,"recv_ms":2010,"payload":{"price_changes":[)"
      R"({"asset_id":"111","side":"BUY","price":"0.49","size":"5","best_bid":"0.49","best_ask":"0.5"},)"
      R"({"asset_id":"222","side":"SELL","price":"0.51","size":"0","best_bid":"0.5","best_ask":"0.52"}]}})",
      PolyBookFileKind::kPriceChange);
  ASSERT_TRUE(delta.has_value()) << delta.error();
  ASSERT_EQ(delta->size(), 2u);  // one event per token
  EXPECT_EQ((*delta)[1].asset_id, "222");
  EXPECT_EQ((*delta)[1].levels[0].size, Qty{});
  auto trade = parse_polymarket_book_jsonl(
      R"({"recv_ms":3005,"payload":{"asset_id":"111","price":"0.5","size":"7","side":"BUY","fee_rate_bps":"0","timestamp":"3000"}})",
      PolyBookFileKind::kLastTrade);
  ASSERT_TRUE(trade.has_value()) << trade.error();
  EXPECT_EQ((*trade)[0].kind, PolyBookEvent::Kind::kTrade);
  EXPECT_EQ((*trade)[0].trade_price, *Price::parse("0.5"));
  EXPECT_EQ((*trade)[0].event_ms, 3000);
  auto bad = parse_polymarket_book_jsonl(R"({"recv_ms":1,"payload":{"asset_id":"1","price":"0.5x","size":"1"}})",
                                         PolyBookFileKind::kLastTrade);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().find("price"), std::string::npos);
}

TEST(DataSet, FindsEveryRealFormatInADirectoryTree) {
  const fs::path dir = fs::path(POLYBOT_BINARY_DIR) / "test-out" / "backtest-data";
  fs::remove_all(dir);
  fs::create_directories(dir / "a" / "b");
  const std::string src = std::string(POLYBOT_SOURCE_DIR);
  fs::copy_file(src + "/tests/data/backtest/BTC-5m-markets-2026-06-08.jsonl.gz", dir / "a" / "BTC-5m-markets-2026-06-08.jsonl.gz");
  fs::copy_file(src + "/sim/data/klines/BTCUSDT_1m_2020-12-01_binance12.csv", dir / "a" / "b" / "klines.csv");
  std::ofstream(dir / "capture.txt.gz") << "not gzip";
  std::ofstream(dir / "notes.md") << "# hello";
  {
    std::ofstream f(dir / "a" / "b" / "BTCUSD-prices-2026-06-08.csv");
    f << "feed_ts_ms,value,full_accuracy_value,server_ts_ms,recv_ms\n"
         "1780876800000,63304.20030119507,63304200301195075000000,1780876800939,1780876801156\n";
  }
  auto ds = load_data(dir.string());
  ASSERT_TRUE(ds.has_value()) << ds.error();
  EXPECT_EQ(ds->windows.size(), 292u);
  EXPECT_EQ(ds->klines.size(), 1441u);
  EXPECT_EQ(ds->chainlink.reports().size(), 1u);
  ASSERT_EQ(ds->files.size(), 5u);
  std::map<std::string, std::string> kinds;
  for (const auto& f : ds->files) kinds[f.path] = f.kind;
  EXPECT_EQ(kinds["a/BTC-5m-markets-2026-06-08.jsonl.gz"], "market_list");
  EXPECT_EQ(kinds["a/b/klines.csv"], "klines");
  EXPECT_EQ(kinds["a/b/BTCUSD-prices-2026-06-08.csv"], "chainlink");
  EXPECT_EQ(kinds["capture.txt.gz"], "ignored");
  EXPECT_EQ(kinds["notes.md"], "ignored");
  EXPECT_FALSE(load_data((dir / "missing").string()).has_value());
}

}  // namespace
}  // namespace polybot::sim::backtest
