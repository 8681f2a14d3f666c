// Assertions for invariants. POLYBOT_ASSERT is compiled out of release builds (NDEBUG); POLYBOT_CHECK stays
// in every build and is for start-up and boundary invariants only, never the hot path.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace polybot::detail {
[[noreturn]] inline void assert_fail(const char* expr, const char* file, int line, const char* msg) noexcept {
  std::fprintf(stderr, "polybot: assertion failed: %s (%s) at %s:%d\n", expr, msg, file, line);
  std::abort();
}
}  // namespace polybot::detail

#define POLYBOT_CHECK(expr, msg) \
  ((expr) ? static_cast<void>(0) : ::polybot::detail::assert_fail(#expr, __FILE__, __LINE__, msg))

#ifdef NDEBUG
#define POLYBOT_ASSERT(expr, msg) static_cast<void>(0)
#else
#define POLYBOT_ASSERT(expr, msg) POLYBOT_CHECK(expr, msg)
#endif

#if defined(__GNUC__)
#define POLYBOT_LIKELY(x) __builtin_expect(!!(x), 1)
#define POLYBOT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define POLYBOT_LIKELY(x) (x)
#define POLYBOT_UNLIKELY(x) (x)
#endif
