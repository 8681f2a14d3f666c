// BookReplay: rebuilds books from captured frames through the engine's own parsers and BookSet, for
// `polybot book replay` and the tests. Routes each frame by shape: Binance combined-stream envelopes and REST
// depth snapshots, Polymarket market-channel frames and REST /book responses. Several captures fed in order are
// one continuous capture. Tool code: allocates (books on first sight), single-threaded.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "feed/book_set.hpp"
#include "feed/capture_reader.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/parse/polymarket_parser.hpp"

namespace polybot::feed {

struct ReplayCounters {
  std::uint64_t frames = 0;
  std::uint64_t polymarket_frames = 0;
  std::uint64_t binance_frames = 0;
  std::uint64_t rest_snapshots = 0;
  std::uint64_t parse_errors = 0;
};

class BookReplay {
 public:
  explicit BookReplay(BookSetConfig config = default_config());
  static BookSetConfig default_config();

  void feed(const CaptureFrame& frame);

  // One JSON object per book and line: {"asset_id":"...","valid":true,"bids":[["p","s"],...],"asks":[...]},
  // best level first, minimal exact decimals. depth 0 = every level; asset "" = every book.
  void print(std::FILE* out, std::string_view asset, std::size_t depth) const;
  // Per-book health and parse counters, human-readable.
  void print_stats(std::FILE* out) const;

  [[nodiscard]] const ReplayCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] BookSet& books() noexcept { return books_; }
  [[nodiscard]] InstrumentTable& tokens() noexcept { return tokens_; }
  [[nodiscard]] InstrumentTable& symbols() noexcept { return symbols_; }
  [[nodiscard]] const PolymarketParser& polymarket() const noexcept { return pm_; }
  [[nodiscard]] const BinanceParser& binance() const noexcept { return bn_; }

 private:
  void feed_binance_snapshot(std::string_view json, std::int64_t recv_ns);

  InstrumentTable tokens_;
  InstrumentTable symbols_;
  BookSet books_;
  PolymarketParser pm_;
  BinanceParser bn_;
  HashCheckMode hash_;
  std::string last_symbol_;
  std::string pending_snapshot_;  // a REST depth snapshot seen before any stream named its symbol
  std::int64_t pending_snapshot_ns_ = 0;
  ReplayCounters counters_;
};

}  // namespace polybot::feed
