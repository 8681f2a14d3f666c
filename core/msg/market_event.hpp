// MarketEvent family: what the feed stage turns venue bytes into. Produced on the feed thread only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/header.hpp"

namespace polybot {

enum class Side : std::uint8_t { kBuy = 0, kSell = 1 };
enum class BookSide : std::uint8_t { kBid = 0, kAsk = 1 };
enum class Venue : std::uint8_t { kNone = 0, kPolymarket = 1, kBinance = 2, kChainlink = 3, kCoinGecko = 4 };

// One absolute level (size 0 removes it). hdr.instrument is the token.
struct BookLevel {
  static constexpr MsgType kType = MsgType::kBookLevel;
  MsgHeader hdr;
  Price price;
  Qty size;
  Price msg_best_bid;  // the venue's best bid/ask after this change, 0 when the message carries none
  Price msg_best_ask;
  BookSide side = BookSide::kBid;
  Venue venue = Venue::kPolymarket;
  std::uint8_t has_top = 0;  // 1: msg_best_bid/msg_best_ask were in the message (0 there then means "empty side")
  std::uint8_t pad_[29]{};
};
POLYBOT_MESSAGE(BookLevel);

// Snapshot boundary: kBegin clears the book; levels follow; kEnd marks it complete (hdr.flags kLast).
enum class SnapshotPhase : std::uint8_t { kBegin = 0, kEnd = 1 };
struct BookSnapshot {
  static constexpr MsgType kType = MsgType::kBookSnapshot;
  MsgHeader hdr;
  std::uint32_t bid_levels = 0;
  std::uint32_t ask_levels = 0;
  std::uint64_t hash_prefix = 0;  // first 8 bytes of the venue's book hash, 0 if none
  SnapshotPhase phase = SnapshotPhase::kBegin;
  Venue venue = Venue::kPolymarket;
  std::uint8_t from_rest = 0;   // 1: a REST /book response, 0: a WebSocket `book` event
  std::uint8_t hash_check = 0;  // 0: not checked, 1: the recomputed hash matched, 2: it did not
  std::uint8_t pad_[44]{};
};
POLYBOT_MESSAGE(BookSnapshot);

// A trade print on a Polymarket token (last_trade_price) or a Binance trade/aggTrade.
struct Trade {
  static constexpr MsgType kType = MsgType::kTrade;
  MsgHeader hdr;
  std::int64_t price_raw = 0;  // Price raw (Polymarket) or UsdPrice raw (Binance), per venue
  std::int64_t size_raw = 0;   // Qty raw (Polymarket) or BtcQty raw (Binance)
  std::uint64_t trade_id = 0;
  Usdc fee_rate_bps{};         // Polymarket fee_rate_bps as reported (integer bps in raw units of 1)
  Side aggressor = Side::kBuy;
  Venue venue = Venue::kNone;
  std::uint8_t pad_[30]{};
};
POLYBOT_MESSAGE(Trade);

struct TickSizeChange {
  static constexpr MsgType kType = MsgType::kTickSizeChange;
  MsgHeader hdr;
  Price old_tick;
  Price new_tick;
  std::uint8_t pad_[48]{};
};
POLYBOT_MESSAGE(TickSizeChange);

// Best bid/ask of the BTC reference (Binance bookTicker), or a last price when bid == ask (slow sources).
struct BtcTick {
  static constexpr MsgType kType = MsgType::kBtcTick;
  MsgHeader hdr;
  UsdPrice bid;
  UsdPrice ask;
  BtcQty bid_qty;
  BtcQty ask_qty;
  std::uint64_t update_id = 0;
  Venue venue = Venue::kBinance;
  std::uint8_t pad_[23]{};
};
POLYBOT_MESSAGE(BtcTick);

// A closed (or, with closed == 0, in-progress) 1-minute bar. Times in ms since the epoch, as Binance sends them.
struct Kline {
  static constexpr MsgType kType = MsgType::kKline;
  MsgHeader hdr;
  std::int64_t open_time_ms = 0;
  std::int64_t close_time_ms = 0;
  UsdPrice open;
  UsdPrice high;
  UsdPrice low;
  UsdPrice close;
  BtcQty volume;
  std::uint32_t trades = 0;
  std::uint8_t closed = 1;
  Venue venue = Venue::kBinance;
  std::uint8_t pad_[2]{};
};
POLYBOT_MESSAGE(Kline);

// A settlement-reference report (Chainlink BTC/USD via RTDS/PolyBolt). The full-accuracy value is an 18-decimal
// integer; it is kept exactly as two halves of a 128-bit integer because settlement compares it exactly.
struct RefPrice {
  static constexpr MsgType kType = MsgType::kRefPrice;
  MsgHeader hdr;
  UsdPrice value;                 // rounded toward zero to 1e-8
  std::uint64_t value_e18_hi = 0;
  std::uint64_t value_e18_lo = 0;
  std::int64_t feed_ts_ms = 0;    // the report's own time
  Venue venue = Venue::kChainlink;
  std::uint8_t is_twap = 0;       // 1: a TWAP print (PolyBolt price.crypto.twap / RTDS twap topics)
  std::uint8_t is_snapshot = 0;   // 1: part of a subscribe back-fill, not a live update
  std::uint8_t pad0_[5]{};
  std::uint64_t seq = 0;          // PolyBolt per-channel sequence (0: the source has none)
  std::uint8_t pad_[16]{};
};
POLYBOT_MESSAGE(RefPrice);

// Market lifecycle as the venue reports it (new_market, market_resolved, trading halted...).
enum class MarketStatusKind : std::uint8_t { kNew = 0, kOpen = 1, kClosed = 2, kResolved = 3, kHalted = 4 };
struct MarketStatus {
  static constexpr MsgType kType = MsgType::kMarketStatus;
  MsgHeader hdr;
  MarketId market{};
  InstrumentId up_token{};
  InstrumentId down_token{};
  MarketStatusKind kind = MarketStatusKind::kNew;
  std::uint8_t winner = 0;  // 1 = Up, 2 = Down, 0 = unknown
  std::uint8_t pad0_[2]{};
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  std::uint8_t pad_[32]{};
};
POLYBOT_MESSAGE(MarketStatus);

}  // namespace polybot
