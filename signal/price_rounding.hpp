// Turning a double (a fair value, a quote) into a Price an order may carry, with integer maths. The double is
// first rounded to the nearest micro-unit (1e-6, 100x finer than the smallest tick, so 0.57 stays 570000 and
// does not become 569999.99...), then moved onto the market's tick with integers: DOWN (floor) for buys and UP
// (ceil) for sells, so rounding never makes an order more aggressive than the double asked for. The result is
// clamped to [tick, 1 - tick], the venue's valid range. Pure, any thread, no allocation.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/market_event.hpp"

namespace polybot::signal {

// Returns a Price on the tick grid, or a zero Price when p is not finite or the tick is not positive.
inline Price price_on_tick(double p, Price tick, Side side) noexcept {
  if (!std::isfinite(p) || tick.raw <= 0 || tick.raw >= Price::kScale) return Price{};
  if (p < -1.0) p = -1.0;
  if (p > 2.0) p = 2.0;
  const std::int64_t micro = std::llround(p * static_cast<double>(Price::kScale));
  std::int64_t ticks = micro / tick.raw;  // toward zero; fixed below for negatives
  const std::int64_t rem = micro - ticks * tick.raw;
  if (side == Side::kBuy) {
    if (rem < 0) --ticks;  // floor
  } else {
    if (rem > 0) ++ticks;  // ceil
  }
  std::int64_t raw = ticks * tick.raw;
  const std::int64_t lo = tick.raw, hi = Price::kScale - tick.raw;
  if (raw < lo) raw = lo;
  if (raw > hi) raw = hi;
  return Price::from_raw(raw);
}

// `n` ticks away from p (negative: lower), clamped to [tick, 1 - tick].
inline Price add_ticks(Price p, Price tick, std::int64_t n) noexcept {
  std::int64_t raw = p.raw + n * tick.raw;
  if (raw < tick.raw) raw = tick.raw;
  if (raw > Price::kScale - tick.raw) raw = Price::kScale - tick.raw;
  return Price::from_raw(raw);
}

}  // namespace polybot::signal
