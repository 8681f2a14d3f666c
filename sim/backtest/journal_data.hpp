// Journal input for the backtest: turns the feed stream of a polybot journal (what `polybot record` or a running
// engine wrote) back into backtest data. Raw inbound frames are re-parsed by the engine's own parsers (Polymarket
// market channel and REST /book, Binance streams and REST klines, RTDS/PolyBolt reference prices, Gamma market
// bodies), and the feed's produced messages (Kline, BtcTick, Binance Trade, RefPrice) are taken as they are.
// Start-up only: allocates, reads files; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "feed/kline_csv.hpp"
#include "sim/backtest/chainlink_csv.hpp"
#include "sim/backtest/data_set.hpp"
#include "sim/backtest/market_list.hpp"
#include "sim/backtest/polymarket_book_jsonl.hpp"

namespace polybot::sim::backtest {

struct JournalData {
  std::vector<MarketWindow> windows;     // from Gamma bodies and `new_market` events (slug btc-updown-<i>-<start>)
  std::vector<RefReport> chainlink;      // Chainlink reports (not TWAP prints), in journal order
  std::vector<feed::KlineRow> klines;    // closed 1-minute bars, in journal order (duplicates possible)
  std::vector<BinanceEvent> binance;     // bookTicker / trade, at their receive time
  std::vector<PolyBookEvent> poly_book;  // snapshots, per-token delta batches and trade prints
  std::size_t records = 0;               // records read from the feed stream
  std::size_t raw_frames = 0;
  std::size_t messages = 0;              // produced messages taken as they are
  std::size_t unused = 0;                // frames/messages that carry nothing the backtest reads (acks, BookTop...)
  std::size_t malformed = 0;             // raw frames no parser accepted (counted, as the live feed counts them)
};

struct JournalReadOptions {
  std::string binance_symbol = "BTCUSDT";  // REST kline bodies do not name their symbol
};

// `dir` is a journal directory (holding `feed.NNNNNN.seg`). A damaged stream is an error naming the segment,
// offset and fault; a stream that ends open or uncommitted (a killed recorder) is read up to its last record.
Result<JournalData, std::string> read_journal_data(const std::string& dir, const JournalReadOptions& options = {});

// True when `name` is a journal segment file name (`<stream>.<6 digits>.seg`); `stream` receives the stream name.
bool is_journal_segment(const std::string& name, std::string* stream = nullptr);

}  // namespace polybot::sim::backtest
