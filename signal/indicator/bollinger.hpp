// Bollinger: Bollinger bands exactly as TA-Lib's TA_BBANDS with an SMA middle band defines them: running sums
// (add the newest, emit, subtract the oldest) for both the mean and the mean of squares; the deviation is
// sqrt(mean(x^2) - mean(x)^2), 0 when that is below TA-Lib's 1e-8 tolerance. First valid at index n-1.
// O(1) per update over a fixed ring (period <= kMaxPeriod), no allocation. Single-threaded.
#pragma once

#include <array>
#include <cmath>

namespace polybot::signal {

class Bollinger {
 public:
  static constexpr int kMaxPeriod = 256;

  explicit Bollinger(int period = 20, double dev_up = 2.0, double dev_down = 2.0) noexcept
      : period_(period < 1 ? 1 : (period > kMaxPeriod ? kMaxPeriod : period)), dev_up_(dev_up), dev_down_(dev_down) {}

  // Feeds one close; returns true when the bands are valid.
  bool update(double x) noexcept {
    const int slot = static_cast<int>(count_ % period_);
    ring_[static_cast<std::size_t>(slot)] = x;
    ++count_;
    sum_ += x;
    sum_sq_ += x * x;
    if (count_ < period_) return false;
    const double n = static_cast<double>(period_);
    middle_ = sum_ / n;
    double mean_sq = sum_sq_ / n;
    const double oldest = ring_[static_cast<std::size_t>(count_ % period_)];
    sum_ -= oldest;
    sum_sq_ -= oldest * oldest;
    mean_sq -= middle_ * middle_;
    stddev_ = mean_sq < 1e-8 ? 0.0 : std::sqrt(mean_sq);
    upper_ = middle_ + stddev_ * dev_up_;
    lower_ = middle_ - stddev_ * dev_down_;
    return true;
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= period_; }
  [[nodiscard]] double upper() const noexcept { return upper_; }
  [[nodiscard]] double middle() const noexcept { return middle_; }
  [[nodiscard]] double lower() const noexcept { return lower_; }
  [[nodiscard]] double stddev() const noexcept { return stddev_; }
  [[nodiscard]] int lookback() const noexcept { return period_ - 1; }
  void reset() noexcept { *this = Bollinger(period_, dev_up_, dev_down_); }

 private:
  int period_;
  double dev_up_, dev_down_;
  long long count_ = 0;
  double sum_ = 0.0, sum_sq_ = 0.0;
  double middle_ = 0.0, upper_ = 0.0, lower_ = 0.0, stddev_ = 0.0;
  std::array<double, kMaxPeriod> ring_{};
};

}  // namespace polybot::signal
