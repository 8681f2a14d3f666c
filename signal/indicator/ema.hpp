// Ema: exponential moving average exactly as TA-Lib's TA_EMA (default compatibility) defines it: k = 2/(n+1),
// seeded with the simple average of the first n inputs, first valid on the n-th input (index n-1).
// O(1) per update, no allocation, no branches beyond warm-up. Single-threaded (the owner's thread).
#pragma once

namespace polybot::signal {

class Ema {
 public:
  explicit Ema(int period = 12) noexcept : period_(period < 1 ? 1 : period), k_(2.0 / static_cast<double>(period_ + 1)) {}

  // Feeds one input; returns true when value() is valid (TA-Lib: from index period-1 on).
  bool update(double x) noexcept {
    if (count_ < period_) {
      sum_ += x;  // TA-Lib sums the seed sequentially from 0.0, in input order
      if (++count_ < period_) return false;
      value_ = sum_ / static_cast<double>(period_);
      return true;
    }
    value_ = ((x - value_) * k_) + value_;
    return true;
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= period_; }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] int period() const noexcept { return period_; }
  // Index (0-based input count - 1) of TA-Lib's first valid output.
  [[nodiscard]] int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept { *this = Ema(period_); }

 private:
  int period_;
  double k_;
  int count_ = 0;
  double sum_ = 0.0;
  double value_ = 0.0;
};

}  // namespace polybot::signal
