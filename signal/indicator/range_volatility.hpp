// RangeVolatility: (max high - min low) / min low over the last N bars (the product's "5-minute BTC range" is
// N = 5 one-minute klines). Monotonic max/min queues over fixed rings: amortised O(1) per update, no allocation,
// N <= kMaxWindow. Single-threaded (the owner's thread).
#pragma once

#include <array>
#include <cstdint>

namespace polybot::signal {

class RangeVolatility {
 public:
  static constexpr int kMaxWindow = 1024;

  explicit RangeVolatility(int window = 5) noexcept
      : window_(window < 1 ? 1 : (window > kMaxWindow ? kMaxWindow : window)) {}

  // Feeds one bar (or one price with high == low); returns true once `window` bars were seen.
  bool update(double high, double low) noexcept {
    const std::int64_t i = count_++;
    while (max_size_ > 0 && max_val(max_size_ - 1) <= high) --max_size_;
    push(max_idx_, max_v_, max_head_, max_size_, i, high);
    while (min_size_ > 0 && min_val(min_size_ - 1) >= low) --min_size_;
    push(min_idx_, min_v_, min_head_, min_size_, i, low);
    const std::int64_t first = i - window_ + 1;
    while (max_idx_[slot(max_head_)] < first) pop_front(max_head_, max_size_);
    while (min_idx_[slot(min_head_)] < first) pop_front(min_head_, min_size_);
    return ready();
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= window_; }
  [[nodiscard]] double max() const noexcept { return max_v_[slot(max_head_)]; }
  [[nodiscard]] double min() const noexcept { return min_v_[slot(min_head_)]; }
  // (max - min) / min; 0 before any input.
  [[nodiscard]] double value() const noexcept {
    if (count_ == 0) return 0.0;
    const double lo = min();
    return lo > 0.0 ? (max() - lo) / lo : 0.0;
  }
  [[nodiscard]] int window() const noexcept { return window_; }
  void reset() noexcept { *this = RangeVolatility(window_); }

 private:
  static constexpr std::size_t kCap = kMaxWindow + 1;
  static std::size_t slot(std::size_t k) noexcept { return k % kCap; }
  double max_val(std::size_t back) const noexcept { return max_v_[slot(max_head_ + back)]; }
  double min_val(std::size_t back) const noexcept { return min_v_[slot(min_head_ + back)]; }
  static void push(std::array<std::int64_t, kCap>& idx, std::array<double, kCap>& v, std::size_t head,
                   std::size_t& size, std::int64_t i, double x) noexcept {
    const std::size_t s = slot(head + size);
    idx[s] = i;
    v[s] = x;
    ++size;
  }
  static void pop_front(std::size_t& head, std::size_t& size) noexcept {
    head = slot(head + 1);
    --size;
  }

  int window_;
  std::int64_t count_ = 0;
  std::size_t max_head_ = 0, max_size_ = 0, min_head_ = 0, min_size_ = 0;
  std::array<std::int64_t, kCap> max_idx_{}, min_idx_{};
  std::array<double, kCap> max_v_{}, min_v_{};
};

}  // namespace polybot::signal
