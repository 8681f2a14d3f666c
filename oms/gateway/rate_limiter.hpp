// RateLimiter: the venue's rate limits (protocol notes §9, §9.1) as token buckets per endpoint class, plus the
// back-pressure state a 429 (Retry-After) or 425 (engine restart, exponential backoff) puts an endpoint in.
// Gateway thread only; no allocation after construction.
#pragma once

#include <array>
#include <cstdint>

#include "oms/gateway/token_bucket.hpp"

namespace polybot::oms {

enum class Endpoint : std::uint8_t {
  kPostOrder = 0,
  kPostOrders,
  kDeleteOrder,
  kDeleteOrders,
  kCancelAll,
  kCancelMarket,
  kDataOrders,
  kDataTrades,
  kBalance,
  kBalanceUpdate,
  kApiKey,
  kHeartbeat,
  kTime,
  kCount
};
[[nodiscard]] const char* to_string(Endpoint e) noexcept;

enum class Admit : std::uint8_t {
  kYes = 0,
  kBucketEmpty = 1,   // our model of the venue's window says wait
  kBackingOff = 2,    // the venue said 429/425 recently
  kNeverFits = 3,     // cost above the burst: split the request
};

struct RateLimitConfig {
  // Cloudflare windows per endpoint class: (burst per 10 s, sustained per 10 min; 0 = none).
  struct Window {
    std::int64_t per_10s = 0;
    std::int64_t per_10min = 0;
  };
  std::array<Window, static_cast<std::size_t>(Endpoint::kCount)> endpoint{};
  // Per-signer buckets (§9.1), "Standard" tier by default: orders 40/s burst 60, cancels 80/s burst 120.
  std::int64_t order_rate_per_s = 40, order_burst = 60;
  std::int64_t cancel_rate_per_s = 80, cancel_burst = 120;
  // 425 backoff: start, cap (§8.4).
  std::int64_t too_early_initial_ns = 1'000'000'000;
  std::int64_t too_early_max_ns = 30'000'000'000;
  // 429 without Retry-After.
  std::int64_t rate_limited_default_ns = 1'000'000'000;

  // The documented values (§9). Safety margin: `fraction` of each limit (e.g. 0.8).
  static RateLimitConfig polymarket_defaults(double fraction = 0.8) noexcept;
};

class RateLimiter {
 public:
  explicit RateLimiter(const RateLimitConfig& cfg) noexcept;

  // Admits a request of `cost` orders/ids (1 for single requests) at `now_ns`; takes the tokens on kYes only.
  [[nodiscard]] Admit try_admit(Endpoint e, std::int64_t cost, std::int64_t now_ns) noexcept;
  // The venue answered 429 (retry_after_ns 0 when no Retry-After header) or 425.
  void on_rate_limited(Endpoint e, std::int64_t retry_after_ns, std::int64_t now_ns) noexcept;
  void on_too_early(std::int64_t now_ns) noexcept;
  // A success on an order endpoint ends the 425 backoff sequence.
  void on_success(Endpoint e) noexcept;
  [[nodiscard]] std::int64_t blocked_until(Endpoint e) const noexcept {
    return blocked_until_[static_cast<std::size_t>(e)];
  }
  [[nodiscard]] std::uint64_t back_pressure_count() const noexcept { return back_pressure_count_; }

 private:
  static bool is_order_class(Endpoint e) noexcept;
  static bool is_cancel_class(Endpoint e) noexcept;

  RateLimitConfig cfg_;
  std::array<TokenBucket, static_cast<std::size_t>(Endpoint::kCount)> short_{};
  std::array<TokenBucket, static_cast<std::size_t>(Endpoint::kCount)> long_{};
  std::array<bool, static_cast<std::size_t>(Endpoint::kCount)> has_long_{};
  std::array<bool, static_cast<std::size_t>(Endpoint::kCount)> has_short_{};
  std::array<std::int64_t, static_cast<std::size_t>(Endpoint::kCount)> blocked_until_{};
  TokenBucket signer_orders_;
  TokenBucket signer_cancels_;
  std::int64_t too_early_backoff_ns_ = 0;
  std::uint64_t back_pressure_count_ = 0;
};

}  // namespace polybot::oms
