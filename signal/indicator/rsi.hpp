// Rsi: relative strength index exactly as TA-Lib's TA_RSI (default, non-Metastock) defines it: Wilder smoothing
// seeded with the simple averages of the first n gains and losses; RSI = 100*gain/(gain+loss), and 0 (not 50)
// when gain+loss is within TA-Lib's zero tolerance (1e-8). First valid on input index n.
// O(1) per update, no allocation. Single-threaded (the owner's thread).
#pragma once

namespace polybot::signal {

class Rsi {
 public:
  explicit Rsi(int period = 14) noexcept : period_(period < 1 ? 1 : period) {}

  // Feeds one close; returns true when value() is valid.
  bool update(double x) noexcept {
    if (!has_prev_) {
      prev_ = x;
      has_prev_ = true;
      return false;
    }
    const double change = x - prev_;
    prev_ = x;
    const double n = static_cast<double>(period_);
    if (changes_ < period_) {
      if (change < 0) loss_ -= change; else gain_ += change;
      if (++changes_ < period_) return false;
      loss_ /= n;
      gain_ /= n;
    } else {
      // Same operation order as TA-Lib so the doubles match bit for bit.
      loss_ *= static_cast<double>(period_ - 1);
      gain_ *= static_cast<double>(period_ - 1);
      if (change < 0) loss_ -= change; else gain_ += change;
      loss_ /= n;
      gain_ /= n;
    }
    const double total = gain_ + loss_;
    value_ = (total > -1e-8 && total < 1e-8) ? 0.0 : 100.0 * (gain_ / total);
    return true;
  }
  [[nodiscard]] bool ready() const noexcept { return changes_ >= period_; }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] double avg_gain() const noexcept { return gain_; }
  [[nodiscard]] double avg_loss() const noexcept { return loss_; }
  [[nodiscard]] int lookback() const noexcept { return period_; }
  void reset() noexcept { *this = Rsi(period_); }

 private:
  int period_;
  int changes_ = 0;
  bool has_prev_ = false;
  double prev_ = 0.0;
  double gain_ = 0.0;
  double loss_ = 0.0;
  double value_ = 0.0;
};

}  // namespace polybot::signal
