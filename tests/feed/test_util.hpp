// Helpers for feed tests: fixture paths, file reading, and a MarketSink that records what it was given.
#pragma once

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "feed/parse/market_sink.hpp"

namespace polybot::feed::test {

inline std::string data_path(const std::string& rel) { return std::string(POLYBOT_SOURCE_DIR) + "/tests/data/" + rel; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Appends `count` variants of base, each with 1-3 single-byte edits at random places: a byte erased, a byte of
// noise inserted, or a byte replaced by one.
inline void append_mutations(std::vector<std::string>& out, const std::string& base, int count,
                             std::string_view noise, std::mt19937_64& rng) {
  for (int i = 0; i < count; ++i) {
    std::string m = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !m.empty(); ++k) {
      const std::size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0: m.erase(at, 1); break;
        case 1: m.insert(at, 1, noise[rng() % noise.size()]); break;
        default: m[at] = noise[rng() % noise.size()]; break;
      }
    }
    out.push_back(std::move(m));
  }
}

struct RecordingSink : MarketSink {
  std::vector<BookSnapshot> snapshots;
  std::vector<BookLevel> levels;
  std::vector<Trade> trades;
  std::vector<TickSizeChange> ticks;
  std::vector<QuoteEvent> quotes;
  std::vector<MarketStatus> statuses;
  std::vector<std::string> slugs, tokens0, tokens1, winners;
  std::vector<BtcTick> btc;
  std::vector<Kline> klines;
  std::vector<RefPrice> refs;
  struct Depth {
    InstrumentId symbol;
    book::DepthDiff diff;
    std::vector<book::DepthLevel> bids, asks;
    std::uint64_t last_update_id = 0;
    bool snapshot = false, rest = false;
  };
  std::vector<Depth> depths;

  void on_book_snapshot(const BookSnapshot& m) noexcept override { snapshots.push_back(m); }
  void on_book_level(const BookLevel& m) noexcept override { levels.push_back(m); }
  void on_trade(const Trade& m) noexcept override { trades.push_back(m); }
  void on_tick_size_change(const TickSizeChange& m) noexcept override { ticks.push_back(m); }
  void on_quote(const QuoteEvent& q) noexcept override { quotes.push_back(q); }
  void on_market_status(const MarketStatus& m, const MarketInfo& info) noexcept override {
    statuses.push_back(m);
    slugs.emplace_back(info.slug);
    tokens0.emplace_back(info.token_ids[0]);
    tokens1.emplace_back(info.token_ids[1]);
    winners.emplace_back(info.winning_asset_id);
  }
  void on_btc_tick(const BtcTick& m) noexcept override { btc.push_back(m); }
  void on_kline(const Kline& m) noexcept override { klines.push_back(m); }
  void on_ref_price(const RefPrice& m) noexcept override { refs.push_back(m); }
  void on_depth_diff(InstrumentId symbol, const book::DepthDiff& d, std::span<const book::DepthLevel> bids,
                     std::span<const book::DepthLevel> asks) noexcept override {
    depths.push_back(Depth{symbol, d, {bids.begin(), bids.end()}, {asks.begin(), asks.end()}, 0, false, false});
  }
  void on_depth_snapshot(InstrumentId symbol, std::uint64_t last, bool rest, std::int64_t,
                         std::span<const book::DepthLevel> bids,
                         std::span<const book::DepthLevel> asks) noexcept override {
    depths.push_back(Depth{symbol, {}, {bids.begin(), bids.end()}, {asks.begin(), asks.end()}, last, true, rest});
  }
  [[nodiscard]] std::size_t total() const {
    return snapshots.size() + levels.size() + trades.size() + ticks.size() + quotes.size() + statuses.size() +
           btc.size() + klines.size() + refs.size() + depths.size();
  }
};

}  // namespace polybot::feed::test
