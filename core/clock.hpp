// Clocks. Stages never read the wall clock: they are given a Clock.
//   LiveClock        : nanoseconds since the Unix epoch from the TSC, calibrated against CLOCK_REALTIME and
//                      CLOCK_MONOTONIC at start-up (falls back to clock_gettime when the TSC is not invariant).
//   ManualClock      : set by its owner (replay drives it from journal timestamps; tests step it).
//   AcceleratedClock : starts at a chosen epoch and runs `speed` times faster than real time (sim and demo).
// now_ns() is thread-safe and lock-free on all three.
#pragma once

#include <atomic>
#include <cstdint>

namespace polybot {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds since the Unix epoch on this clock's timeline.
  [[nodiscard]] virtual std::int64_t now_ns() const noexcept = 0;
};

// Monotonic raw readings for latency measurement (no virtual call, no epoch).
std::int64_t monotonic_ns() noexcept;
std::int64_t realtime_ns() noexcept;

class LiveClock final : public Clock {
 public:
  enum class Source : std::uint8_t { kTsc, kClockGettime };
  // calibrate_ms: how long to sample the TSC against CLOCK_MONOTONIC (0 forces clock_gettime).
  explicit LiveClock(int calibrate_ms = 20) noexcept;
  [[nodiscard]] std::int64_t now_ns() const noexcept override;
  [[nodiscard]] Source source() const noexcept { return source_; }
  [[nodiscard]] double tsc_ghz() const noexcept { return ghz_; }

 private:
  Source source_ = Source::kClockGettime;
  std::uint64_t tsc0_ = 0;
  std::int64_t epoch0_ns_ = 0;
  // ns = epoch0 + ((tsc - tsc0) * mult) >> 32
  std::uint64_t mult_ = 0;
  double ghz_ = 0.0;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ns = 0) noexcept : now_(start_ns) {}
  [[nodiscard]] std::int64_t now_ns() const noexcept override { return now_.load(std::memory_order_acquire); }
  void set(std::int64_t ns) noexcept { now_.store(ns, std::memory_order_release); }
  void advance(std::int64_t ns) noexcept { now_.fetch_add(ns, std::memory_order_acq_rel); }

 private:
  std::atomic<std::int64_t> now_;
};

class AcceleratedClock final : public Clock {
 public:
  AcceleratedClock(std::int64_t start_epoch_ns, double speed) noexcept;
  [[nodiscard]] std::int64_t now_ns() const noexcept override;
  [[nodiscard]] double speed() const noexcept { return speed_; }

 private:
  std::int64_t start_epoch_ns_;
  std::int64_t start_mono_ns_;
  double speed_;
};

bool tsc_is_invariant() noexcept;

}  // namespace polybot
