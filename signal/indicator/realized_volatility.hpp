// RealizedVolatility: standard deviation of log returns over the last N samples taken on a fixed time grid
// (zero-mean estimator, sqrt(mean r^2), the usual choice for high-frequency returns), scaled to per-sqrt-second
// for the fair-value model. Feed it with sample(t_ns, price) on every tick: it keeps the last price of each grid
// interval and, when time crosses into a new interval, records one return per elapsed interval (empty intervals
// carry the price forward, a zero return). O(1) amortised, fixed ring (N <= kMaxSamples), no allocation.
// Single-threaded (the owner's thread).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace polybot::signal {

class RealizedVolatility {
 public:
  static constexpr int kMaxSamples = 4096;

  RealizedVolatility(int samples = 300, std::int64_t interval_ns = 1'000'000'000) noexcept
      : n_(samples < 2 ? 2 : (samples > kMaxSamples ? kMaxSamples : samples)),
        interval_ns_(interval_ns > 0 ? interval_ns : 1'000'000'000) {}

  // A price observed at t_ns (non-decreasing). Prices <= 0 are ignored.
  void sample(std::int64_t t_ns, double price) noexcept {
    if (!(price > 0.0)) return;
    const std::int64_t bucket = t_ns / interval_ns_;
    if (!started_) {
      started_ = true;
      bucket_ = bucket;
      current_ = price;
      return;
    }
    if (bucket > bucket_) {
      // Close the finished interval (the first has no previous close: no return), then one zero return per empty
      // interval (capped: a long gap writes at most the whole ring).
      if (have_close_) push(std::log(current_ / last_close_));
      have_close_ = true;
      last_close_ = current_;
      std::int64_t empty = bucket - bucket_ - 1;
      if (empty > n_) empty = n_;
      for (std::int64_t k = 0; k < empty; ++k) push(0.0);
      bucket_ = bucket;
    }
    current_ = price;
  }
  // Returns recorded so far (saturates at the window).
  [[nodiscard]] int count() const noexcept { return filled_; }
  [[nodiscard]] bool ready(int min_samples) const noexcept { return filled_ >= min_samples; }
  // Per-sample standard deviation of log returns.
  [[nodiscard]] double sigma_per_sample() const noexcept {
    if (filled_ == 0) return 0.0;
    const double m = sum_sq_ / static_cast<double>(filled_);
    return m > 0.0 ? std::sqrt(m) : 0.0;
  }
  // Standard deviation of log returns per sqrt(second).
  [[nodiscard]] double sigma_per_sqrt_second() const noexcept {
    return sigma_per_sample() / std::sqrt(static_cast<double>(interval_ns_) * 1e-9);
  }
  void reset() noexcept { *this = RealizedVolatility(n_, interval_ns_); }

 private:
  void push(double r) noexcept {
    const double sq = r * r;
    if (filled_ == n_) {
      sum_sq_ -= ring_[static_cast<std::size_t>(head_)];
    } else {
      ++filled_;
    }
    ring_[static_cast<std::size_t>(head_)] = sq;
    sum_sq_ += sq;
    head_ = (head_ + 1) % n_;
    // Running sums drift by a few ulps per subtraction; rebuild exactly once per lap (O(1) amortised).
    if (head_ == 0) {
      double s = 0.0;
      for (int k = 0; k < filled_; ++k) s += ring_[static_cast<std::size_t>(k)];
      sum_sq_ = s;
    }
  }

  int n_;
  std::int64_t interval_ns_;
  bool started_ = false;
  bool have_close_ = false;
  std::int64_t bucket_ = 0;
  double last_close_ = 0.0, current_ = 0.0;
  int filled_ = 0, head_ = 0;
  double sum_sq_ = 0.0;
  std::array<double, kMaxSamples> ring_{};
};

}  // namespace polybot::signal
