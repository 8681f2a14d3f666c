// Taker fee maths of Polymarket's fee-enabled markets (protocol notes §13.5): fee per share = rate * (p(1-p))^e,
// takers only, where rate comes from market data (BookTop::fee_rate_bps, the venue's own number) and the
// exponent from the market's fee schedule (`feeSchedule.exponent`, carried by config because BookTop has no
// field for it). Doubles: these feed decisions, never an order's amounts. Pure, any thread, no allocation.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/fixed_point.hpp"

namespace polybot::signal {

struct FeeSchedule {
  double rate = 0.0;      // fraction: 0.07 for 700 bps
  double exponent = 1.0;  // feeSchedule.exponent

  static FeeSchedule from_bps(std::uint32_t fee_rate_bps, double exponent) noexcept {
    return FeeSchedule{static_cast<double>(fee_rate_bps) / 10'000.0, exponent};
  }
  // Taker fee in USDC per share filled at price p (0 < p < 1).
  [[nodiscard]] double per_share(double p) const noexcept {
    if (!(p > 0.0 && p < 1.0) || rate <= 0.0) return 0.0;
    const double x = p * (1.0 - p);
    return rate * (exponent == 1.0 ? x : std::pow(x, exponent));
  }
  [[nodiscard]] double per_share(Price p) const noexcept { return per_share(p.to_double()); }
};

}  // namespace polybot::signal
