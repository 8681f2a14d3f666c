#include "core/clock.hpp"
#include "core/int128.hpp"

#include <time.h>

#include <cstdio>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace polybot {

std::int64_t monotonic_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t realtime_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool tsc_is_invariant() noexcept {
#if defined(__x86_64__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  // gcc's cpuid.h returns unsigned, clang's int: compare as unsigned on both.
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000u, nullptr)) < 0x80000007u) return false;
  __get_cpuid(0x80000007, &a, &b, &c, &d);
  return (d & (1u << 8)) != 0;  // CPUID.80000007H:EDX[8] = invariant TSC
#else
  return false;
#endif
}

LiveClock::LiveClock(int calibrate_ms) noexcept {
#if defined(__x86_64__)
  if (calibrate_ms > 0 && tsc_is_invariant()) {
    const std::int64_t m0 = monotonic_ns();
    const std::uint64_t t0 = __rdtsc();
    std::int64_t m1 = m0;
    while (m1 - m0 < static_cast<std::int64_t>(calibrate_ms) * 1'000'000) m1 = monotonic_ns();
    const std::uint64_t t1 = __rdtsc();
    const double ns_per_tick = static_cast<double>(m1 - m0) / static_cast<double>(t1 - t0);
    ghz_ = 1.0 / ns_per_tick;
    mult_ = static_cast<std::uint64_t>(ns_per_tick * 4294967296.0);
    tsc0_ = __rdtsc();
    epoch0_ns_ = realtime_ns();
    source_ = Source::kTsc;
    return;
  }
#endif
  (void)calibrate_ms;
  source_ = Source::kClockGettime;
}

std::int64_t LiveClock::now_ns() const noexcept {
#if defined(__x86_64__)
  if (source_ == Source::kTsc) {
    const std::uint64_t dt = __rdtsc() - tsc0_;
    const auto scaled = static_cast<std::uint64_t>((static_cast<u128>(dt) * mult_) >> 32);
    return epoch0_ns_ + static_cast<std::int64_t>(scaled);
  }
#endif
  return realtime_ns();
}

AcceleratedClock::AcceleratedClock(std::int64_t start_epoch_ns, double speed) noexcept
    : start_epoch_ns_(start_epoch_ns), start_mono_ns_(monotonic_ns()), speed_(speed) {}

std::int64_t AcceleratedClock::now_ns() const noexcept {
  const auto elapsed = static_cast<double>(monotonic_ns() - start_mono_ns_);
  return start_epoch_ns_ + static_cast<std::int64_t>(elapsed * speed_);
}

}  // namespace polybot
