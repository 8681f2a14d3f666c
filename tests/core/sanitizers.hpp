// Which sanitizer this test binary runs under. Under ThreadSanitizer every hand-off through moodycamel's
// fence-based queue is detected as a race and then matched against tests/tsan.supp, which costs ~5 ms per
// message (perf: 78 % of the time in __tsan::FindRacyAddress), and TSan cannot fork a multi-threaded process
// (death tests). Timing-based tests scale their sizes with it instead of being left out of the TSan run.
#pragma once

#include <cstdint>

namespace polybot::test {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif
#else
inline constexpr bool kUnderTsan = false;
#endif

// n, or n / divisor under TSan.
constexpr std::uint64_t scaled(std::uint64_t n, std::uint64_t tsan_divisor = 20) {
  return kUnderTsan ? n / tsan_divisor : n;
}

}  // namespace polybot::test
