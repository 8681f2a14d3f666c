// Debug-only guard that a single-producer or single-consumer end is used by one thread only. Aborts on the
// second thread. Compiled to nothing when NDEBUG is set.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace polybot {

class ThreadGuard {
 public:
  void check(const char* what) noexcept {
#ifndef NDEBUG
    const auto me = std::this_thread::get_id();
    auto owner = owner_.load(std::memory_order_relaxed);
    if (owner == std::thread::id{}) {
      // First use claims the end; a racing second thread loses the CAS and is reported below.
      if (owner_.compare_exchange_strong(owner, me, std::memory_order_relaxed)) return;
    }
    if (owner != me) {
      std::fprintf(stderr, "polybot: %s used from a second thread\n", what);
      std::abort();
    }
#else
    (void)what;
#endif
  }
  // Hands the end to another thread (e.g. after set-up on the main thread).
  void release() noexcept {
#ifndef NDEBUG
    owner_.store(std::thread::id{}, std::memory_order_relaxed);
#endif
  }

 private:
#ifndef NDEBUG
  std::atomic<std::thread::id> owner_{};
#endif
};

}  // namespace polybot
