// MarketSink: where parsers put what they decoded. One virtual call per message (a snapshot: one per side); every
// default does nothing, so a consumer overrides only what it needs. Called on the parser's thread, synchronously
// inside parse(); views and references passed in are valid only for the duration of the call. Must not throw.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "book/depth_book.hpp"
#include "core/msg/market_event.hpp"

namespace polybot::feed {

// Polymarket best_bid_ask (custom feature) event: the venue's view of one token's top.
struct QuoteEvent {
  InstrumentId instrument{};
  Price bid;
  Price ask;
  std::int64_t ts_exch_ns = 0;
  std::int64_t ts_recv_ns = 0;
};

// Polymarket new_market / market_resolved details that do not fit a fixed message (discovery uses them).
struct MarketInfo {
  std::string_view condition_id;
  std::string_view slug;
  std::string_view token_ids[2];
  std::string_view outcomes[2];
  std::string_view winning_asset_id;
  std::string_view winning_outcome;
  Price tick;
};

// One level of a snapshot side, as the parser hands a whole side over (on_book_snapshot_side).
struct SnapshotLevel {
  Price price;
  Qty size;
};

class MarketSink {
 public:
  virtual ~MarketSink() = default;
  // Polymarket
  virtual void on_book_snapshot(const BookSnapshot& /*m*/) noexcept {}
  virtual void on_book_level(const BookLevel& /*m*/) noexcept {}
  // One side of a snapshot at once (between the kBegin and kEnd on_book_snapshot calls), in the venue's order:
  // `proto` is the BookLevel every level would carry (instrument, side, flags, times). The default hands each
  // level to on_book_level, so a sink that only overrides that one sees exactly the same messages.
  virtual void on_book_snapshot_side(const BookLevel& proto, std::span<const SnapshotLevel> levels) noexcept {
    BookLevel l = proto;
    for (const SnapshotLevel& s : levels) {
      l.price = s.price;
      l.size = s.size;
      on_book_level(l);
    }
  }
  virtual void on_trade(const Trade& /*m*/) noexcept {}
  virtual void on_tick_size_change(const TickSizeChange& /*m*/) noexcept {}
  virtual void on_quote(const QuoteEvent& /*q*/) noexcept {}
  virtual void on_market_status(const MarketStatus& /*m*/, const MarketInfo& /*info*/) noexcept {}
  // Binance
  virtual void on_btc_tick(const BtcTick& /*m*/) noexcept {}
  virtual void on_kline(const Kline& /*m*/) noexcept {}
  virtual void on_depth_diff(InstrumentId /*symbol*/, const book::DepthDiff& /*d*/,
                             std::span<const book::DepthLevel> /*bids*/,
                             std::span<const book::DepthLevel> /*asks*/) noexcept {}
  // A REST /api/v3/depth snapshot (rest = true) or a partial-depth push (rest = false).
  virtual void on_depth_snapshot(InstrumentId /*symbol*/, std::uint64_t /*last_update_id*/, bool /*rest*/,
                                 std::int64_t /*ts_recv_ns*/, std::span<const book::DepthLevel> /*bids*/,
                                 std::span<const book::DepthLevel> /*asks*/) noexcept {}
  // Reference prices
  virtual void on_ref_price(const RefPrice& /*m*/) noexcept {}
};

}  // namespace polybot::feed
