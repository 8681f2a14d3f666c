// Atr: average true range exactly as TA-Lib's TA_ATR defines it: true range from the second bar on
// (max of high-low, |prev close-high|, |prev close-low|), seeded by the simple average of the first n true
// ranges (bars 1..n), then Wilder-smoothed: atr = (atr*(n-1) + tr)/n. First valid at bar index n.
// O(1) per update, no allocation. Single-threaded (the owner's thread).
#pragma once

#include <cmath>

namespace polybot::signal {

// TA-Lib's TA_TRANGE for one bar.
inline double true_range(double high, double low, double prev_close) noexcept {
  double greatest = high - low;
  const double a = std::fabs(prev_close - high);
  if (a > greatest) greatest = a;
  const double b = std::fabs(prev_close - low);
  if (b > greatest) greatest = b;
  return greatest;
}

class Atr {
 public:
  explicit Atr(int period = 14) noexcept : period_(period < 1 ? 1 : period) {}

  // Feeds one bar; returns true when value() is valid.
  bool update(double high, double low, double close) noexcept {
    if (!has_prev_) {
      prev_close_ = close;
      has_prev_ = true;
      return false;
    }
    const double tr = true_range(high, low, prev_close_);
    prev_close_ = close;
    if (period_ == 1) {  // TA-Lib returns the true range itself
      value_ = tr;
      ranges_ = 1;
      return true;
    }
    if (ranges_ < period_) {
      sum_ += tr;
      if (++ranges_ < period_) return false;
      value_ = sum_ / static_cast<double>(period_);
      return true;
    }
    value_ *= static_cast<double>(period_ - 1);
    value_ += tr;
    value_ /= static_cast<double>(period_);
    return true;
  }
  [[nodiscard]] bool ready() const noexcept { return ranges_ >= period_; }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] int lookback() const noexcept { return period_; }
  void reset() noexcept { *this = Atr(period_); }

 private:
  int period_;
  int ranges_ = 0;
  bool has_prev_ = false;
  double prev_close_ = 0.0;
  double sum_ = 0.0;
  double value_ = 0.0;
};

}  // namespace polybot::signal
