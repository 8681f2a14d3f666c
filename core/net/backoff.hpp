// Backoff: exponential reconnect delay with jitter and a seeded RNG, so tests can predict every delay.
// delay(n) = min(cap, base * 2^n) scaled by a uniform factor in [1 - jitter, 1 + jitter], clamped to cap.
// Owned by one session on one thread; never allocates, never blocks.
#pragma once

#include <algorithm>
#include <cstdint>

namespace polybot::net {

struct BackoffConfig {
  std::uint32_t base_ms = 250;     // first retry delay
  std::uint32_t cap_ms = 30'000;   // no delay exceeds this
  double jitter = 0.2;             // 0 = deterministic doubling; 0.2 = +-20 %
  std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
  // A connection that stayed open this long resets the attempt counter, so a flapping server that accepts and
  // immediately drops keeps backing off while a long-lived connection starts again at base.
  std::uint32_t reset_after_ms = 5'000;
};

class Backoff {
 public:
  explicit Backoff(const BackoffConfig& cfg = {}) noexcept : cfg_(cfg), state_(cfg.seed | 1U) {}

  // The delay before the next attempt, in ms; advances the attempt counter.
  [[nodiscard]] std::uint32_t next_delay_ms() noexcept {
    const std::uint32_t shift = std::min<std::uint32_t>(attempt_, 31);
    ++attempt_;
    const double raw = std::min<double>(cfg_.cap_ms, static_cast<double>(cfg_.base_ms) * double(1ULL << shift));
    const double u = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;  // [0, 1)
    const double j = std::clamp(cfg_.jitter, 0.0, 1.0);
    const double scaled = raw * (1.0 - j + 2.0 * j * u);
    return static_cast<std::uint32_t>(std::clamp(scaled, 0.0, static_cast<double>(cfg_.cap_ms)));
  }
  void reset() noexcept { attempt_ = 0; }
  [[nodiscard]] std::uint32_t attempt() const noexcept { return attempt_; }
  [[nodiscard]] const BackoffConfig& config() const noexcept { return cfg_; }

 private:
  // xorshift64*: tiny, seedable, good enough for jitter.
  std::uint64_t next_u64() noexcept {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }

  BackoffConfig cfg_;
  std::uint64_t state_;
  std::uint32_t attempt_ = 0;
};

}  // namespace polybot::net
