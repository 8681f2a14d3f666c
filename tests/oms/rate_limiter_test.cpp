#include "oms/gateway/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "oms/gateway/token_bucket.hpp"

namespace polybot::oms {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1'000'000'000;

TEST(TokenBucket, StartsFullAndRefillsAtTheConfiguredRate) {
  TokenBucket b(10, 10, 10 * kS);  // 10 burst, 1 per second
  const std::int64_t t0 = 1000 * kS;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(b.try_take(1, t0)) << i;
  EXPECT_FALSE(b.try_take(1, t0));
  EXPECT_FALSE(b.try_take(1, t0 + 999 * kMs));
  EXPECT_TRUE(b.try_take(1, t0 + 1000 * kMs));
  EXPECT_FALSE(b.try_take(1, t0 + 1000 * kMs));
  EXPECT_EQ(b.wait_ns(1, t0 + 1000 * kMs), 1 * kS);
  // Never above the burst however long it waits.
  EXPECT_EQ(b.tokens(t0 + 3600 * kS), 10);
  EXPECT_FALSE(b.can_ever_take(11));
}

TEST(RateLimiter, AdmitsUpToTheBurstThenSaysBucketEmpty) {
  RateLimitConfig cfg = RateLimitConfig::polymarket_defaults(1.0);
  cfg.endpoint[static_cast<std::size_t>(Endpoint::kCancelAll)] = {3, 0};
  RateLimiter rl(cfg);
  const std::int64_t t0 = 5 * kS;
  EXPECT_EQ(rl.try_admit(Endpoint::kCancelAll, 1, t0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kCancelAll, 1, t0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kCancelAll, 1, t0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kCancelAll, 1, t0), Admit::kBucketEmpty);
  // Other classes are independent.
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrder, 1, t0), Admit::kYes);
}

TEST(RateLimiter, PerSignerOrderBucketCountsOrdersNotRequests) {
  RateLimitConfig cfg = RateLimitConfig::polymarket_defaults(1.0);
  RateLimiter rl(cfg);  // standard tier: order burst 60
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrders, 61, 0), Admit::kNeverFits);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrders, 15, 0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrders, 15, 0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrders, 15, 0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrders, 15, 0), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrder, 1, 0), Admit::kBucketEmpty);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrder, 1, 25 * kMs), Admit::kYes);  // 40/s refill
}

TEST(RateLimiter, A429BlocksTheEndpointForRetryAfter) {
  RateLimiter rl(RateLimitConfig::polymarket_defaults());
  const std::int64_t t0 = 100 * kS;
  rl.on_rate_limited(Endpoint::kPostOrder, 2 * kS, t0);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrder, 1, t0 + kS), Admit::kBackingOff);
  EXPECT_EQ(rl.try_admit(Endpoint::kDeleteOrder, 1, t0 + kS), Admit::kYes);
  EXPECT_EQ(rl.try_admit(Endpoint::kPostOrder, 1, t0 + 2 * kS), Admit::kYes);
  EXPECT_EQ(rl.back_pressure_count(), 1u);
}

TEST(RateLimiter, A425BacksOffExponentiallyOnEveryOrderEndpoint) {
  RateLimiter rl(RateLimitConfig::polymarket_defaults());
  rl.on_too_early(0);
  EXPECT_EQ(rl.blocked_until(Endpoint::kPostOrder), 1 * kS);
  EXPECT_EQ(rl.blocked_until(Endpoint::kCancelAll), 1 * kS);
  rl.on_too_early(1 * kS);
  EXPECT_EQ(rl.blocked_until(Endpoint::kPostOrder), 3 * kS);
  for (int i = 0; i < 10; ++i) rl.on_too_early(3 * kS);
  EXPECT_EQ(rl.blocked_until(Endpoint::kPostOrder), 33 * kS);  // capped at 30 s
  rl.on_success(Endpoint::kPostOrder);
  rl.on_too_early(40 * kS);
  EXPECT_EQ(rl.blocked_until(Endpoint::kPostOrder), 41 * kS);
}

}  // namespace
}  // namespace polybot::oms
