// LatencyHistogram: log-linear buckets (HdrHistogram-style) over [0, 2^40) ns (about 18 minutes) with 128 linear
// sub-buckets per power of two, so any recorded value is reported within 1/128 < 0.8% relative error.
// record() is O(1), no allocation after construction; one writer thread, read after the writer is done
// (or merged). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace polybot {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 7;                       // 128 sub-buckets
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kMaxBits = 40;
  static constexpr int kBuckets = (kMaxBits - kSubBits + 1) * kSub;

  LatencyHistogram() : counts_(kBuckets, 0) {}

  void record(std::int64_t ns) noexcept {
    if (ns < 0) ns = 0;
    const auto v = static_cast<std::uint64_t>(ns);
    counts_[index_of(v)] += 1;
    ++total_;
    if (v > max_) max_ = v;
    if (v < min_) min_ = v;
    sum_ += static_cast<double>(v);
  }
  void merge(const LatencyHistogram& o) noexcept;
  void reset() noexcept;

  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return total_ ? max_ : 0; }
  [[nodiscard]] std::uint64_t min() const noexcept { return total_ ? min_ : 0; }
  [[nodiscard]] double mean() const noexcept { return total_ ? sum_ / static_cast<double>(total_) : 0.0; }
  // The value at quantile q in [0, 1] (upper edge of the bucket holding it, clamped to max).
  [[nodiscard]] std::uint64_t percentile(double q) const noexcept;
  // "p50=… p99=… p99.9=… max=…" with units picked for readability.
  [[nodiscard]] std::string summary() const;

  static std::size_t index_of(std::uint64_t v) noexcept {
    if (v < static_cast<std::uint64_t>(kSub)) return static_cast<std::size_t>(v);
    const int msb = 63 - __builtin_clzll(v);
    if (msb >= kMaxBits) return kBuckets - 1;
    const int shift = msb - kSubBits;
    const std::uint64_t sub = (v >> shift) & (kSub - 1);
    return static_cast<std::size_t>((shift + 1) * kSub + static_cast<int>(sub));
  }
  // Largest value that maps to bucket i.
  static std::uint64_t upper_edge(std::size_t i) noexcept {
    if (i < static_cast<std::size_t>(kSub)) return i;
    const int shift = static_cast<int>(i / kSub) - 1;
    const std::uint64_t sub = i % kSub;
    return (((static_cast<std::uint64_t>(kSub) + sub + 1) << shift) - 1);
  }

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = ~0ULL;
  double sum_ = 0.0;
};

std::string format_ns(std::uint64_t ns);

}  // namespace polybot
