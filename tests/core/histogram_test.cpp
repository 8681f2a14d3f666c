#include "core/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace polybot {
namespace {

TEST(LatencyHistogram, ReportsEveryValueWithinOnePercent) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t v = rng() % (1ULL << (rng() % 40));
    const std::size_t idx = LatencyHistogram::index_of(v);
    const std::uint64_t upper = LatencyHistogram::upper_edge(idx);
    ASSERT_GE(upper, v);
    ASSERT_LE(static_cast<double>(upper - v), 0.01 * static_cast<double>(v) + 1.0) << v;
  }
}

TEST(LatencyHistogram, PercentilesOfAUniformRunAreWhereTheyShouldBe) {
  LatencyHistogram h;
  for (int v = 1; v <= 100'000; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_NEAR(static_cast<double>(h.percentile(0.5)), 50'000.0, 500.0);
  EXPECT_NEAR(static_cast<double>(h.percentile(0.99)), 99'000.0, 990.0);
  EXPECT_EQ(h.max(), 100'000u);
  EXPECT_EQ(h.min(), 1u);
}

TEST(LatencyHistogram, RecordsSecondsAndClampsBeyondRange) {
  LatencyHistogram h;
  h.record(3'000'000'000);  // 3 s
  EXPECT_NEAR(static_cast<double>(h.percentile(0.5)), 3e9, 3e7);
  h.record(-5);
  EXPECT_EQ(h.min(), 0u);
}

TEST(LatencyHistogram, MergeAddsCounts) {
  LatencyHistogram a, b;
  a.record(10);
  b.record(1000);
  a.merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.max(), 1000u);
}

}  // namespace
}  // namespace polybot
