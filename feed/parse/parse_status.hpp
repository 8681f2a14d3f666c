// Parse outcomes and per-venue, per-frame-kind counters. A malformed frame is counted here and skipped; parsers
// never throw and never crash on bad input. Counters belong to one parser (one thread); read them from that
// thread or after it stopped.
#pragma once

#include <array>
#include <cstdint>

namespace polybot::feed {

enum class ParseStatus : std::uint8_t {
  kOk = 0,
  kIgnored = 1,            // not market data: non-JSON text (PONG, NO NEW ASSETS), acks, unknown event types
  kMalformed = 2,          // not valid JSON, or the wrong JSON shape
  kMissingField = 3,       // a required field is absent
  kBadNumber = 4,          // a price/size/id that does not parse exactly
  kUnknownInstrument = 5,  // a token/symbol we did not subscribe to (skipped)
  kTooLarge = 6,           // more levels than the parser's preallocated scratch
};

constexpr const char* to_string(ParseStatus s) noexcept {
  switch (s) {
    case ParseStatus::kOk: return "ok";
    case ParseStatus::kIgnored: return "ignored";
    case ParseStatus::kMalformed: return "malformed";
    case ParseStatus::kMissingField: return "missing_field";
    case ParseStatus::kBadNumber: return "bad_number";
    case ParseStatus::kUnknownInstrument: return "unknown_instrument";
    case ParseStatus::kTooLarge: return "too_large";
  }
  return "unknown";
}

enum class FrameKind : std::uint8_t {
  kUnknown = 0,
  kNonJson,
  // Polymarket market channel
  kBook,
  kPriceChange,
  kLastTradePrice,
  kTickSizeChange,
  kBestBidAsk,
  kNewMarket,
  kMarketResolved,
  kRestBook,
  // Binance
  kBookTicker,
  kAggTrade,
  kTrade,
  kDepthDiff,
  kDepthPartial,
  kKline,
  kRestDepth,
  kRestKlines,
  // Reference prices
  kRtdsPrice,
  kPolyBoltPrice,
  kCount
};

constexpr const char* to_string(FrameKind k) noexcept {
  constexpr const char* kNames[] = {"unknown",     "non_json",    "book",           "price_change",
                                    "last_trade_price", "tick_size_change", "best_bid_ask", "new_market",
                                    "market_resolved",  "rest_book",   "book_ticker",    "agg_trade",
                                    "trade",       "depth_diff",  "depth_partial",  "kline",
                                    "rest_depth",  "rest_klines", "rtds_price",     "polybolt_price"};
  const auto i = static_cast<std::size_t>(k);
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "unknown";
}

struct ParseStats {
  static constexpr std::size_t kKinds = static_cast<std::size_t>(FrameKind::kCount);
  std::array<std::uint64_t, kKinds> ok{};
  std::array<std::uint64_t, kKinds> errors{};
  std::array<std::uint64_t, 8> by_status{};  // by ParseStatus
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;

  void count(FrameKind kind, ParseStatus status) noexcept {
    ++by_status[static_cast<std::size_t>(status) & 7u];
    const auto k = static_cast<std::size_t>(kind);
    if (k >= kKinds) return;
    if (status == ParseStatus::kOk || status == ParseStatus::kIgnored || status == ParseStatus::kUnknownInstrument) {
      ++ok[k];
    } else {
      ++errors[k];
    }
  }
  [[nodiscard]] std::uint64_t total_errors() const noexcept {
    std::uint64_t n = 0;
    for (auto e : errors) n += e;
    return n;
  }
};

}  // namespace polybot::feed
