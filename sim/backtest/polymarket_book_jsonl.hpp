// Reader for recorded Polymarket market-channel data in the layout of the polymarket-data-samples dataset
// (its DATA_GUIDE): `*-book-*.jsonl[.gz]` full snapshots {slug, asset_id, event_ts_ms, recv_ms,
// payload.bids/asks[{price,size}]}, `*-price_change-*.jsonl[.gz]` deltas {slug, event_ts_ms, recv_ms,
// payload.price_changes[{asset_id, side, price, size, best_bid, best_ask}]} and `*-last_trade_price-*` prints
// {recv_ms, payload{asset_id, price, size, side, timestamp}}. Prices and sizes parse exactly to fixed point.
// Off the hot path (allocates); any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/msg/market_event.hpp"
#include "core/result.hpp"

namespace polybot::sim::backtest {

struct BookLevelUpdate {
  Side side = Side::kBuy;  // kBuy: bid level, kSell: ask level
  Price price;
  Qty size;                // absolute size at the level; 0 removes it
};

// One recorded event on one token (a snapshot, a delta batch split per token, or a trade print).
struct PolyBookEvent {
  enum class Kind : std::uint8_t { kSnapshot = 0, kDelta = 1, kTrade = 2 };
  Kind kind = Kind::kSnapshot;
  std::int64_t recv_ms = 0;
  std::int64_t event_ms = 0;
  std::string asset_id;
  std::vector<BookLevelUpdate> levels;  // snapshot: every level; delta: the changed levels
  Price trade_price;                    // kTrade
  Qty trade_size;
  Side aggressor = Side::kBuy;          // kTrade: BUY = the taker bought
};

enum class PolyBookFileKind : std::uint8_t { kBook, kPriceChange, kLastTrade };

Result<std::vector<PolyBookEvent>, std::string> parse_polymarket_book_jsonl(std::string_view jsonl, PolyBookFileKind kind);

}  // namespace polybot::sim::backtest
