// CachedRing: a minimal bounded SPSC ring used as a benchmark baseline for Channel. Power-of-two capacity, head
// and tail on separate cache lines, and each side caching the other side's index so the common case touches
// only its own line. One producer thread, one consumer thread; never allocates after construction.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

namespace polybot::bench {

template <class T>
class CachedRing {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  explicit CachedRing(std::size_t capacity) {
    std::size_t cap = 1;
    while (cap < capacity + 1) cap <<= 1;
    mask_ = cap - 1;
    slots_ = std::make_unique<T[]>(cap);
  }
  [[nodiscard]] bool try_push(const T& v) noexcept {
    const std::size_t t = tail_.load(std::memory_order_relaxed);
    const std::size_t next = (t + 1) & mask_;
    if (next == head_cache_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (next == head_cache_) return false;
    }
    slots_[t] = v;
    tail_.store(next, std::memory_order_release);  // publishes the slot to the consumer
    return true;
  }
  [[nodiscard]] bool try_pop(T& out) noexcept {
    const std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h == tail_cache_) return false;
    }
    out = slots_[h];
    head_.store((h + 1) & mask_, std::memory_order_release);  // hands the slot back to the producer
    return true;
  }

 private:
  // Producer line: its index and its cached copy of the consumer's.
  alignas(64) std::atomic<std::size_t> tail_{0};
  std::size_t head_cache_ = 0;
  // Consumer line.
  alignas(64) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;
  alignas(64) std::size_t mask_ = 0;
  std::unique_ptr<T[]> slots_;
};

}  // namespace polybot::bench
