// Order-book imbalance: bid size / ask size over the top N levels of one book. Sources: a Polymarket token's
// BookTop depth fields (the feed sums the top N levels, N from config), Binance's bookTicker (N = 1), or any book
// view through the level-array overload. NaN when there is no ask size (undefined, never traded on).
// Pure functions, no allocation, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "core/msg/book_top.hpp"
#include "core/msg/market_event.hpp"

namespace polybot::signal {

inline constexpr double kNoImbalance = std::numeric_limits<double>::quiet_NaN();

// bid / ask; NaN when ask <= 0 or bid < 0.
inline double imbalance_ratio(double bid_size, double ask_size) noexcept {
  if (!(ask_size > 0.0) || bid_size < 0.0) return kNoImbalance;
  return bid_size / ask_size;
}

// Over raw fixed-point sizes (same scale both sides: the scale cancels).
inline double imbalance_ratio_raw(std::int64_t bid_raw, std::int64_t ask_raw) noexcept {
  return imbalance_ratio(static_cast<double>(bid_raw), static_cast<double>(ask_raw));
}

// A Polymarket token: top-N depth from the feed; NaN when the side is not trusted.
inline double token_imbalance(const TokenTop& t) noexcept {
  if (t.valid == 0) return kNoImbalance;
  return imbalance_ratio_raw(t.bid_depth.raw, t.ask_depth.raw);
}

// Binance bookTicker: best bid qty / best ask qty.
inline double btc_tick_imbalance(const BtcTick& t) noexcept {
  return imbalance_ratio_raw(t.bid_qty.raw, t.ask_qty.raw);
}

// A book view: sizes of the best `levels` levels of each side (best first), summed over the top n.
inline double depth_imbalance(const std::int64_t* bid_sizes, std::size_t bid_levels, const std::int64_t* ask_sizes,
                              std::size_t ask_levels, std::size_t n) noexcept {
  std::int64_t bid = 0, ask = 0;
  for (std::size_t i = 0; i < n && i < bid_levels; ++i) bid += bid_sizes[i];
  for (std::size_t i = 0; i < n && i < ask_levels; ++i) ask += ask_sizes[i];
  return imbalance_ratio_raw(bid, ask);
}

}  // namespace polybot::signal
