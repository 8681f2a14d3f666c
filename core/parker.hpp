// Parker: lets an idle consumer thread sleep until a producer has work for it (the `block` wait strategy).
// The consumer announces it is parked, re-checks for work, then waits with a timeout; a producer that sees the
// flag wakes it. The timeout bounds any missed wake-up, so correctness never depends on the wake.
// unpark() costs one atomic load when the consumer is awake, a futex wake when it is parked.
#pragma once

#include <atomic>
#include <chrono>
#include <semaphore>

namespace polybot {

class Parker {
 public:
  // Consumer thread only.
  void prepare_park() noexcept { parked_.store(true, std::memory_order_seq_cst); }
  void cancel_park() noexcept { parked_.store(false, std::memory_order_relaxed); }
  void park(std::chrono::microseconds timeout) noexcept {
    (void)sem_.try_acquire_for(timeout);
    parked_.store(false, std::memory_order_relaxed);
  }
  // Any producer thread. seq_cst pairs with prepare_park: either the producer sees parked == true, or the
  // consumer's re-check after prepare_park sees the producer's message.
  void unpark() noexcept {
    if (parked_.load(std::memory_order_seq_cst) && parked_.exchange(false, std::memory_order_acq_rel)) {
      sem_.release();
    }
  }

 private:
  std::atomic<bool> parked_{false};
  std::binary_semaphore sem_{0};
};

}  // namespace polybot
