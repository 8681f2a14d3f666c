// Reader for Binance 1-minute kline CSV files in the layouts found in the wild: the 12-column /api/v3/klines
// layout with or without a header, the OHLCV `timestamp,open,high,low,close,volume` layout, extra columns
// tolerated, columns found by header name when there is a header. Open time as epoch ms, epoch s (or µs), or a
// UTC date-time string with or without an offset. Prices parse exactly to fixed point. Off the hot path
// (allocates); any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/result.hpp"

namespace polybot::feed {

struct KlineRow {
  std::int64_t open_time_ms = 0;
  UsdPrice open, high, low, close;
  BtcQty volume;
  std::int64_t close_time_ms = 0;
  std::uint32_t trades = 0;
  BtcQty taker_buy_volume;
  bool has_taker_buy = false;
};

struct KlineCsvError {
  std::size_t line = 0;  // 1-based line of the input (0: not tied to a line)
  std::string message;   // names the column and the offending text
};

Result<std::vector<KlineRow>, KlineCsvError> parse_kline_csv(std::string_view text);
Result<std::vector<KlineRow>, KlineCsvError> read_kline_csv(const std::string& path);

// Parses an open-time cell: epoch s / ms / µs by magnitude, or "YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH[:MM]]" (UTC
// when no offset). Returns epoch milliseconds.
Result<std::int64_t, std::string> parse_time_ms(std::string_view cell);

}  // namespace polybot::feed
