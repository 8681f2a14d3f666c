// ModelledBook: a stand-in Polymarket book for data sets that carry no recorded order book (the real 2026-06-08
// day has none). The Up token's fair value is P(final >= strike) under a driftless log-normal reference price
// with volatility estimated online from the Chainlink reports; quotes are fair ± half_spread rounded outward to
// the tick, `levels` levels of `depth` shares each side; Down is the complement (1 − Up). This is a MODEL, never
// a recording: the summary and docs/BACKTEST.md say so. Double maths for the model only; the quotes it hands
// out are fixed-point ticks. Backtest thread only; no allocation after construction.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"

namespace polybot::sim::backtest {

struct BookModelParams {
  Price half_spread = Price::from_raw(10'000);   // 0.01 each side of fair
  Qty depth = Qty::from_units(200);              // shares per level
  int levels = 5;
  double vol_halflife_s = 600.0;                 // EWMA half-life of the squared 1-s log returns
  double initial_vol_annual = 0.45;              // before any return is seen
  double min_vol_annual = 0.05;
  double max_vol_annual = 3.0;
  std::int64_t max_ref_age_s = 30;               // no book when the reference price is older than this
};

// One side's ladder, best level first.
struct Ladder {
  static constexpr int kMaxLevels = 16;
  Price price[kMaxLevels]{};
  Qty size[kMaxLevels]{};
  int count = 0;
};

struct ModelQuote {
  bool valid = false;
  double fair_up = 0.5;
  Price tick;
  Ladder up_bids, up_asks, down_bids, down_asks;
};

// Online volatility of the reference price (per sqrt-second), shared by every market of a run.
class VolEstimator {
 public:
  explicit VolEstimator(const BookModelParams& p) noexcept;
  void on_price(std::int64_t ts_ms, double price) noexcept;
  [[nodiscard]] double sigma_per_sqrt_s() const noexcept;

 private:
  BookModelParams p_;
  double var_per_s_;
  std::int64_t last_ts_ms_ = 0;
  double last_price_ = 0.0;
};

// P(final >= strike) for a driftless log-normal price with the given per-sqrt-second volatility.
double fair_up_probability(double price, double strike, double seconds_left, double sigma_per_sqrt_s) noexcept;

// Quotes for both tokens at fair value `fair_up`. The tick follows the venue rule: 0.01, or 0.001 when the
// price sits above 0.96 or below 0.04 (protocol notes §4.1).
ModelQuote make_quote(double fair_up, const BookModelParams& p) noexcept;

}  // namespace polybot::sim::backtest
