// TokenBucket: a rate limit as a bucket of `burst` tokens refilled continuously at `per_window / window`.
// Integer arithmetic in nano-tokens so fractional refill never drifts. One thread (the gateway's); no allocation.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/int128.hpp"

namespace polybot::oms {

class TokenBucket {
 public:
  static constexpr std::int64_t kUnit = 1'000'000'000;  // nano-tokens per token

  TokenBucket() = default;
  // `burst` tokens at most; `per_window` tokens are added every `window_ns`. Starts full.
  TokenBucket(std::int64_t burst, std::int64_t per_window, std::int64_t window_ns) noexcept
      : capacity_(burst * kUnit), tokens_(burst * kUnit), per_window_(per_window), window_ns_(window_ns) {}

  // Takes `cost` tokens if available at `now_ns`; false (and nothing taken) otherwise.
  [[nodiscard]] bool try_take(std::int64_t cost, std::int64_t now_ns) noexcept {
    refill(now_ns);
    const std::int64_t need = cost * kUnit;
    if (tokens_ < need) return false;
    tokens_ -= need;
    return true;
  }
  // Whether `cost` tokens could ever be taken (a cost above the burst never succeeds: split it).
  [[nodiscard]] bool can_ever_take(std::int64_t cost) const noexcept { return cost * kUnit <= capacity_; }
  // Nanoseconds until `cost` tokens are available (0 if now).
  [[nodiscard]] std::int64_t wait_ns(std::int64_t cost, std::int64_t now_ns) noexcept {
    refill(now_ns);
    const std::int64_t need = cost * kUnit - tokens_;
    if (need <= 0 || per_window_ <= 0) return 0;
    // tokens per ns = per_window * kUnit / window_ns  =>  ns = need * window_ns / (per_window * kUnit)
    const i128 ns = (static_cast<i128>(need) * window_ns_ + per_window_ * kUnit - 1) / (per_window_ * kUnit);
    return static_cast<std::int64_t>(ns);
  }
  // Empties the bucket (the venue said 429: our model of its window was optimistic).
  void drain(std::int64_t now_ns) noexcept {
    refill(now_ns);
    tokens_ = 0;
  }
  [[nodiscard]] std::int64_t tokens(std::int64_t now_ns) noexcept {
    refill(now_ns);
    return tokens_ / kUnit;
  }

 private:
  void refill(std::int64_t now_ns) noexcept {
    if (last_ns_ == kNever) {
      last_ns_ = now_ns;
      return;
    }
    const std::int64_t dt = now_ns - last_ns_;
    if (dt <= 0 || window_ns_ <= 0) return;
    const i128 add = static_cast<i128>(dt) * per_window_ * kUnit / window_ns_;
    // Rounding loses under one nano-token per refill: negligible.
    if (add == 0) return;
    tokens_ = static_cast<std::int64_t>(std::min<i128>(capacity_, tokens_ + add));
    last_ns_ = now_ns;
  }

  static constexpr std::int64_t kNever = INT64_MIN;
  std::int64_t capacity_ = 0;
  std::int64_t tokens_ = 0;
  std::int64_t per_window_ = 0;
  std::int64_t window_ns_ = 1;
  std::int64_t last_ns_ = kNever;
};

}  // namespace polybot::oms
