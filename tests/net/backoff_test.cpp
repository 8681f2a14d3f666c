#include "core/net/backoff.hpp"

#include <gtest/gtest.h>

namespace polybot::net {
namespace {

TEST(Backoff, DoublesFromBaseUpToCapWithoutJitter) {
  Backoff b(BackoffConfig{.base_ms = 100, .cap_ms = 1000, .jitter = 0.0, .seed = 1, .reset_after_ms = 0});
  EXPECT_EQ(b.next_delay_ms(), 100U);
  EXPECT_EQ(b.next_delay_ms(), 200U);
  EXPECT_EQ(b.next_delay_ms(), 400U);
  EXPECT_EQ(b.next_delay_ms(), 800U);
  EXPECT_EQ(b.next_delay_ms(), 1000U);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.next_delay_ms(), 1000U);
  b.reset();
  EXPECT_EQ(b.next_delay_ms(), 100U);
}

TEST(Backoff, JitterStaysWithinBoundsAndNeverExceedsCap) {
  Backoff b(BackoffConfig{.base_ms = 1000, .cap_ms = 5000, .jitter = 0.25, .seed = 42, .reset_after_ms = 0});
  bool varied = false;
  std::uint32_t first = 0;
  for (int round = 0; round < 200; ++round) {
    b.reset();
    const std::uint32_t d = b.next_delay_ms();
    EXPECT_GE(d, 750U);
    EXPECT_LE(d, 1250U);
    if (round == 0) first = d;
    varied = varied || d != first;
    for (int i = 0; i < 6; ++i) EXPECT_LE(b.next_delay_ms(), 5000U);
  }
  EXPECT_TRUE(varied);
}

TEST(Backoff, SameSeedGivesSameSequence) {
  const BackoffConfig cfg{.base_ms = 50, .cap_ms = 10'000, .jitter = 0.5, .seed = 7, .reset_after_ms = 0};
  Backoff a(cfg);
  Backoff b(cfg);
  Backoff c(BackoffConfig{.base_ms = 50, .cap_ms = 10'000, .jitter = 0.5, .seed = 8, .reset_after_ms = 0});
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    const auto x = a.next_delay_ms();
    EXPECT_EQ(x, b.next_delay_ms());
    differs = differs || x != c.next_delay_ms();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace polybot::net
