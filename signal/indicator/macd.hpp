// Macd: moving average convergence/divergence exactly as TA-Lib's TA_MACD defines it. TA-Lib's habit matched
// here: the fast EMA is seeded on the `fast` inputs ending where the slow EMA's seed ends (index slow-1), not on
// the first `fast` inputs, so early MACD values are not ema(fast) - ema(slow). The signal EMA is seeded on the
// first `signal` MACD values; all three outputs are first valid at index slow-1 + signal-1 (33 for 12/26/9).
// O(1) per update, no allocation. Single-threaded (the owner's thread).
#pragma once

namespace polybot::signal {

class Macd {
 public:
  Macd(int fast = 12, int slow = 26, int signal = 9) noexcept {
    if (fast < 1) fast = 1;
    if (slow < 1) slow = 1;
    if (signal < 1) signal = 1;
    if (slow < fast) {  // TA-Lib swaps them
      const int t = slow;
      slow = fast;
      fast = t;
    }
    fast_ = fast;
    slow_ = slow;
    signal_ = signal;
    k_fast_ = 2.0 / static_cast<double>(fast_ + 1);
    k_slow_ = 2.0 / static_cast<double>(slow_ + 1);
    k_signal_ = 2.0 / static_cast<double>(signal_ + 1);
  }

  // Feeds one close; returns true when macd(), signal() and hist() are valid.
  bool update(double x) noexcept {
    const int i = count_++;
    if (i < slow_) {
      slow_sum_ += x;
      if (i >= slow_ - fast_) fast_sum_ += x;
      if (i < slow_ - 1) return false;
      slow_ema_ = slow_sum_ / static_cast<double>(slow_);
      fast_ema_ = fast_sum_ / static_cast<double>(fast_);
    } else {
      slow_ema_ = ((x - slow_ema_) * k_slow_) + slow_ema_;
      fast_ema_ = ((x - fast_ema_) * k_fast_) + fast_ema_;
    }
    macd_ = fast_ema_ - slow_ema_;
    const int m = i - (slow_ - 1);  // index into the MACD series
    if (m < signal_) {
      signal_sum_ += macd_;
      if (m < signal_ - 1) return false;
      signal_ema_ = signal_sum_ / static_cast<double>(signal_);
    } else {
      signal_ema_ = ((macd_ - signal_ema_) * k_signal_) + signal_ema_;
    }
    hist_ = macd_ - signal_ema_;
    return true;
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= slow_ + signal_ - 1; }
  [[nodiscard]] double macd() const noexcept { return macd_; }
  [[nodiscard]] double signal() const noexcept { return signal_ema_; }
  [[nodiscard]] double hist() const noexcept { return hist_; }
  [[nodiscard]] int lookback() const noexcept { return slow_ + signal_ - 2; }
  void reset() noexcept { *this = Macd(fast_, slow_, signal_); }

 private:
  int fast_ = 12, slow_ = 26, signal_ = 9;
  double k_fast_ = 0, k_slow_ = 0, k_signal_ = 0;
  int count_ = 0;
  double slow_sum_ = 0, fast_sum_ = 0, signal_sum_ = 0;
  double slow_ema_ = 0, fast_ema_ = 0, signal_ema_ = 0;
  double macd_ = 0, hist_ = 0;
};

}  // namespace polybot::signal
