#include "core/histogram.hpp"

#include <cstdio>

namespace polybot {

void LatencyHistogram::merge(const LatencyHistogram& o) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
  total_ += o.total_;
  if (o.total_) {
    if (o.max_ > max_) max_ = o.max_;
    if (o.min_ < min_) min_ = o.min_;
  }
  sum_ += o.sum_;
}

void LatencyHistogram::reset() noexcept {
  for (auto& c : counts_) c = 0;
  total_ = 0;
  max_ = 0;
  min_ = ~0ULL;
  sum_ = 0.0;
}

std::uint64_t LatencyHistogram::percentile(double q) const noexcept {
  if (total_ == 0) return 0;
  if (q <= 0.0) return min_;
  if (q >= 1.0) return max_;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_) + 0.5);
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::uint64_t edge = upper_edge(i);
      return edge < max_ ? edge : max_;
    }
  }
  return max_;
}

std::string format_ns(std::uint64_t ns) {
  char buf[32];
  if (ns < 10'000) {
    std::snprintf(buf, sizeof(buf), "%lluns", static_cast<unsigned long long>(ns));
  } else if (ns < 10'000'000) {
    std::snprintf(buf, sizeof(buf), "%.1fus", static_cast<double>(ns) / 1e3);
  } else if (ns < 10'000'000'000ULL) {
    std::snprintf(buf, sizeof(buf), "%.1fms", static_cast<double>(ns) / 1e6);
  } else {
    std::snprintf(buf, sizeof(buf), "%.2fs", static_cast<double>(ns) / 1e9);
  }
  return buf;
}

std::string LatencyHistogram::summary() const {
  std::string s;
  s += "n=" + std::to_string(total_);
  s += " p50=" + format_ns(percentile(0.50));
  s += " p99=" + format_ns(percentile(0.99));
  s += " p99.9=" + format_ns(percentile(0.999));
  s += " max=" + format_ns(max());
  return s;
}

}  // namespace polybot
