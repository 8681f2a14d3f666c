// DataSet: everything a backtest reads, found by searching a directory recursively for the real dataset formats
// (docs/BACKTEST.md §Inputs): Polymarket market lists (`*-markets-*.jsonl[.gz]`), Chainlink report series
// (`*-prices-*.csv[.gz]`), recorded Polymarket books (`*-book-*`, `*-price_change-*`, `*-last_trade_price-*`
// .jsonl[.gz]), Binance kline CSVs (any layout feed::read_kline_csv accepts) and hftbacktest
// captures (`<ns> <json>` lines, gzip). Overlapping files are merged (markets by slug, reports by time, klines by
// open time). Start-up only (allocates, reads files); any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "feed/kline_csv.hpp"
#include "sim/backtest/market_list.hpp"
#include "sim/backtest/polymarket_book_jsonl.hpp"
#include "sim/backtest/settlement.hpp"

namespace polybot::sim::backtest {

// One Binance event from an hftbacktest capture: a bookTicker (bid/ask) or a trade.
struct BinanceEvent {
  enum class Kind : std::uint8_t { kBookTicker = 0, kTrade = 1 };
  Kind kind = Kind::kBookTicker;
  std::int64_t recv_ns = 0;   // the collector's receive time
  std::int64_t exch_ms = 0;   // E / T from the frame (0 when absent)
  std::string symbol;
  UsdPrice bid, ask;          // bookTicker; for a trade both hold the trade price
  BtcQty bid_qty, ask_qty;    // for a trade: bid_qty holds the trade size
  bool buyer_is_maker = false;
  std::uint64_t id = 0;       // update id / trade id
};

struct DataFile {
  std::string path;           // relative to the data directory
  std::string kind;           // market_list | chainlink | klines | hftbacktest | ignored
  std::size_t records = 0;
  std::string note;           // why it was ignored, or what was skipped inside
};

struct DataSet {
  std::vector<MarketWindow> windows;        // sorted by (start, slug), unique slugs
  RefSeries chainlink;
  std::vector<feed::KlineRow> klines;       // sorted by open time, unique
  std::vector<BinanceEvent> binance;        // sorted by receive time (stable)
  std::vector<PolyBookEvent> poly_book;     // recorded Polymarket book/delta/trade events, by receive time (stable)
  std::vector<DataFile> files;              // sorted by path
  std::size_t kline_conflicts = 0;          // same open time, different bar: the first file (by path) wins
  std::size_t market_conflicts = 0;         // same slug, different content: the first file wins
};

// Loads one file or every recognised file under a directory. Errors name the file and the field.
Result<DataSet, std::string> load_data(const std::string& path);

// hftbacktest capture text (already gunzipped): bookTicker and trade frames; depth frames are counted in `skipped`.
Result<std::vector<BinanceEvent>, std::string> parse_hftbacktest_capture(std::string_view text, std::size_t& skipped);

}  // namespace polybot::sim::backtest
